// A Python file opened in a real VS Code shows Hotpath's findings, and a quick fix rewrites it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  EXTENSION_ID,
  codeOf,
  describe,
  hotpathDiagnostics,
  lineOf,
  openFixture,
  waitForDiagnostic,
} from './fixture';
import { TestCase, screenshot, waitFor } from './harness';

const FILE = 'slow_paths.py';

/** The Problems panel in the workbench's DOM, for the screenshot waits. */
const PROBLEMS_PANEL = '.markers-panel';

/** The loop in count_words before and after the "Hoist" fix (see workspace/slow_paths.py). */
const LOOP_BEFORE = ['    for line in lines:', '        word_re = re.compile(WORD_PATTERN)', ''].join('\n');
const LOOP_AFTER = ['    word_re = re.compile(WORD_PATTERN)', '    for line in lines:', ''].join('\n');

// The server starts, loads its WASM parser and analyzes the file: generous on 2 shared cores.
const FIRST_DIAGNOSTICS_TIMEOUT_MS = 60_000;

export const pythonFindingsTests: TestCase[] = [
  {
    name: 'the Hotpath extension is loaded and activates for a Python file',
    run: async () => {
      await openFixture(FILE);
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(
        extension,
        `${EXTENSION_ID} is not loaded: VS Code skips an extension whose engines.vscode it does not satisfy, or whose package.json is invalid`,
      );
      await extension.activate();
      assert.equal(extension.isActive, true);
    },
  },
  {
    name: 'opening the file shows HP201 (array growth) and HP501 (loop-invariant call) at their lines, and nothing on clean code',
    timeoutMs: FIRST_DIAGNOSTICS_TIMEOUT_MS + 40_000,
    run: async () => {
      const { document } = await openFixture(FILE);
      const growth = await waitForDiagnostic(document.uri, 'HP201', lineOf(document, 'np.append('), FIRST_DIAGNOSTICS_TIMEOUT_MS);
      const invariant = await waitForDiagnostic(document.uri, 'HP501', lineOf(document, 're.compile('));
      console.log(`    ${describe(growth)}\n    ${describe(invariant)}`);
      for (const diagnostic of [growth, invariant]) {
        assert.notEqual(diagnostic.message.trim(), '', `${codeOf(diagnostic)} has an empty message`);
      }

      const cleanFrom = lineOf(document, 'def scale(');
      const onCleanCode = hotpathDiagnostics(document.uri).filter((d) => d.range.start.line >= cleanFrom);
      assert.deepEqual(onCleanCode.map(describe), [], 'clean code must draw no Hotpath finding');

      await vscode.commands.executeCommand('workbench.actions.view.problems');
      await screenshot('problems-panel', { selector: PROBLEMS_PANEL, text: ['HP201', 'HP501'] });
    },
  },
  {
    name: 'the "Hoist" quick fix on HP501 moves re.compile(...) above its loop and the finding goes away',
    timeoutMs: FIRST_DIAGNOSTICS_TIMEOUT_MS + 40_000,
    run: async () => {
      const { document } = await openFixture(FILE);
      const uri = document.uri;
      const before = document.getText();
      assert.ok(before.includes(LOOP_BEFORE), 'the fixture no longer has the loop this test expects');
      const diagnostic = await waitForDiagnostic(uri, 'HP501', lineOf(document, 're.compile('), FIRST_DIAGNOSTICS_TIMEOUT_MS);

      const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
        'vscode.executeCodeActionProvider',
        uri,
        diagnostic.range,
        undefined,
        10, // Resolve up to ten actions, so lazily computed edits are filled in.
      );
      const titles = (actions ?? []).map((a) => a.title);
      const hoist = (actions ?? []).find((a) => a.title.startsWith('Hoist'));
      assert.ok(hoist, `no code action titled "Hoist…" at HP501; offered: ${JSON.stringify(titles)}`);
      console.log(`    applying "${hoist.title}"`);
      await applyCodeAction(hoist);

      assert.equal(document.getText(), before.replace(LOOP_BEFORE, LOOP_AFTER));
      await waitFor(() => (hotpathDiagnostics(uri).some((d) => codeOf(d) === 'HP501') ? undefined : true), {
        what: 'HP501 to go away after the fix',
      });
      // The other finding is untouched by the fix.
      await waitForDiagnostic(uri, 'HP201', lineOf(document, 'np.append('));

      // Show the Problems panel, then give the editor focus with the hoisted line selected.
      await vscode.commands.executeCommand('workbench.actions.view.problems');
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      const hoisted = document.lineAt(lineOf(document, 're.compile(')).range;
      editor.selection = new vscode.Selection(hoisted.start, hoisted.end);
      editor.revealRange(hoisted);
      await screenshot('quick-fix-applied', { selector: PROBLEMS_PANEL, text: ['HP201'], absentText: ['HP501'] });
    },
  },
];

async function applyCodeAction(action: vscode.CodeAction | vscode.Command): Promise<void> {
  if (isCommand(action)) {
    await vscode.commands.executeCommand(action.command, ...(action.arguments ?? []));
    return;
  }
  if (action.edit) assert.equal(await vscode.workspace.applyEdit(action.edit), true, 'the workspace edit was rejected');
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  assert.ok(action.edit || action.command, `code action "${action.title}" has neither an edit nor a command`);
}

function isCommand(action: vscode.CodeAction | vscode.Command): action is vscode.Command {
  return typeof (action as vscode.Command).command === 'string';
}
