// loadProfileFile: our speedscope files, py-spy's, and PyTorch Chrome traces (a CUDA one).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { idleTime } from '../../server/src/profile/chromeTrace';
import { loadProfileFile } from '../../server/src/profile/load';
import { findPySpy } from '../../server/src/profile/pyspy';
import { runProfile } from '../../server/src/profile/run';
import { fixture, fixtures, pySpyMissing, python, pythonMissing } from './support';

const dir = mkdtempSync(path.join(tmpdir(), 'hotpath-load-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a CUDA trace: kernel time, syncs and idle time per user line; Python time per line', async () => {
  const { summary, format } = await loadProfileFile(fixture('torch-cuda-trace.json'));
  assert.equal(format, 'trace');
  assert.equal(summary.backend, 'torch');
  assert.deepEqual(summary.gpu, {
    device: 'NVIDIA H200',
    kernelSeconds: 0.0045,
    // Kernels from the first two launches ran under torch's _call_impl: the user frame is step.
    idleSeconds: 0.0011,
    lines: [
      { path: '/home/user/train.py', line: 20, kernelSeconds: 0.004, kernelCount: 2, syncCount: 1 },
      { path: '/home/user/train.py', line: 40, kernelSeconds: 0.0005, kernelCount: 1, syncCount: 1 },
    ],
  });
  const fn = (name: string) => summary.functions.find((f) => f.name === name)!;
  assert.deepEqual([fn('step').line, fn('step').totalSeconds, fn('step').selfSeconds], [20, 0.008, 0.003]);
  assert.deepEqual([fn('loss_item').totalSeconds, fn('_call_impl').totalSeconds], [0.003, 0.002]);
  assert.equal(summary.durationSeconds, 0.01);
});

test('idle time is the span of the device work less the time some kernel ran', () => {
  assert.equal(idleTime([[0, 10], [5, 12], [20, 30]]), 8);
  assert.equal(idleTime([[0, 10], [2, 4]]), 0);
});

describe('speedscope files', { skip: pythonMissing() ?? false }, () => {
  test('ours: the summary of the run that wrote it', async () => {
    const out = path.join(dir, 'ours.speedscope.json');
    const result = await runProfile({ python, target: { script: 'exit3.py', args: [] }, cwd: fixtures, backend: 'builtin', mode: 'wall', rateHz: 100, stdio: 'pipe', outputPath: out });
    const { summary, format } = await loadProfileFile(out);
    assert.equal(format, 'speedscope');
    assert.deepEqual(summary, result.summary);
  });

  test("py-spy's own --format speedscope, def lines read from the source", { skip: pySpyMissing() ?? false }, async () => {
    const out = path.join(dir, 'py-spy.speedscope.json');
    // py-spy starting the program itself misses its first moments (it waits for the interpreter
    // to come up), so the program runs long enough to be seen.
    const r = spawnSync(findPySpy(python)!, ['record', '--format', 'speedscope', '--output', out, '--', python, '-m', 'profmod', '1.5'], {
      encoding: 'utf8',
      cwd: fixtures,
    });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const { summary, format } = await loadProfileFile(out, { python });
    assert.equal(format, 'speedscope');
    assert.equal(summary.backend, 'py-spy');
    const work = summary.functions.find((f) => f.name === 'work')!;
    assert.deepEqual([work.path, work.line], [fixture('profmod/__main__.py'), 7]);
    // py-spy's own speedscope weighs every sample 1/rate and falls behind on a busy machine: a
    // loose bound (our runs read its chrometrace instead).
    assert.ok(work.totalSeconds > 0.5, `work: ${work.totalSeconds}`);
    // Without an interpreter to read the source, the function's line is a line it executed.
    const plain = await loadProfileFile(out);
    assert.notEqual(plain.summary.functions.find((f) => f.name === 'work')!.line, 7);
  });
});
