// A profile handed to the extension shows as heat, a CodeLens, a hover and the Hot Paths view, and
// ranks Hotpath's findings; the toggle hides the inline cost; a fix applies from the view.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { HotpathApi } from '../../../src/extension';
import type { LineCost, ProfileSummary } from '../../../server/src/profile/summary';
import { EXTENSION_ID, codeOf, describe, hotpathDiagnostics, lineOf, openFixture, waitForDiagnostic } from './fixture';
import { TestCase, screenshot, waitFor } from './harness';

const FILE = 'hot_loop.py';
const HOT_LENS = '41% · 1.9 s';
const HP101 = 'This loop computes element-wise arithmetic one element at a time in Python; the same work as a NumPy array expression runs in compiled code.';
const RANKED_HP101 = `This loop is 41% of the run (1.9 s). ${HP101}`;
const FIRST_DIAGNOSTICS_TIMEOUT_MS = 60_000;

async function api(): Promise<HotpathApi> {
  const extension = vscode.extensions.getExtension<HotpathApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

/** A 4.6-second run of hot_loop.py: the loop in `step` takes 1.9 s (41%), `grow` 10 ms. */
function profileOf(document: vscode.TextDocument): ProfileSummary {
  const path = document.uri.fsPath;
  const at = (text: string) => lineOf(document, text) + 1;
  const line = (n: number, fn: string, self: number, total: number): LineCost => ({
    path,
    line: n,
    function: fn,
    selfSeconds: self,
    totalSeconds: total,
    selfPercent: (self / 4.6) * 100,
    totalPercent: (total / 4.6) * 100,
  });
  return {
    version: 1,
    backend: 'builtin',
    mode: 'wall',
    durationSeconds: 4.6,
    sampleCount: 4600,
    lines: [line(at('out[i] = a[i] * b[i]'), 'step', 1.7, 1.7), line(at('for i in range(len(a)):'), 'step', 0.2, 0.2), line(at('np.append('), 'grow', 0.01, 0.01)],
    functions: [
      { path, name: 'step', line: at('def step('), selfSeconds: 1.9, totalSeconds: 1.9, selfPercent: 41.3, totalPercent: 41.3 },
      { path, name: 'grow', line: at('def grow('), selfSeconds: 0.01, totalSeconds: 0.01, selfPercent: 0.2, totalPercent: 0.2 },
    ],
    gpu: null,
  };
}

export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10)) ?? [];
  return lenses.flatMap((l) => (l.command?.title ? [`${l.range.start.line}:${l.command.title}`] : []));
}

export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

const inlineCost = () => vscode.workspace.getConfiguration('hotpath.inlineCost');

export const inlineCostTests: TestCase[] = [
  {
    name: 'a loaded profile shows a CodeLens above the hot function, a hover on the hot line, and ranks HP101 by its cost',
    timeoutMs: FIRST_DIAGNOSTICS_TIMEOUT_MS + 60_000,
    run: async () => {
      const editor = await openFixture(FILE);
      const { document } = editor;
      const loop = lineOf(document, 'for i in range(len(a)):');
      const plain = await waitForDiagnostic(document.uri, 'HP101', loop, FIRST_DIAGNOSTICS_TIMEOUT_MS);
      assert.equal(plain.message, HP101);
      assert.equal(plain.severity, vscode.DiagnosticSeverity.Warning);

      const { profiles } = await api();
      profiles.set({ title: 'hot_loop.py (builtin, wall)', summary: profileOf(document) });

      const def = lineOf(document, 'def step(');
      const lenses = await waitFor(async () => {
        const titles = await lensTitles(document.uri);
        return titles.includes(`${def}:${HOT_LENS}`) ? titles : undefined;
      }, { what: `the CodeLens "${HOT_LENS}" above def step` });
      // `grow` is profiled too; its lens says how little it cost.
      assert.deepEqual(lenses, [`${def}:${HOT_LENS}`, `${lineOf(document, 'def grow(')}:0.2% · 10 ms`]);

      const ranked = await waitFor(
        () => hotpathDiagnostics(document.uri).find((d) => codeOf(d) === 'HP101' && d.message === RANKED_HP101),
        { what: 'HP101 ranked by the profile', timeoutMs: 30_000 },
      ).catch((err: Error) => {
        throw new Error(`${err.message}; Hotpath reports: [${hotpathDiagnostics(document.uri).map(describe).join('; ')}]`);
      });
      assert.equal(ranked.severity, vscode.DiagnosticSeverity.Error, 'a hot finding is raised from warning to error');
      assert.equal(ranked.range.start.line, loop);

      const body = lineOf(document, 'out[i] = a[i] * b[i]');
      const hover = await hoverText(document.uri, new vscode.Position(body, 10));
      for (const part of ['| self | 1.7 s | 37% |', '| total | 1.7 s | 37% |', '≈ 1,700 of 4,600 samples']) {
        assert.ok(hover.includes(part), `the hover on the hot line lacks ${JSON.stringify(part)}:\n${hover}`);
      }

      // Show the Hot Paths view beside the heat; the picture waits for the view's row and the CodeLens.
      await vscode.commands.executeCommand('hotpath.hotPaths.focus');
      await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
      editor.revealRange(new vscode.Range(def, 0, body + 4, 0), vscode.TextEditorRevealType.AtTop);
      await screenshot('inline-cost', { text: [`${FILE}:${body + 1}`, HOT_LENS, 'HP101'] });

      // The hover on the hot line, as a person sees it.
      const shown = await vscode.window.showTextDocument(document, { preview: false });
      shown.selection = new vscode.Selection(body, 20, body, 20);
      await vscode.commands.executeCommand('editor.action.showHover');
      await screenshot('inline-cost-hover', { text: ['≈ 1,700 of 4,600 samples'] });
    },
  },
  {
    name: 'Hotpath: Toggle Inline Cost hides the CodeLens and hover, and brings them back',
    run: async () => {
      const { document } = await openFixture(FILE);
      const def = lineOf(document, 'def step(');
      const body = lineOf(document, 'out[i] = a[i] * b[i]');
      assert.equal(inlineCost().get('enable'), true);
      await vscode.commands.executeCommand('hotpath.toggleInlineCost');
      try {
        await waitFor(async () => ((await lensTitles(document.uri)).length === 0 ? true : undefined), { what: 'the CodeLenses to go' });
        assert.equal(inlineCost().get('enable'), false);
        assert.equal(await hoverText(document.uri, new vscode.Position(body, 10)), '', 'no cost hover while hidden');
        await screenshot('inline-cost-hidden', { text: [`${FILE}:${body + 1}`], absentText: [HOT_LENS] });
      } finally {
        await vscode.commands.executeCommand('hotpath.toggleInlineCost');
      }
      await waitFor(async () => ((await lensTitles(document.uri)).includes(`${def}:${HOT_LENS}`) ? true : undefined), {
        what: 'the CodeLens to come back',
      });
      assert.equal(inlineCost().inspect('enable')?.globalValue, undefined, 'toggling back to the default leaves no user setting behind');
    },
  },
  {
    name: 'a fix applied from the Hot Paths view vectorizes the hot loop; clearing the profile unranks the findings',
    run: async () => {
      const { document } = await openFixture(FILE);
      const loop = lineOf(document, 'for i in range(len(a)):');
      const ranked = await waitForDiagnostic(document.uri, 'HP101', loop);
      const fixes = ((ranked as { data?: { fixes?: { title: string }[] } }).data?.fixes ?? []).map((f) => f.title);
      assert.ok(fixes.length > 0, 'HP101 carries its fixes for the view');
      const before = document.getText();
      const applied = await vscode.commands.executeCommand<boolean>('hotpath.hotPaths.applyFix', document.uri, ranked, fixes[0]);
      assert.equal(applied, true);
      console.log(`    applied "${fixes[0]}":\n${document.getText()}`);
      assert.notEqual(document.getText(), before);
      assert.equal(document.getText().includes('for i in range(len(a)):'), false, 'the loop is gone');
      await waitFor(() => (hotpathDiagnostics(document.uri).some((d) => codeOf(d) === 'HP101') ? undefined : true), {
        what: 'HP101 to go away after the fix',
      });

      const { profiles } = await api();
      profiles.clear();
      const growth = lineOf(document, 'np.append(');
      const plain = await waitFor(
        () => hotpathDiagnostics(document.uri).find((d) => codeOf(d) === 'HP201' && d.range.start.line === growth && !d.message.includes('of the run')),
        { what: 'HP201 without its cost once the profile is cleared' },
      );
      assert.equal(plain.severity, vscode.DiagnosticSeverity.Warning);
      assert.deepEqual(await lensTitles(document.uri), []);
      await vscode.commands.executeCommand('hotpath.hotPaths.focus');
      await screenshot('hot-paths-empty', { text: ['No profile loaded.'] });
    },
  },
  {
    name: 'profile text (.hotpath.txt) opens as the hotpath-profile language, coloured by its grammar',
    run: async () => {
      const editor = await openFixture('train.hotpath.txt');
      assert.equal(editor.document.languageId, 'hotpath-profile');
      await screenshot('profile-text', { text: ['Lines, by total time:'] });
    },
  },
];
