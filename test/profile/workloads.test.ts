// Real ML-style programs under each backend: a long NumPy call counts on its own line, pandas and
// Numba-compiled code land in the functions that call them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { runProfile } from '../../server/src/profile/run';
import { fixture, fixtures, hasModule, pySpyMissing, python, pythonMissing } from './support';

const lineOf = (file: string, marker: string) => readFileSync(fixture(file), 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;

async function run(backend: 'builtin' | 'py-spy', script: string, onStdout?: (text: string) => void) {
  const result = await runProfile({
    python,
    target: { script, args: [] },
    cwd: fixtures,
    env: { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', NUMBA_NUM_THREADS: '1' },
    backend,
    mode: 'wall',
    rateHz: 100,
    stdio: 'pipe',
  }, { onOutput: (stream, text) => stream === 'stdout' && onStdout?.(text) });
  assert.equal(result.exitCode, 0);
  assert.equal(result.backend, backend);
  return result.summary;
}

const BACKENDS = [
  { backend: 'builtin' as const, skip: pythonMissing() },
  { backend: 'py-spy' as const, skip: pySpyMissing() },
];

for (const { backend, skip } of BACKENDS) {
  describe(`workloads, ${backend}`, { skip: skip ?? false }, () => {
    test('a long NumPy call is self time of its line', { skip: !hasModule('numpy') && 'numpy is not installed' }, async () => {
      let out = '';
      const s = await run(backend, 'numpy_call.py', (text) => (out += text));
      const spent = Number(/sort_seconds ([\d.]+)/.exec(out)![1]);
      const line = s.lines.find((l) => l.path === fixture('numpy_call.py') && l.line === lineOf('numpy_call.py', 'LONG_CALL'))!;
      assert.ok(line, 'the sort line has samples');
      assert.equal(s.functions.find((f) => f.name === 'long_call')!.line, 8);
      // The sorts' time, as the program measured it, is the line's own time: not undercounted
      // because each sort holds the GIL (weighing samples 1/rate would give it a few hundredths).
      // (The bound allows for a machine busy with other work, where the profiler and the program
      // are not scheduled when they would be.)
      assert.ok(Math.abs(line.selfSeconds - spent) <= Math.max(0.05, spent * 0.3), `sort line ${line.selfSeconds} s, measured ${spent} s`);
      assert.ok(line.selfSeconds >= line.totalSeconds - 0.01, JSON.stringify(line));
    });

    test('pandas group-by time lands in the calling function and line', { skip: !hasModule('pandas') && 'pandas is not installed' }, async () => {
      const s = await run(backend, 'pandas_work.py');
      const fn = s.functions.find((f) => f.name === 'group_means' && f.path === fixture('pandas_work.py'))!;
      assert.equal(fn.line, 6);
      const line = s.lines.find((l) => l.path === fixture('pandas_work.py') && l.line === lineOf('pandas_work.py', 'GROUPBY'))!;
      // The eight group-bys are most of group_means (building the frame is the rest).
      assert.ok(line.totalSeconds > 0.5 * fn.totalSeconds, `groupby line ${line.totalSeconds} of ${fn.totalSeconds}`);
      assert.ok(line.totalSeconds <= fn.totalSeconds);
    });

    test('a Numba-compiled function counts on the line that calls it', { skip: !hasModule('numba') && 'numba is not installed' }, async () => {
      const s = await run(backend, 'numba_work.py');
      const fn = s.functions.find((f) => f.name === 'run_compiled')!;
      assert.equal(fn.line, 15);
      const call = s.lines.find((l) => l.path === fixture('numba_work.py') && l.line === lineOf('numba_work.py', 'COMPILED_CALL'))!;
      assert.ok(call.selfSeconds > 0.1, `compiled call line ${call.selfSeconds}`);
    });
  });
}
