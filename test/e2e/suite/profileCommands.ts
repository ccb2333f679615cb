// The profiling commands beyond "Profile Current File", run as a person runs them: "Profile Launch
// Configuration" with the workspace's launch.json, "Attach to Running Python Process…" picked in
// its quick pick, "Profile CUDA Job" on a machine without a GPU, and "Open Profile…" on a file that
// is not a profile, chosen in the workbench's file dialog.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fixtureUri, lineOf, openFixture } from './fixture';
import { clickInWorkbench, pickInQuickPick, screenshot, TestCase, waitFor } from './harness';
import { api, closeAll } from './profiling';

/** The interpreter with PyTorch on these machines (torch 1.13, CPU only); the .venv has none. */
const SYSTEM_PYTHON = '/usr/bin/python3';

function torchImports(python: string): boolean {
  return fs.existsSync(python) && spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** Sets a `hotpath.*` setting for the workspace while `body` runs, then removes it. */
async function withWorkspaceSetting<T>(key: string, value: unknown, body: () => Promise<T>): Promise<T> {
  const config = () => vscode.workspace.getConfiguration('hotpath');
  await config().update(key, value, vscode.ConfigurationTarget.Workspace);
  try {
    return await body();
  } finally {
    await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/** The interpreter the profiles run with (hotpath.pythonPath, set by the runner to the .venv's). */
function configuredPython(): string {
  const python = vscode.workspace.getConfiguration('hotpath').get<string>('pythonPath', '');
  assert.ok(python, 'hotpath.pythonPath is not set (the runner sets it to the .venv interpreter)');
  return python;
}

export const profileCommandTests: TestCase[] = [
  {
    name: 'Cancel on the progress notification stops a long run and keeps what was measured',
    timeoutMs: 120_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const marker = fixtureUri('long_run.started').fsPath;
      fs.rmSync(marker, { force: true });
      const { document } = await openFixture('long_run.py');
      const run = vscode.commands.executeCommand('hotpath.profileCurrentFile');
      // The script writes its pid to the marker after a second of work.
      const pid = await waitFor(() => (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') ? Number(fs.readFileSync(marker, 'utf8')) : undefined), {
        timeoutMs: 60_000,
        what: 'long_run.py to start working',
      });
      // The progress notification's Cancel button, as a person would press it.
      if (!(await clickInWorkbench('cancel-progress', '.notification-toast .monaco-button', 'Cancel'))) {
        await vscode.commands.executeCommand('hotpath.stopProfiling');
      }
      await run;
      assert.equal(hotpath.profiler.isRunning, false);
      assert.throws(() => process.kill(pid, 0), 'the target still runs after Cancel');
      const profile = await waitFor(() => hotpath.profiles.current, { what: 'the cancelled run\'s profile in the store' });
      assert.match(profile.title, /^long_run\.py \(/);
      assert.ok(profile.summary.durationSeconds >= 1, `only ${profile.summary.durationSeconds} s were kept`);
      const busyLine = lineOf(document, 'total += sum(') + 1;
      assert.ok(
        profile.summary.lines.some((l) => l.path === document.uri.fsPath && l.line === busyLine && l.selfSeconds > 0.3),
        `line ${busyLine} has no self time in the kept profile`,
      );
      await screenshot('cancelled-run', { text: ['Flame Graph: long_run.py'] });
    },
  },
  {
    name: '"Profile Launch Configuration" runs launch.json\'s program with its args, cwd and env',
    timeoutMs: 120_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const report = fixtureUri('data/launch_report.json').fsPath;
      fs.rmSync(report, { force: true });
      await vscode.commands.executeCommand('hotpath.profileLaunchConfiguration');
      const profile = await waitFor(() => hotpath.profiles.current, { timeoutMs: 60_000, what: 'the profile of the launch configuration' });
      assert.match(profile.title, /^Launch target \(squares\) \(/);
      // What the script was given: launch.json's args (the report's relative path landed in its cwd), cwd and env.
      const got = JSON.parse(fs.readFileSync(report, 'utf8')) as Record<string, unknown>;
      assert.deepEqual(got, {
        argv: ['--mode', 'squares', '--report', 'launch_report.json'],
        cwd: fixtureUri('data').fsPath,
        label: 'from launch.json',
        input: 'seed 7',
      });
      // The arguments chose the function the time went to.
      const script = fixtureUri('launch_target.py').fsPath;
      const total = (name: string) => profile.summary.functions.find((f) => f.path === script && f.name === name)?.totalSeconds ?? 0;
      const functions = JSON.stringify(profile.summary.functions.map((f) => `${path.basename(f.path)}:${f.name} ${f.totalSeconds.toFixed(2)} s`));
      assert.ok(total('work_squares') > 1, `work_squares has ${total('work_squares')} s of ${functions}`);
      assert.ok(total('busy') > 1, `busy has ${total('busy')} s of ${functions}`);
      assert.equal(total('work_cubes'), 0);
      const drawn = await waitFor(() => (hotpath.flameGraphs.last?.name.startsWith('Launch_target_squares_-') ? hotpath.flameGraphs.last : undefined), {
        what: 'the flame graph of the launch configuration',
      });
      assert.equal(drawn.outcome, 'loaded', drawn.detail);
      await screenshot('launch-configuration', { text: ['Flame Graph: Launch target (squares)'], webviewText: ['Left Heavy'] });
    },
  },
  {
    name: '"Attach to Running Python Process…" samples the process picked in the quick pick',
    timeoutMs: 150_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const marker = fixtureUri('attach_target.started').fsPath;
      fs.rmSync(marker, { force: true });
      const script = fixtureUri('attach_target.py').fsPath;
      // Its marker argument is unique to this run, so typing it picks exactly this process.
      const tag = `attach-${process.pid}-${Date.now()}`;
      const target: ChildProcess = spawn(configuredPython(), [script, `${marker}.${tag}`], { stdio: 'ignore', cwd: path.dirname(script) });
      try {
        await waitFor(() => (fs.existsSync(`${marker}.${tag}`) && fs.readFileSync(`${marker}.${tag}`, 'utf8') ? true : undefined), {
          timeoutMs: 30_000,
          what: 'attach_target.py to start spinning',
        });
        // Three seconds of sampling (hotpath.profile.attachDuration), then the command ends by itself.
        const picked = await withWorkspaceSetting('profile.attachDuration', 3, async () => {
          const run = vscode.commands.executeCommand('hotpath.attachProcess');
          const typed = await pickInQuickPick('attach-quick-pick', tag);
          if (!typed) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
          await run;
          return typed;
        });
        // Without the outside runner nobody types in the quick pick.
        if (!picked) return;
        const profile = await waitFor(() => hotpath.profiles.current, { what: 'the profile of the attached process' });
        assert.equal(profile.title, `process ${target.pid} (py-spy, wall)`);
        assert.ok(profile.summary.durationSeconds >= 2.5, `only ${profile.summary.durationSeconds} s sampled`);
        const { document } = await openFixture('attach_target.py');
        const hotLine = lineOf(document, 'total += sum(') + 1;
        const line = profile.summary.lines.find((l) => l.path === script && l.line === hotLine);
        assert.ok(line && line.selfPercent > 50, `line ${hotLine} has ${line?.selfPercent ?? 0}% self time`);
        // The process was only watched: it still runs.
        assert.equal(target.exitCode, null, 'the attached process ended');
        const drawn = await waitFor(() => (hotpath.flameGraphs.last?.name.startsWith('process_') ? hotpath.flameGraphs.last : undefined), {
          what: 'the flame graph of the attached process',
        });
        assert.equal(drawn.outcome, 'loaded', drawn.detail);
        await screenshot('attach-process', { text: [`Flame Graph: process ${target.pid}`], webviewText: ['Left Heavy'] });
      } finally {
        target.kill();
        fs.rmSync(`${marker}.${tag}`, { force: true });
      }
    },
  },
  {
    name: '"Profile CUDA Job" without a GPU says CUDA is not available and profiles the CPU',
    timeoutMs: 180_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const withTorch = torchImports(SYSTEM_PYTHON);
      await withWorkspaceSetting('pythonPath', withTorch ? SYSTEM_PYTHON : configuredPython(), async () => {
        const { document } = await openFixture('cuda_job.py');
        await vscode.commands.executeCommand('hotpath.profileCudaJob');
        if (!withTorch) {
          // No PyTorch for this interpreter: a clear message and nothing loaded.
          assert.equal(hotpath.profiles.current, undefined);
          await screenshot('cuda-job-no-torch', { text: ['the torch backend needs PyTorch'] });
          return;
        }
        const profile = await waitFor(() => hotpath.profiles.current, { what: 'the profile of the CUDA job' });
        assert.equal(profile.title, 'cuda_job.py (torch, wall)');
        // torch.profiler ran (the torch backend), on the CPU only: no kernel time on any line.
        assert.deepEqual(profile.summary.gpu, { device: 'cpu', kernelSeconds: 0, lines: [] });
        const stepLine = lineOf(document, '        train_step(model, batch, optimizer)') + 1;
        const step = profile.summary.lines.find((l) => l.path === document.uri.fsPath && l.line === stepLine);
        assert.ok(step && step.totalSeconds > 0.1, `the training step's call (line ${stepLine}) has ${step?.totalSeconds ?? 0} s`);
        const drawn = await waitFor(() => (hotpath.flameGraphs.last?.name.startsWith('cuda_job-') ? hotpath.flameGraphs.last : undefined), {
          what: 'the flame graph of the CUDA job',
        });
        assert.equal(drawn.outcome, 'loaded', drawn.detail);
        await screenshot('cuda-job-cpu-only', { text: ['CUDA is not available', 'Flame Graph: cuda_job.py'], webviewText: ['Left Heavy'] });
      });
    },
  },
  {
    name: '"Open Profile…" on a file that is not a profile, picked in the file dialog, says so',
    timeoutMs: 90_000,
    run: async () => {
      const hotpath = await api();
      await closeAll();
      hotpath.profiles.clear();
      const notes = fixtureUri('notes.txt').fsPath;
      const run = vscode.commands.executeCommand('hotpath.openProfile');
      // The web workbench's file dialog is a quick input: type the path, accept it.
      if (!(await pickInQuickPick('open-profile-dialog', notes, 'notes.txt'))) {
        await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
        await run;
        return;
      }
      await run;
      const report = await waitFor(() => (hotpath.flameGraphs.last?.name === 'notes.txt' ? hotpath.flameGraphs.last : undefined), {
        what: 'the flame graph to report on notes.txt',
      });
      assert.equal(report.outcome, 'failed');
      assert.equal(hotpath.profiles.current, undefined, 'a file that is not a profile reached the store');
      await screenshot('open-profile-not-a-profile', {
        text: ['Hotpath: the flame graph cannot show notes.txt'],
        webviewText: ['cannot show notes.txt', 'Hotpath draws speedscope JSON'],
      });
    },
  },
];
