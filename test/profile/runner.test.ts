// runProfile under each backend the machine can run: the program behaves as it does without a
// profiler (argv, __main__, sys.path[0], environment, output, exit status), and a failing,
// exiting or interrupted program still leaves its profile.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pySpyArgs } from '../../server/src/profile/pyspy';
import { runProfile } from '../../server/src/profile/run';
import type { ProfileRequest, RunProfileOptions } from '../../server/src/profile/request';
import type { SpeedscopeFile } from '../../server/src/profile/speedscope';
import { assertSpeedscope, bare, fixture, fixtures, pySpyMissing, python, pythonMissing } from './support';

const BACKENDS = [
  { backend: 'builtin' as const, skip: pythonMissing() },
  { backend: 'py-spy' as const, skip: pySpyMissing() },
];

async function profiled(backend: 'builtin' | 'py-spy', target: ProfileRequest['target'], options: RunProfileOptions = {}, extra: Partial<ProfileRequest> = {}) {
  let stdout = '';
  let stderr = '';
  const result = await runProfile(
    { python, target, cwd: fixtures, backend, mode: 'wall', rateHz: 100, stdio: 'pipe', ...extra },
    {
      ...options,
      onOutput: (stream, text) => {
        if (stream === 'stdout') stdout += text;
        else stderr += text;
        options.onOutput?.(stream, text);
      },
    },
  );
  const doc = JSON.parse(readFileSync(result.profilePath, 'utf8')) as SpeedscopeFile;
  return { result, stdout, stderr, doc };
}

for (const { backend, skip } of BACKENDS) {
  describe(`${backend} backend`, { skip: skip ?? false }, () => {
    test('a script sees the argv, __main__, sys.path[0] and environment of a bare run', async () => {
      const { result, stdout, stderr, doc } = await profiled(backend, { script: 'identity.py', args: ['a', 'b c'] });
      const want = bare(['identity.py', 'a', 'b c']);
      assert.equal(stderr, want.stderr);
      assert.deepEqual(JSON.parse(stdout), JSON.parse(want.stdout));
      assert.equal(JSON.parse(stdout).hotpath_in_path, false);
      assert.equal(result.exitCode, 0);
      assert.equal(result.backend, backend);
      assert.deepEqual(result.warnings, []);
      assertSpeedscope(doc);
    });

    test('-m module runs as python -m does', async () => {
      const { result, stdout } = await profiled(backend, { module: 'profmod', args: ['0.4'] });
      assert.deepEqual(JSON.parse(stdout), JSON.parse(bare(['-m', 'profmod', '0.05']).stdout.replace('"0.05"', '"0.4"')));
      const work = result.summary.functions.find((f) => f.name === 'work')!;
      assert.equal(work.path, fixture('profmod/__main__.py'));
      assert.equal(work.line, 7);
      assert.ok(work.totalSeconds > 0.25 && work.totalSeconds < 0.6, `work: ${work.totalSeconds}`);
    });

    test('a crash: the same traceback and exit status, and the profile of what ran', async () => {
      const { result, stderr, doc } = await profiled(backend, { script: 'crash.py', args: [] });
      const want = bare(['crash.py']);
      assert.equal(result.exitCode, 1);
      assert.equal(stderr, want.stderr);
      const spin = result.summary.functions.find((f) => f.name === 'spin')!;
      assert.equal(spin.line, 5);
      assert.ok(spin.totalSeconds > 0.2, `spin: ${spin.totalSeconds}`);
      assertSpeedscope(doc);
    });

    test('a crash in a -m module: the traceback of python -m (runpy frames and all)', async () => {
      const { result, stderr } = await profiled(backend, { module: 'crashmod', args: [] });
      const want = bare(['-m', 'crashmod']);
      assert.equal(result.exitCode, 1);
      assert.match(want.stderr, /<frozen runpy>|runpy\.py/);
      assert.equal(stderr, want.stderr);
      assert.ok(result.summary.functions.find((f) => f.name === 'spin')!.totalSeconds > 0.2);
    });

    test('sys.exit(3): exit status 3 and the profile', async () => {
      const { result, stdout } = await profiled(backend, { script: 'exit3.py', args: [] });
      assert.equal(result.exitCode, 3);
      assert.equal(stdout, 'leaving with 3\n');
      assert.ok(result.summary.functions.find((f) => f.name === 'spin')!.totalSeconds > 0.2, JSON.stringify(result.summary.functions.slice(0, 3)));
    });

    test('aborting stops the program with SIGINT and keeps what was measured', async () => {
      const controller = new AbortController();
      let began = 0;
      const { result, stderr } = await profiled(
        backend,
        { script: 'forever.py', args: [] },
        {
          signal: controller.signal,
          onOutput: (stream, text) => {
            if (stream === 'stdout' && text.includes('started') && !began) {
              began = performance.now();
              setTimeout(() => controller.abort(), 700);
            }
          },
        },
      );
      assert.equal(result.signal, 'SIGINT');
      assert.equal(result.exitCode, null);
      assert.match(stderr, /interrupted\n/);
      assert.match(stderr, /KeyboardInterrupt/);
      const spin = result.summary.functions.find((f) => f.name === 'spin')!;
      assert.ok(spin.totalSeconds > 0.4, `spin: ${spin.totalSeconds}`);
    });

    test('threads: each thread is its own profile, each worker its own function', async () => {
      const { result, doc } = await profiled(backend, { script: 'threads.py', args: [] });
      const fn = (name: string) => result.summary.functions.find((f) => f.name === name);
      for (const name of ['worker_a', 'worker_b']) {
        assert.ok(fn(name), `${name} missing`);
        assert.ok(fn(name)!.totalSeconds > 0.25 && fn(name)!.totalSeconds < 0.6, `${name}: ${fn(name)!.totalSeconds}`);
      }
      assert.ok(doc.profiles.length >= 3, `profiles: ${doc.profiles.map((p) => p.name).join(', ')}`);
    });
  });
}

describe('py-spy specifics', { skip: pySpyMissing() ?? false }, () => {
  test('--subprocesses follows a Python child', async () => {
    const { result, stdout } = await profiled('py-spy', { script: 'subprocess_parent.py', args: [] }, {}, { subprocesses: true });
    assert.equal(stdout, 'child exited 0\n');
    const child = result.summary.functions.find((f) => f.name === 'child_work');
    // py-spy finds new children by polling, so the first part of the child's 1 s may be missed.
    assert.ok(child && child.totalSeconds > 0.3 && child.totalSeconds < 1.2, `child_work: ${child?.totalSeconds}`);
  });

  test('--native: native frames under the Python line, the runner frames gone', async () => {
    const { result, doc } = await profiled('py-spy', { script: 'numpy_call.py', args: [] }, {}, { native: true });
    const files = new Set(doc.profiles.flatMap((p) => (p.type === 'sampled' ? p.samples.flat() : [])).map((i) => doc.shared.frames[i].file ?? ''));
    assert.ok([...files].some((f) => /\.so(\.\d+)*$/.test(f)), `no native frames among ${[...files].join(', ')}`);
    assert.ok(![...files].some((f) => f.includes('hotpath_sampler') || f.includes('runpy')), [...files].join(', '));
    const sort = result.summary.lines.find((l) => l.path === fixture('numpy_call.py') && l.line === 14)!;
    assert.ok(sort.selfSeconds > 0.1 && sort.selfSeconds >= sort.totalSeconds - 0.01, JSON.stringify(sort));
  });

  test('--nonblocking: py-spy reads the program without pausing it, with the same attribution', async () => {
    assert.deepEqual(pySpyArgs({ pid: 7, output: 'o.json', rateHz: 100, mode: 'wall', nonblocking: true }), [
      'record', '--pid', '7', '--format', 'chrometrace', '--output', 'o.json', '--rate', '100', '--full-filenames', '--idle', '--nonblocking',
    ]);
    const { result } = await profiled('py-spy', { module: 'profmod', args: ['0.4'] }, {}, { nonblocking: true });
    assert.equal(result.backend, 'py-spy');
    const work = result.summary.functions.find((f) => f.name === 'work')!;
    assert.ok(work.totalSeconds > 0.25 && work.totalSeconds < 0.6, `work: ${work.totalSeconds}`);
  });

  test('without --subprocesses only the parent is profiled (as with builtin)', async () => {
    const { result } = await profiled('py-spy', { script: 'subprocess_parent.py', args: [] });
    assert.equal(result.summary.functions.find((f) => f.name === 'child_work'), undefined);
  });

  test('attaching to a running process with --pid for a duration', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(python, [fixture('forever.py')], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    try {
      const result = await runProfile({ python, target: { pid: child.pid!, durationSeconds: 1 }, backend: 'auto', mode: 'wall', rateHz: 100 });
      assert.equal(result.backend, 'py-spy');
      const spin = result.summary.functions.find((f) => f.name === 'spin')!;
      assert.equal(spin.path, fixture('forever.py'));
      assert.ok(spin.totalSeconds > 0.7 && spin.totalSeconds < 1.3, `spin: ${spin.totalSeconds}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('auto and fallbacks', { skip: pythonMissing() ?? false }, () => {
  test('py-spy asked for but not found: builtin, with a warning that says so', async () => {
    // /usr/bin/python3 has no py-spy beside it, and PATH has none either.
    const result = await runProfile({
      python: '/usr/bin/python3',
      target: { script: 'exit3.py', args: [] },
      cwd: fixtures,
      env: { PATH: '/usr/bin:/bin' },
      backend: 'py-spy',
      mode: 'wall',
      rateHz: 100,
      stdio: 'pipe',
    });
    assert.equal(result.backend, 'builtin');
    assert.equal(result.exitCode, 3);
    assert.deepEqual(result.warnings, [
      'py-spy was not found next to the interpreter or on PATH (install it with `pip install py-spy`); profiled with the builtin sampler instead.',
    ]);
    assert.ok(result.summary.functions.find((f) => f.name === 'spin')!.totalSeconds > 0.2, JSON.stringify(result.summary.functions.slice(0, 3)));
  });

  test('py-spy that may not attach: the reason, what to do, and the builtin sampler instead', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-fake-pyspy-'));
    try {
      symlinkSync('/usr/bin/python3', path.join(dir, 'python'));
      writeFileSync(path.join(dir, 'py-spy'), '#!/bin/sh\necho "Error: Failed to attach to process: Operation not permitted (os error 1)" >&2\nexit 1\n', { mode: 0o755 });
      const result = await runProfile({
        python: path.join(dir, 'python'),
        target: { script: 'exit3.py', args: [] },
        cwd: fixtures,
        backend: 'auto',
        mode: 'wall',
        rateHz: 100,
        stdio: 'pipe',
      });
      assert.equal(result.backend, 'builtin');
      assert.equal(result.exitCode, 3);
      assert.equal(result.warnings.length, 1);
      assert.match(result.warnings[0], /^py-spy is not permitted to read the process \(py-spy said: Error: Failed to attach to process: Operation not permitted \(os error 1\)\)\./);
      assert.match(result.warnings[0], /ptrace_scope=0.*SYS_PTRACE.*Profiled with the builtin sampler instead\.$/);
      assert.ok(result.summary.functions.find((f) => f.name === 'spin')!.totalSeconds > 0.2, JSON.stringify(result.summary.functions.slice(0, 3)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
