import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { reduceSamples, type SampledProfile, type SpeedscopeFile } from '../../../src/webview/page/reduce';

function file(samples: number[][], weights: number[]): SpeedscopeFile {
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    profiles: [{ type: 'sampled', name: 'run', samples, weights }],
  };
}

test('a profile within the limit is left as it is', () => {
  const f = file([[0], [0, 1]], [1, 1]);
  assert.equal(reduceSamples(f, 2), undefined);
  assert.deepEqual((f.profiles[0] as SampledProfile).samples, [[0], [0, 1]]);
});

test('past the limit, equal stacks within a slice merge, in order of first appearance, weights summed', () => {
  // Two halves: A B A B | C A C A. With a limit of 4, two slices give A,B | C,A.
  const A = [0, 1];
  const B = [0, 2];
  const C = [0, 3];
  const f = file([A, B, A, B, C, A, C, A], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(reduceSamples(f, 4), { before: 8, after: 4 });
  const profile = f.profiles[0] as SampledProfile;
  assert.deepEqual(profile.samples, [A, B, C, A]);
  assert.deepEqual(profile.weights, [4, 6, 12, 14]);
  assert.equal(profile.name, 'run (8 samples, drawn as 4)');
});

test('the total weight of every stack is kept', () => {
  const stacks = [[0], [0, 1], [0, 1, 2], [0, 3]];
  const samples = Array.from({ length: 10_000 }, (_, i) => stacks[(i * 7 + (i >> 5)) % stacks.length]);
  const weights = samples.map((_, i) => (i % 3) + 1);
  const totals = (s: number[][], w: number[]) => {
    const t = new Map<string, number>();
    s.forEach((stack, i) => t.set(stack.join(','), (t.get(stack.join(',')) ?? 0) + w[i]));
    return t;
  };
  const expected = totals(samples, weights);
  const f = file(samples, weights);
  const reduction = reduceSamples(f, 500);
  assert.ok(reduction && reduction.after <= 500, `reduced to ${reduction?.after}`);
  const profile = f.profiles[0] as SampledProfile;
  assert.deepEqual(totals(profile.samples, profile.weights), expected);
});
