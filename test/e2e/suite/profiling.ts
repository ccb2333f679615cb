// Profiles and flame graphs in a real VS Code: a saved profile opens in the custom editor as a
// flame graph and clicking a frame opens its source line; a file that is not a profile says so;
// "Profile Current File" on a small NumPy script draws the flame graph of the run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { syntheticSpeedscope } from '../../../bench/syntheticProfile';
import type { HotpathApi } from '../../../src/extension';
import { EXTENSION_ID, fixtureUri, lineOf, openFixture } from './fixture';
import { clickInWebview, screenshot, TestCase, waitFor } from './harness';
import { hoverText, lensTitles } from './inlineCost';

const SCRIPT = 'numpy_loop.py';
const SAVED_PROFILE = 'numpy_loop.speedscope.json';
const NOT_A_PROFILE = 'broken.speedscope.json';

/** An element only Hotpath's flame graph page has (see src/webview/pageHtml.ts). */
export const FLAME_PAGE = '#hotpath-error';
/** In speedscope's flame chart, the first row (the outermost frame) is drawn 142-160 px from the top. */
export const FIRST_ROW_Y = 151;
/** speedscope's flame chart rows are 20 px apart; its minimap spans 20-120 px from the top. */
const ROW_HEIGHT = 20;
const MINIMAP_Y = 70;

export async function api(): Promise<HotpathApi> {
  const extension = vscode.extensions.getExtension<HotpathApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

function activeCustomEditor(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.viewType : undefined;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('notifications.clearAll');
}

export const profilingTests: TestCase[] = [
  {
    name: 'a saved .speedscope.json opens as a flame graph, and clicking a frame opens its source line',
    timeoutMs: 90_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      const before = hotpath.flameGraphs.opened.length;
      // vscode.open picks the default editor, as a double click in the explorer does.
      await vscode.commands.executeCommand('vscode.open', fixtureUri(SAVED_PROFILE));
      assert.equal(activeCustomEditor(), 'hotpath.profileViewer', 'the profile did not open in Hotpath\'s flame graph editor');
      const report = await waitFor(
        () => (hotpath.flameGraphs.last?.name === SAVED_PROFILE ? hotpath.flameGraphs.last : undefined),
        { timeoutMs: 60_000, what: 'the flame graph to report the saved profile drawn' },
      );
      assert.equal(report.outcome, 'loaded', `the flame graph did not draw the profile: ${report.detail}`);
      // Its per-line costs become the profile on show (inline cost, ranked findings).
      const loaded = await waitFor(() => (hotpath.profiles.current?.title.startsWith(SAVED_PROFILE) ? hotpath.profiles.current : undefined), {
        what: 'the saved profile in the store',
      });
      assert.equal(loaded.title, `${SAVED_PROFILE} (speedscope)`);
      assert.equal(loaded.summary.sampleCount, 100);
      const hottest = [...loaded.summary.lines].sort((a, b) => b.selfSeconds - a.selfSeconds)[0];
      assert.deepEqual([hottest.path, hottest.line, hottest.selfPercent], [SCRIPT, 10, 70]);
      await screenshot('saved-profile-flame-graph', { text: [SAVED_PROFILE], webviewText: ['Left Heavy', 'numpy_loop.py'] });

      // The first row is the outermost frame, `<module>` at numpy_loop.py:24 (the call of main()).
      if (!(await clickInWebview('click-module-frame', FLAME_PAGE, 400, FIRST_ROW_Y))) return;
      const opened = await waitFor(() => hotpath.flameGraphs.opened[before], { what: 'the clicked frame to open its source' });
      assert.deepEqual(opened, { file: fixtureUri(SCRIPT).fsPath, line: 24 });
      const editor = await waitFor(
        () => vscode.window.visibleTextEditors.find((e) => path.basename(e.document.uri.fsPath) === SCRIPT),
        { what: `${SCRIPT} to open beside the flame graph` },
      );
      assert.equal(editor.selection.active.line, lineOf(editor.document, '    main()'), 'the source opened at the wrong line');
      await screenshot('flame-graph-frame-opened', { text: [SCRIPT, SAVED_PROFILE] });

      // The person moves away (closes the source), then clicks the same, still selected, frame: it opens again.
      await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === SCRIPT));
      await waitFor(() => (vscode.window.visibleTextEditors.some((e) => path.basename(e.document.uri.fsPath) === SCRIPT) ? undefined : true), {
        what: `${SCRIPT} to close`,
      });
      await clickInWebview('reclick-module-frame', FLAME_PAGE, 400, FIRST_ROW_Y);
      const reopened = await waitFor(() => hotpath.flameGraphs.opened[before + 1], { what: 'the re-clicked frame to open its source again' });
      assert.deepEqual(reopened, { file: fixtureUri(SCRIPT).fsPath, line: 24 });
      const again = await waitFor(() => vscode.window.visibleTextEditors.find((e) => path.basename(e.document.uri.fsPath) === SCRIPT), {
        what: `${SCRIPT} to open again`,
      });
      assert.equal(again.selection.active.line, lineOf(again.document, '    main()'));

      // A click on the minimap keeps the selection and opens nothing; the next frame clicked (the
      // second row's first frame, main at line 17) is the next one opened.
      await clickInWebview('click-minimap', FLAME_PAGE, 400, MINIMAP_Y);
      await clickInWebview('click-main-frame', FLAME_PAGE, 20, FIRST_ROW_Y + ROW_HEIGHT);
      const next = await waitFor(() => hotpath.flameGraphs.opened[before + 2], { what: 'the main frame to open its source' });
      assert.deepEqual(next, { file: fixtureUri(SCRIPT).fsPath, line: 17 }, 'the minimap click opened a frame');
    },
  },
  {
    name: 'a .speedscope.json that is not a profile shows a clear message instead of a flame graph',
    timeoutMs: 60_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      await vscode.commands.executeCommand('vscode.open', fixtureUri(NOT_A_PROFILE));
      const report = await waitFor(
        () => (hotpath.flameGraphs.last?.name === NOT_A_PROFILE ? hotpath.flameGraphs.last : undefined),
        { timeoutMs: 40_000, what: 'the flame graph to report on the broken file' },
      );
      assert.equal(report.outcome, 'failed');
      assert.match(report.detail, /import failed/);
      await screenshot('not-a-profile', { text: [NOT_A_PROFILE], webviewText: ['cannot show broken.speedscope.json', 'Hotpath draws speedscope JSON'] });
    },
  },
  {
    name: '"Profile Current File" on a NumPy script draws its flame graph and loads its per-line costs',
    timeoutMs: 120_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      const { document } = await openFixture(SCRIPT);
      await vscode.commands.executeCommand('hotpath.profileCurrentFile');
      const profile = await waitFor(() => hotpath.profiles.current, { timeoutMs: 90_000, what: 'a profile in the store' });
      assert.match(profile.title, /^numpy_loop\.py \(/);
      const report = await waitFor(
        () => (hotpath.flameGraphs.last?.name.startsWith('numpy_loop-') ? hotpath.flameGraphs.last : undefined),
        { timeoutMs: 60_000, what: 'the flame graph of the run to be drawn' },
      );
      assert.equal(report.outcome, 'loaded', `the flame graph did not draw the run: ${report.detail}`);
      // The inner loop's body is where the script spends its own time.
      const hotLine = lineOf(document, 'total += value * value') + 1;
      const bySelf = profile.summary.lines
        .filter((l) => l.path === document.uri.fsPath)
        .sort((a, b) => b.selfSeconds - a.selfSeconds)
        .map((l) => `${l.line}: ${l.selfSeconds.toFixed(3)} s`);
      assert.ok(profile.summary.sampleCount > 10, `only ${profile.summary.sampleCount} samples`);
      assert.match(bySelf[0] ?? '', new RegExp(`^${hotLine}: `), `line ${hotLine} is not the line with the most self time: ${JSON.stringify(bySelf)}`);
      // The inline cost follows the run: the hot line's hover gives its time, its function a CodeLens.
      const column = document.lineAt(hotLine - 1).firstNonWhitespaceCharacterIndex;
      await waitFor(async () => ((await hoverText(document.uri, new vscode.Position(hotLine - 1, column))).includes('| self |') ? true : undefined), {
        what: 'the inline-cost hover on the hot line',
      });
      await waitFor(async () => ((await lensTitles(document.uri)).some((t) => / · /.test(t)) ? true : undefined), {
        what: "a CodeLens with the function's cost",
      });
      await screenshot('profile-current-file', { text: ['Flame Graph: numpy_loop.py'] });
    },
  },
  {
    name: 'Stop Profiling ends a running target and keeps what was measured',
    timeoutMs: 120_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const marker = fixtureUri('long_run.started').fsPath;
      fs.rmSync(marker, { force: true });
      const { document } = await openFixture('long_run.py');
      // The script writes its pid to the marker after a second of work (its default argument).
      const run = vscode.commands.executeCommand('hotpath.profileCurrentFile');
      const pid = await waitFor(() => (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') ? Number(fs.readFileSync(marker, 'utf8')) : undefined), {
        timeoutMs: 60_000,
        what: 'long_run.py to start working',
      });
      assert.equal(hotpath.profiler.isRunning, true);
      await screenshot('profiling-progress', { text: ['Hotpath: profiling long_run.py', 'samples'] });
      await vscode.commands.executeCommand('hotpath.stopProfiling');
      await run;
      assert.equal(hotpath.profiler.isRunning, false);
      assert.throws(() => process.kill(pid, 0), 'the target is still running after Stop Profiling');
      const profile = await waitFor(() => hotpath.profiles.current, { what: 'the stopped profile in the store' });
      assert.match(profile.title, /^long_run\.py \(/);
      assert.ok(profile.summary.durationSeconds >= 1, `only ${profile.summary.durationSeconds} s were kept`);
      const busyLine = lineOf(document, 'total += sum(') + 1;
      assert.ok(
        profile.summary.lines.some((l) => l.path === document.uri.fsPath && l.line === busyLine && l.selfSeconds > 0.3),
        `line ${busyLine} has no self time in the kept profile`,
      );
    },
  },
  {
    name: 'a target that fails still leaves the profile of what ran, and says how it ended',
    timeoutMs: 90_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const { document } = await openFixture('crash.py');
      await vscode.commands.executeCommand('hotpath.profileCurrentFile');
      const profile = await waitFor(() => hotpath.profiles.current, { what: 'the profile of the failed run' });
      assert.match(profile.title, /^crash\.py \(/);
      const workLine = lineOf(document, 'total += sum(') + 1;
      assert.ok(
        profile.summary.lines.some((l) => l.path === document.uri.fsPath && l.line === workLine && l.selfSeconds > 0.2),
        `line ${workLine} has no self time in the failed run's profile`,
      );
      const report = await waitFor(
        () => (hotpath.flameGraphs.last?.name.startsWith('crash-') ? hotpath.flameGraphs.last : undefined),
        { what: "the flame graph of the failed run" },
      );
      assert.equal(report.outcome, 'loaded', `the flame graph did not draw the failed run: ${report.detail}`);
      await screenshot('failed-target', { text: ['crash.py exited with code 1', 'Flame Graph: crash.py'] });
    },
  },
  {
    name: 'a profile of one million samples opens in the flame graph editor',
    timeoutMs: 120_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      const name = 'million.speedscope.json';
      fs.writeFileSync(fixtureUri(name).fsPath, syntheticSpeedscope({ samples: 1_000_000 }));
      const opened = Date.now();
      let drawnAt = 0;
      const listener = hotpath.flameGraphs.onDidReport((event) => {
        if (event.name === name) drawnAt = Date.now();
      });
      await vscode.commands.executeCommand('vscode.open', fixtureUri(name));
      const report = await waitFor(() => (hotpath.flameGraphs.last?.name === name ? hotpath.flameGraphs.last : undefined), {
        timeoutMs: 90_000,
        what: 'the million-sample profile to be drawn',
      }).finally(() => listener.dispose());
      assert.equal(report.outcome, 'loaded', `the flame graph did not draw it: ${report.detail}`);
      const loaded = await waitFor(() => (hotpath.profiles.current?.title.startsWith(name) ? hotpath.profiles.current : undefined), {
        timeoutMs: 60_000,
        what: 'the million-sample profile in the store',
      });
      assert.equal(loaded.summary.sampleCount, 1_000_000);
      // Speed is measured in bench/flameGraph.bench.ts; here the figures are only reported: from
      // the command to the drawn flame graph, from the flame graph's start to drawn (reading and
      // merging the file included), and in the page.
      console.log(`    drawn ${drawnAt - opened} ms after vscode.open (${report.totalMs} ms after the editor began to show it, ${report.detail} ms in the page)`);
      await screenshot('million-samples', { text: [name], webviewText: ['Left Heavy', 'drawn as'] });
    },
  },
  {
    name: '"Open Profile…" on a PyTorch (Chrome) trace draws it and loads its GPU costs',
    timeoutMs: 60_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      const extension = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(extension);
      // The profiler core's own fixture: a CUDA trace in torch.profiler's export shape.
      const trace = vscode.Uri.file(path.join(extension.extensionPath, 'test', 'fixtures', 'profile', 'torch-cuda-trace.json'));
      await vscode.commands.executeCommand('hotpath.openProfile', trace);
      const report = await waitFor(() => (hotpath.flameGraphs.last?.name === 'torch-cuda-trace.json' ? hotpath.flameGraphs.last : undefined), {
        what: 'the trace to be drawn',
      });
      assert.equal(report.outcome, 'loaded', `the flame graph did not draw the trace: ${report.detail}`);
      const loaded = hotpath.profiles.current;
      assert.equal(loaded?.title, 'torch-cuda-trace.json (trace)');
      assert.ok(loaded.summary.gpu && loaded.summary.gpu.lines.length > 0, 'the trace has no GPU lines in the store');
      await screenshot('pytorch-trace', { text: ['Flame Graph: torch-cuda-trace.json'], webviewText: ['Left Heavy'] });
    },
  },
];
