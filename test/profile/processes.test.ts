// Multi-process programs: the builtin sampler follows Python children (`subprocesses`), each
// child writes its own profile and the summary merges them, keeping each process's id. Also the
// merge itself on made-up profiles, and py-spy's own --subprocesses as it reaches the summary.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { mergeGpu, mergeProcesses } from '../../server/src/profile/processes';
import { runProfile } from '../../server/src/profile/run';
import type { ProfileRequest } from '../../server/src/profile/request';
import { SPEEDSCOPE_SCHEMA, type SpeedscopeFile } from '../../server/src/profile/speedscope';
import { summarize } from '../../server/src/profile/summarize';
import { samplerRoot } from '../../server/src/profile/python';
import { assertSpeedscope, bare, fixture, fixtures, pySpyMissing, python, pythonMissing } from './support';

async function profiled(target: ProfileRequest['target'], extra: Partial<ProfileRequest> = {}) {
  let stdout = '';
  let stderr = '';
  const result = await runProfile(
    { python, target, cwd: fixtures, backend: 'builtin', mode: 'wall', rateHz: 100, stdio: 'pipe', subprocesses: true, ...extra },
    { onOutput: (stream, text) => (stream === 'stdout' ? (stdout += text) : (stderr += text)) },
  );
  const doc = JSON.parse(readFileSync(result.profilePath, 'utf8')) as SpeedscopeFile;
  return { result, stdout, stderr, doc };
}

/** "NAME PID" lines of a fixture's output. */
const pidsOf = (stdout: string, name: string) => [...stdout.matchAll(new RegExp(`^${name} (\\d+)`, 'gm'))].map((m) => Number(m[1]));

describe('builtin backend, child processes', { skip: pythonMissing() ?? false }, () => {
  test('subprocess, fork, spawn and forkserver children: one profile each, merged with its pid', async () => {
    const { result, stdout, doc } = await profiled({ script: 'multiprocess_parent.py', args: ['fork', 'spawn', 'forkserver'] });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(result.warnings, []);
    const [sub] = pidsOf(stdout, 'subprocess');
    const [fork] = pidsOf(stdout, 'fork');
    const [spawn] = pidsOf(stdout, 'spawn');
    const [forkserver] = pidsOf(stdout, 'forkserver');
    const [parent] = pidsOf(stdout, 'parent');
    const s = result.summary;
    const procs = s.processes!;
    assert.ok(procs, 'a multi-process summary lists its processes');
    assert.deepEqual(procs[0], { ...procs[0], pid: parent, parentPid: null, argv: ['multiprocess_parent.py', 'fork', 'spawn', 'forkserver'] });
    for (const pid of [sub, fork, spawn, forkserver]) assert.ok(procs.some((p) => p.pid === pid), `process ${pid} in ${JSON.stringify(procs)}`);
    assert.equal(procs.find((p) => p.pid === sub)!.parentPid, parent);
    assert.deepEqual(procs.find((p) => p.pid === sub)!.argv, [fixture('subprocess_child.py')]);
    assert.equal(procs.find((p) => p.pid === fork)!.parentPid, parent);
    assert.equal(procs.find((p) => p.pid === spawn)!.parentPid, parent);

    const childWork = s.functions.find((f) => f.name === 'child_work')!;
    assert.deepEqual(childWork.pids, [sub]);
    assert.equal(childWork.line, 5);
    // The child spins 1 s; the machine may be busy, so the bound is loose on the high side.
    assert.ok(childWork.totalSeconds > 0.8 && childWork.totalSeconds < 1.3, `child_work: ${childWork.totalSeconds}`);
    const mpWork = s.functions.find((f) => f.name === 'mp_work')!;
    assert.deepEqual(mpWork.pids, [fork, spawn, forkserver].sort((a, b) => a - b));
    assert.ok(mpWork.totalSeconds > 3 * 0.5 && mpWork.totalSeconds < 3 * 0.8, `mp_work: ${mpWork.totalSeconds}`);
    const spin = s.lines.find((l) => l.path === fixture('multiprocess_parent.py') && l.line === 13)!;
    assert.deepEqual(spin.pids, [fork, spawn, forkserver].sort((a, b) => a - b));
    // The parent waits in join(); its own profile has no mp_work.
    const join = s.lines.find((l) => l.path === fixture('multiprocess_parent.py') && l.line === 26)!;
    assert.deepEqual(join.pids, [parent]);

    assertSpeedscope(doc);
    assert.ok(doc.profiles.some((p) => p.name.startsWith(`Process ${sub}: MainThread`)), doc.profiles.map((p) => p.name).join(', '));
    assert.ok(doc.profiles.some((p) => p.name === `Process ${fork}: MainThread (tid ${fork})`), doc.profiles.map((p) => p.name).join(', '));
  });

  test('children keep their exit status, output and tracebacks; os._exit is reported as unprofiled', async () => {
    const scripts = ['exit3.py', 'crash.py', 'os_exit.py', 'identity.py'];
    const { result, stdout } = await profiled({ script: 'run_children.py', args: scripts });
    const want = bare(['run_children.py', ...scripts]);
    const noPids = (text: string) => text.replace(/^(\S+\.py) \d+ /gm, '$1 PID ');
    // identity.py as a child sees PYTHONPATH with the hook folder in it (so its own children are
    // followed), and otherwise what a bare child sees.
    const hook = path.join(samplerRoot(), 'hotpath_hook');
    assert.equal(noPids(stdout), noPids(want.stdout).replace('"pythonpath": null', `"pythonpath": ${JSON.stringify(hook)}`));
    assert.equal(result.exitCode, 0);
    const [exit3, crash, osExit] = ['exit3', 'crash', 'os_exit'].map((n) => pidsOf(stdout, `${n}\\.py`)[0]);
    // sys.exit(3) and an uncaught exception still write the child's profile.
    for (const [script, pid] of [['exit3.py', exit3], ['crash.py', crash]] as const) {
      const spin = result.summary.functions.find((f) => f.name === 'spin' && f.path === fixture(script))!;
      assert.deepEqual(spin.pids, [pid]);
      assert.ok(spin.totalSeconds > 0.25, `${script} spin: ${spin.totalSeconds}`);
    }
    assert.deepEqual(result.warnings, [
      `No profile from child process ${osExit} (${fixture('os_exit.py')}): killed, left through os._exit, or still running when the program ended.`,
    ]);
  });

  test("the child's own sitecustomize still runs (the hook runs it after itself)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-sitecustomize-'));
    try {
      writeFileSync(path.join(dir, 'sitecustomize.py'), 'import sys\nsys.marker = "site ran"\n');
      writeFileSync(path.join(dir, 'child.py'), 'import sys\nprint(getattr(sys, "marker", None), [p for p in sys.path if "hotpath_hook" in p])\n');
      writeFileSync(path.join(dir, 'parent.py'), 'import os, subprocess, sys\nsubprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "child.py")])\n');
      const { result, stdout, doc } = await profiled({ script: path.join(dir, 'parent.py'), args: [] }, { env: { PYTHONPATH: dir } });
      assert.equal(stdout, 'site ran []\n');
      assert.deepEqual(result.warnings, []);
      // The child wrote its profile (too short to hold a sample, maybe).
      assert.deepEqual((doc.hotpath!.processes as { argv: string[] }[]).map((p) => p.argv), [[path.join(dir, 'parent.py')], [path.join(dir, 'child.py')]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('without subprocesses only the target is profiled, and its environment is a bare run\'s', async () => {
    const { result, stdout } = await profiled({ script: 'run_children.py', args: ['exit3.py', 'identity.py'] }, { subprocesses: false });
    assert.equal(result.summary.processes, undefined);
    assert.equal(result.summary.functions.find((f) => f.name === 'spin'), undefined);
    assert.match(stdout, /"pythonpath": null/);
  });
});

describe('py-spy --subprocesses', { skip: pySpyMissing() ?? false }, () => {
  test('the summary keeps the pid of each process py-spy read', async () => {
    const { result, stdout } = await profiled({ script: 'multiprocess_parent.py', args: [] }, { backend: 'py-spy' });
    assert.equal(result.backend, 'py-spy');
    const [sub] = pidsOf(stdout, 'subprocess');
    const childWork = result.summary.functions.find((f) => f.name === 'child_work')!;
    assert.deepEqual(childWork.pids, [sub]);
    assert.ok(result.summary.processes!.some((p) => p.pid === sub));
  });
});

describe('merging per-process profiles', () => {
  const file = '/p/train.py';
  const doc = (pid: number, frames: SpeedscopeFile['shared']['frames'], samples: number[][], weights: number[], extra: Record<string, unknown> = {}): SpeedscopeFile => ({
    $schema: SPEEDSCOPE_SCHEMA,
    shared: { frames },
    profiles: [{ type: 'sampled', name: 'MainThread', unit: 'seconds', startValue: 0, endValue: 1, samples, weights }],
    hotpath: { version: 1, backend: 'builtin', mode: 'wall', pid, durationSeconds: 2, sampleCount: samples.length, defLines: frames.map(() => 1), ...extra },
  });

  test('frames shared, each profile named and counted by its process', () => {
    const main = { name: '<module>', file, line: 9 };
    const work = { name: 'work', file, line: 3 };
    const load = { name: 'load', file, line: 6 };
    const root = doc(10, [main, work], [[0, 1], [0]], [0.5, 0.25], { target: { kind: 'script', name: 'train.py', args: ['x'] } });
    const child = doc(11, [load, main, work], [[1, 2], [1, 0]], [0.3, 0.2], { parentPid: 10, argv: ['train.py', 'x'], warnings: ['w1'] });
    const merged = mergeProcesses(root, [child])!;
    assert.deepEqual(merged.shared.frames, [main, work, load]);
    assert.deepEqual(
      merged.profiles.map((p) => [p.name, p.type === 'sampled' ? p.samples : null]),
      [
        ['Process 10: MainThread', [[0, 1], [0]]],
        ['Process 11: MainThread', [[0, 1], [0, 2]]],
      ],
    );
    assert.deepEqual(merged.hotpath!.profilePids, [10, 11]);
    assert.deepEqual(merged.hotpath!.childWarnings, ['Process 11: w1']);
    const s = summarize(merged, { backend: 'builtin', mode: 'wall' });
    assert.equal(s.durationSeconds, 2);
    assert.deepEqual(
      s.functions.map((f) => [f.name, f.totalSeconds, f.selfSeconds, f.pids]),
      [
        ['<module>', 1.25, 0.25, [10, 11]],
        ['work', 0.8, 0.8, [10, 11]],
        ['load', 0.2, 0.2, [11]],
      ],
    );
    assert.deepEqual(s.processes, [
      { pid: 10, parentPid: null, argv: ['train.py', 'x'], sampledSeconds: 0.75, sampleCount: 2 },
      { pid: 11, parentPid: 10, argv: ['train.py', 'x'], sampledSeconds: 0.5, sampleCount: 2 },
    ]);
    // One process: no pids anywhere, as before.
    const single = summarize(root, { backend: 'builtin', mode: 'wall' });
    assert.equal(single.processes, undefined);
    assert.equal(single.functions[0].pids, undefined);
  });

  test('GPU summaries: kernel time and syncs summed per line, with the processes', () => {
    const line = (l: number, k: number, n: number, sync: number) => ({ path: file, line: l, kernelSeconds: k, kernelCount: n, syncCount: sync });
    const gpu = mergeGpu([
      { pid: 20, parentPid: null, argv: [], durationSeconds: 1, gpu: { device: 'H200', kernelSeconds: 0.5, idleSeconds: 0.1, lines: [line(5, 0.4, 4, 0), line(8, 0, 0, 2)] } },
      { pid: 21, parentPid: 20, argv: [], durationSeconds: 1, gpu: { device: 'H200', kernelSeconds: 0.25, idleSeconds: 0.05, lines: [line(5, 0.2, 2, 1)] } },
      { pid: 22, parentPid: 20, argv: [], durationSeconds: 1 },
    ]);
    assert.deepEqual(gpu, {
      device: 'H200',
      kernelSeconds: 0.75,
      idleSeconds: 0.15000000000000002,
      lines: [
        { ...line(5, 0.6000000000000001, 6, 1), pids: [20, 21] },
        { ...line(8, 0, 0, 2), pids: [20] },
      ],
    });
  });
});
