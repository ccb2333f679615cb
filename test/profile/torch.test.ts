// The torch backend. Its attribution logic runs on synthetic profiler events with any Python;
// a real run needs an interpreter with PyTorch (scripts/setup-torch.sh makes .venv-torch with
// Debian's CPU build) and is skipped, saying why, without one. No GPU machine was lent to this
// work: the CUDA path is tested on CPU only (CPU activities here, and the hand-made CUDA trace
// in load.test.ts). Multi-process jobs: DataLoader workers (forked), torch.multiprocessing.spawn
// ranks (DDP on gloo), and torchrun where it runs bare (torch 1.13's does not on Python 3.11).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { samplerRoot } from '../../server/src/profile/python';
import { runProfile } from '../../server/src/profile/run';
import type { SpeedscopeFile } from '../../server/src/profile/speedscope';
import { repoRoot } from '../support/dist';
import { assertSpeedscope, fixture, fixtures, python, pythonMissing } from './support';

/** An interpreter that can import torch, or the reason there is none. */
function torchPython(): { python: string } | { skip: string } {
  const candidates = [process.env.HOTPATH_TORCH_PYTHON, path.join(repoRoot, '.venv-torch', 'bin', 'python'), python, '/usr/bin/python3'];
  for (const c of candidates) {
    if (c && existsSync(c) && spawnSync(c, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return { python: c };
  }
  return { skip: 'no interpreter here can import torch (run scripts/setup-torch.sh, or set HOTPATH_TORCH_PYTHON)' };
}

test('kernel time, syncs and idle time go to the executing user line (synthetic events)', { skip: pythonMissing() ?? false }, () => {
  const script = `
import json, sys
from types import SimpleNamespace as N
from hotpath_sampler.torch_bridge import gpu_summary
lib = ("/opt/venv/lib/python3.11/",)
T = "/home/user/train.py"
events = [
    # The line mark (a record_function range around the torch call) names the executing line, 43;
    # torch's own stack names step by its def line.
    N(name="aten::linear", device_type="DeviceType.CPU", kernels=[N(name="sgemm", device=0, duration=3000.0), N(name="bias", device=0, duration=500.0)],
      cpu_parent=N(name="aten::matmul", cpu_parent=N(name="hotpath@" + T + ":43", cpu_parent=None)),
      stack=["/opt/venv/lib/python3.11/site-packages/torch/nn/functional.py(10): linear", T + "(42): step", T + "(90): <module>"]),
    N(name="aten::_local_scalar_dense", device_type="DeviceType.CPU", kernels=[], stack=[T + "(47): step", T + "(90): <module>"]),
    N(name="cudaStreamSynchronize", device_type="DeviceType.CPU", kernels=[], stack=[T + "(47): step"]),
    N(name="aten::relu", device_type="DeviceType.CPU", kernels=[N(name="relu", device=0, duration=1000.0)], stack=["/opt/venv/lib/python3.11/site-packages/torch/x.py(1): f"]),
    N(name="sgemm", device_type="DeviceType.CUDA", kernels=[], stack=[], time_range=N(start=1000.0, end=4000.0)),
    N(name="bias", device_type="DeviceType.CUDA", kernels=[], stack=[], time_range=N(start=4000.0, end=4500.0)),
    N(name="relu", device_type="DeviceType.CUDA", kernels=[], stack=[], time_range=N(start=6000.0, end=7000.0)),
]
json.dump(gpu_summary(events, True, "NVIDIA H200", lib), sys.stdout)
`;
  const r = spawnSync(python, ['-c', script], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: samplerRoot() } });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    device: 'NVIDIA H200',
    kernelSeconds: 0.0045, // the relu launched from torch's own code counts in the total, on no user line
    idleSeconds: 0.0015,
    lines: [
      { path: '/home/user/train.py', line: 43, kernelSeconds: 0.0035, kernelCount: 2, syncCount: 0 },
      { path: '/home/user/train.py', line: 47, kernelSeconds: 0, kernelCount: 0, syncCount: 2 },
    ],
  });
});

const torch = torchPython();
describe('torch backend, a real run', { skip: 'skip' in torch ? torch.skip : false }, () => {
  test('CPU activities without CUDA: said so; the Python time per line as with builtin', async () => {
    const py = (torch as { python: string }).python;
    let stdout = '';
    const out = path.join(fixtures, '..', '..', '..', '.test-artifacts', 'torch.speedscope.json');
    const result = await runProfile(
      { python: py, target: { script: 'torch_cpu.py', args: [] }, cwd: fixtures, backend: 'torch', mode: 'wall', rateHz: 100, stdio: 'pipe', outputPath: out },
      { onOutput: (s, t) => s === 'stdout' && (stdout += t) },
    );
    assert.equal(result.exitCode, 0);
    assert.equal(result.backend, 'torch');
    assert.equal(stdout.split('\n').filter((l) => l.startsWith('loss ')).length, 8);
    const cuda = spawnSync(py, ['-c', 'import torch; print(torch.cuda.is_available())'], { encoding: 'utf8' }).stdout.trim() === 'True';
    if (!cuda) assert.ok(result.warnings.some((w) => w.startsWith('CUDA is not available')), result.warnings.join('\n'));
    assert.ok(result.summary.gpu);
    assert.equal(result.summary.gpu!.device, cuda ? result.summary.gpu!.device : 'cpu');
    const train = result.summary.functions.find((f) => f.name === 'train' && f.path === fixture('torch_cpu.py'))!;
    assert.equal(train.line, 5);
    assert.ok(train.totalSeconds > 0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as SpeedscopeFile;
    assertSpeedscope(doc);
    assert.equal(doc.hotpath!.backend, 'torch');
    assert.ok(existsSync(out.replace('.speedscope.json', '.torch-trace.json')), 'the Chrome trace is written next to the profile');
  });
});

/** Why torchrun cannot start two workers with this interpreter, or null (torch 1.13's elastic
 * launcher fails on Python 3.11 before it starts any: its Std flags changed meaning). */
function torchrunProblem(py: string): string | null {
  const r = spawnSync(py, ['-m', 'torch.distributed.run', '--nproc_per_node=2', fixture('torch_ddp.py')], { encoding: 'utf8', cwd: fixtures, timeout: 120_000 });
  if (r.status === 0) return null;
  return `torchrun does not run bare with ${py}: ${(r.stderr || '').trim().split('\n').pop()}`;
}

const pidsOf = (stdout: string, pattern: RegExp) => [...stdout.matchAll(pattern)].map((m) => Number(m[1])).sort((a, b) => a - b);

describe('torch backend, multi-process jobs: one profile per process, merged with its pid', { skip: 'skip' in torch ? torch.skip : false }, () => {
  const py = () => (torch as { python: string }).python;
  const run = async (target: { script: string; args: string[] } | { module: string; args: string[] }, name: string) => {
    let stdout = '';
    const out = path.join(repoRoot, '.test-artifacts', `${name}.speedscope.json`);
    const result = await runProfile(
      { python: py(), target, cwd: fixtures, backend: 'torch', mode: 'wall', rateHz: 100, stdio: 'pipe', outputPath: out },
      { onOutput: (s, t) => s === 'stdout' && (stdout += t) },
    );
    const doc = JSON.parse(readFileSync(out, 'utf8')) as SpeedscopeFile;
    return { result, stdout, out, doc };
  };

  test('DataLoader workers (forked): their loading time, under their own pids', async () => {
    const { result, stdout, doc } = await run({ script: 'torch_dataloader.py', args: [] }, 'torch-dataloader');
    assert.equal(result.exitCode, 0);
    const workers = stdout.match(/^workers (\d+) (\d+)$/m)!.slice(1).map(Number);
    const main = result.summary.processes![0].pid;
    assert.deepEqual(result.summary.processes!.map((p) => p.pid).sort((a, b) => a - b), [main, ...workers].sort((a, b) => a - b));
    const load = result.summary.functions.find((f) => f.name === 'load_item' && f.path === fixture('torch_dataloader.py'))!;
    assert.deepEqual(load.pids, workers);
    // 32 items of 20 ms, loaded by the two workers.
    assert.ok(load.totalSeconds > 0.5 && load.totalSeconds < 1.2, `load_item: ${load.totalSeconds}`);
    const evaluate = result.summary.functions.find((f) => f.name === 'evaluate' && f.path === fixture('torch_dataloader.py'))!;
    assert.deepEqual(evaluate.pids, [main]);
    assert.ok(evaluate.totalSeconds > 0.15, `evaluate: ${evaluate.totalSeconds}`);
    assertSpeedscope(doc);
  });

  test('torch.multiprocessing.spawn ranks (DDP on gloo): each rank profiled with its own torch trace', async () => {
    const { result, stdout, out, doc } = await run({ script: 'torch_ddp.py', args: [] }, 'torch-ddp');
    assert.equal(result.exitCode, 0);
    const ranks = pidsOf(stdout, /^rank \d pid (\d+)$/gm);
    assert.equal(ranks.length, 2);
    const stepFn = result.summary.functions.find((f) => f.name === 'step' && f.path === fixture('torch_ddp.py'))!;
    assert.deepEqual(stepFn.pids, ranks);
    assert.equal(stepFn.line, 12);
    for (const pid of ranks) {
      assert.ok(existsSync(out.replace('.speedscope.json', `.${pid}.torch-trace.json`)), `rank ${pid}'s Chrome trace`);
      assert.equal(result.summary.processes!.find((p) => p.pid === pid)!.parentPid, result.summary.processes![0].pid);
    }
    assert.ok(result.summary.gpu, 'the merged GPU summary');
    // The ranks' warnings (CUDA missing, as the target's) are said once, not once per process.
    assert.ok(result.warnings.filter((w) => w.includes('CUDA is not available')).length <= 1, result.warnings.join('\n'));
    assertSpeedscope(doc);
  });

  test('torchrun --nproc_per_node=2: the workers it starts, each with its pid', async (t) => {
    const problem = torchrunProblem(py());
    if (problem) return t.skip(problem);
    const { result, stdout } = await run({ module: 'torch.distributed.run', args: ['--nproc_per_node=2', 'torch_ddp.py'] }, 'torchrun');
    assert.equal(result.exitCode, 0);
    const ranks = pidsOf(stdout, /^rank \d pid (\d+)$/gm);
    const stepFn = result.summary.functions.find((f) => f.name === 'step' && f.path === fixture('torch_ddp.py'))!;
    assert.deepEqual(stepFn.pids, ranks);
  });
});
