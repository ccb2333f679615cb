// summarize(): self and total time per line and per function, from hand-made profiles.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from '../../server/src/profile/summarize';
import type { SpeedscopeFile } from '../../server/src/profile/speedscope';

const frames = [
  { name: '<module>', file: '/p/main.py', line: 10 }, // 0
  { name: 'fib', file: '/p/main.py', line: 4 }, // 1: fib calls itself here
  { name: 'fib', file: '/p/main.py', line: 3 }, // 2: fib's base case
  { name: 'np.sort', file: '/usr/lib/libnumpy.so' }, // 3: a native frame (py-spy --native)
  { name: 'work', file: '/p/main.py', line: 7 }, // 4
];

function doc(samples: number[][], weights: number[], defLines?: (number | null)[]): SpeedscopeFile {
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'sampled', name: 'main', unit: 'seconds', startValue: 0, endValue: 1, samples, weights }],
    hotpath: defLines ? { version: 1, backend: 'builtin', mode: 'wall', defLines } : undefined,
  };
}

test('recursion counts a line once per sample in total time; the innermost line gets self time', () => {
  const s = summarize(doc([[0, 1, 1, 1, 2], [0, 1, 1]], [0.3, 0.1], [1, 2, 2, null, 6]), { backend: 'builtin', mode: 'wall', durationSeconds: 0.4 });
  const line = (n: number) => s.lines.find((l) => l.line === n)!;
  assert.deepEqual(line(4), { path: '/p/main.py', line: 4, function: 'fib', selfSeconds: 0.1, totalSeconds: 0.4, selfPercent: 25, totalPercent: 100 });
  assert.deepEqual(line(3), { path: '/p/main.py', line: 3, function: 'fib', selfSeconds: 0.3, totalSeconds: 0.3, selfPercent: 75, totalPercent: 75 });
  assert.deepEqual(line(10), { path: '/p/main.py', line: 10, function: '<module>', selfSeconds: 0, totalSeconds: 0.4, selfPercent: 0, totalPercent: 100 });
  // One function entry for fib (its def line from the file), counted once per sample.
  assert.deepEqual(
    s.functions.map((f) => [f.name, f.line, f.selfSeconds, f.totalSeconds]),
    [
      ['<module>', 1, 0, 0.4],
      ['fib', 2, 0.4, 0.4],
    ],
  );
  assert.equal(s.sampleCount, 2);
  assert.equal(s.durationSeconds, 0.4);
});

test('time in a native frame is self time of the Python line that called it', () => {
  const s = summarize(doc([[0, 4, 3]], [0.5]), { backend: 'py-spy', mode: 'wall' });
  assert.deepEqual(
    s.lines.map((l) => [l.line, l.selfSeconds, l.totalSeconds]),
    [
      [7, 0.5, 0.5],
      [10, 0, 0.5],
    ],
  );
  assert.ok(!s.functions.some((f) => f.name === 'np.sort'), 'native functions are not Python functions');
});

test('lines and functions sort by total time; percentages are of the duration', () => {
  const s = summarize(doc([[0, 4], [0, 1, 2], [0, 4]], [0.2, 0.1, 0.2]), { backend: 'builtin', mode: 'wall', durationSeconds: 1 });
  assert.deepEqual(
    s.lines.map((l) => [l.line, l.totalSeconds, l.totalPercent]),
    [
      [10, 0.5, 50],
      [7, 0.4, 40],
      [3, 0.1, 10],
      [4, 0.1, 10],
    ],
  );
});

test('cpu mode: the duration is the CPU time of all threads; wall mode: the longest thread', () => {
  const two: SpeedscopeFile = {
    ...doc([[0, 4]], [0.3]),
    profiles: [
      { type: 'sampled', name: 'a', unit: 'seconds', startValue: 0, endValue: 0.3, samples: [[0, 4]], weights: [0.3] },
      { type: 'sampled', name: 'b', unit: 'milliseconds', startValue: 0, endValue: 200, samples: [[4]], weights: [200] },
    ],
  };
  assert.equal(summarize(two, { backend: 'builtin', mode: 'cpu' }).durationSeconds, 0.5);
  assert.equal(summarize(two, { backend: 'builtin', mode: 'wall' }).durationSeconds, 0.3);
  assert.equal(summarize(two, { backend: 'builtin', mode: 'wall' }).lines.find((l) => l.line === 7)!.totalSeconds, 0.5);
});
