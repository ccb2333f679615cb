// `hotpath profile` as a user runs it: the built program, the program's stdio and exit status
// passing through, and each report format.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import type { ProfileSummary } from '../../server/src/profile/summary';
import { ensureBuilt, hotpathBin } from '../support/dist';
import { assertSpeedscope, bare, fixture, fixtures, pySpyMissing, python, pythonMissing } from './support';

function hotpath(args: string[], input = '') {
  const r = spawnSync(process.execPath, [hotpathBin, 'profile', ...args], { cwd: fixtures, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
before(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'hotpath-cli-profile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('hotpath profile', { skip: pythonMissing() ?? false }, () => {
  for (const backend of ['builtin', 'py-spy'] as const) {
    const skip = backend === 'py-spy' ? pySpyMissing() : null;
    test(`${backend}: stdin, stdout and stderr pass through; the text report follows on stdout`, { skip: skip ?? false }, () => {
      const r = hotpath(['--backend', backend, '--', python, 'stdin_echo.py'], 'hello\nworld\n');
      const want = bare(['stdin_echo.py'], { input: 'hello\nworld\n' });
      assert.equal(r.code, 0);
      assert.equal(r.stderr, want.stderr);
      assert.ok(r.stdout.startsWith(`${want.stdout}hotpath profile: ${backend} backend, wall mode, `), r.stdout);
    });

    test(`${backend}: -o keeps stdout the program's; the exit status is the program's`, { skip: skip ?? false }, () => {
      const out = path.join(dir, `${backend}.json`);
      const r = hotpath(['--backend', backend, '--format', 'json', '-o', out, '--', python, 'exit3.py']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, 'leaving with 3\n');
      assert.equal(r.stderr, '');
      const summary = JSON.parse(readFileSync(out, 'utf8')) as ProfileSummary;
      assert.equal(summary.version, 1);
      assert.equal(summary.backend, backend);
      assert.equal(summary.mode, 'wall');
      assert.equal(summary.gpu, null);
      const spin = summary.functions.find((f) => f.name === 'spin')!;
      assert.deepEqual([spin.path, spin.line], [fixture('exit3.py'), 6]);
      assert.ok(spin.totalPercent > 50, `spin ${spin.totalPercent}%`);
    });
  }

  test('--subprocesses with builtin: the text report lists the processes and the pids of each line; -o into a new folder', () => {
    const out = path.join(dir, 'new', 'folder', 'report.txt');
    const r = hotpath(['--backend', 'builtin', '--subprocesses', '-o', out, '--', python, 'run_children.py', 'exit3.py']);
    assert.equal(r.code, 0);
    const child = Number(/^exit3\.py (\d+) 3$/m.exec(r.stdout)![1]);
    const text = readFileSync(out, 'utf8');
    assert.match(text, new RegExp(`^Processes:\n +sampled +samples  pid \\(parent\\): command\n.*  \\d+: run_children\\.py exit3\\.py\n.*  ${child} \\(\\d+\\): ${fixture('exit3.py')}$`, 'm'));
    assert.match(text, new RegExp(`  spin \\(exit3\\.py:6\\) \\[pid ${child}\\]$`, 'm'));
  });

  test('--format speedscope -o writes a file speedscope opens; -m module', () => {
    const out = path.join(dir, 'profile.speedscope.json');
    const r = hotpath(['--backend', 'builtin', '--mode', 'cpu', '--rate', '200', '--format', 'speedscope', '-o', out, '--', python, '-m', 'profmod', '0.3']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, bare(['-m', 'profmod', '0.3']).stdout);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    assertSpeedscope(doc);
    assert.equal(doc.hotpath.mode, 'cpu');
    assert.equal(doc.hotpath.rateHz, 200);
    assert.ok(doc.shared.frames.some((f: { name: string; file: string }) => f.name === 'work' && f.file === fixture('profmod/__main__.py')));
  });

  test('a crash: the traceback and status 1, and the JSON report after it', () => {
    const r = hotpath(['--backend', 'builtin', '--format', 'json', '--', python, 'crash.py']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, bare(['crash.py']).stderr);
    const summary = JSON.parse(r.stdout) as ProfileSummary;
    assert.ok(summary.functions.some((f) => f.name === 'spin'), JSON.stringify(summary.functions.slice(0, 3)));
  });

  test('Ctrl-C (SIGINT to hotpath) stops the program and still reports what ran', async () => {
    const child = spawn(process.execPath, [hotpathBin, 'profile', '--backend', 'builtin', '--format', 'json', '--', python, 'forever.py'], {
      cwd: fixtures,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (t: string) => {
        stdout += t;
        if (stdout.startsWith('started\n')) resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.match(stderr, /KeyboardInterrupt\ninterrupted\n$|interrupted\n[\s\S]*KeyboardInterrupt\n$/);
    const summary = JSON.parse(stdout.slice('started\n'.length)) as ProfileSummary;
    assert.ok(summary.functions.find((f) => f.name === 'spin')!.totalSeconds > 0.3, JSON.stringify(summary.functions.slice(0, 3)));
  });

  test('usage errors exit 2 with a message', () => {
    const r = hotpath(['--backend', 'nope', '--', python, 'exit3.py']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^hotpath: error: --backend: unknown value 'nope' \(expected auto, builtin, py-spy, torch\)\n/);
    const none = hotpath([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /name the program after --/);
  });
});
