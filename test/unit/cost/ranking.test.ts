// Ranking findings by measured cost: exact messages, severities, hiding, and no double counting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../../../server/src/analyzer/finding';
import { formatCost, formatPercent, formatSeconds } from '../../../server/src/cost/format';
import { constructOf, type FileCosts, indexByFile, rankFindings, regionCost } from '../../../server/src/cost/ranking';
import { DEFAULT_RANKING, type ProfileCosts } from '../../../server/src/protocol';
import type { LineCost } from '../../../server/src/profile/summary';
import { findings } from '../analyzer/harness';

const SOURCE = `import numpy as np

def step(a, b):
    out = np.empty(len(a))
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out

def grow(xs):
    acc = np.array([])
    for x in xs:
        acc = np.append(acc, x)
    return acc
`;
const PATH = '/work/train.py';

function line(lineNo: number, fn: string, totalSeconds: number, path = PATH): LineCost {
  return { path, line: lineNo, function: fn, selfSeconds: totalSeconds, totalSeconds, selfPercent: totalSeconds * 25, totalPercent: totalSeconds * 25 };
}

/** A 4-second run: the loop in `step` (lines 5-6) takes 1.72 s, the growth in `grow` (line 12) 20 ms. */
const PROFILE: ProfileCosts = {
  durationSeconds: 4,
  lines: [
    line(6, 'step', 1.52),
    // A frame of its own on line 6 (a generator expression): already inside line 6's total.
    line(6, '<genexpr>', 1.0),
    line(5, 'step', 0.2),
    line(4, 'step', 0.1),
    line(12, 'grow', 0.02),
  ],
  functions: [
    { path: PATH, name: 'step', line: 3, selfSeconds: 1.82, totalSeconds: 1.82, selfPercent: 45.5, totalPercent: 45.5 },
    { path: PATH, name: 'grow', line: 9, selfSeconds: 0.02, totalSeconds: 0.02, selfPercent: 0.5, totalPercent: 0.5 },
  ],
};

function costsOf(profile: ProfileCosts): FileCosts {
  const file = indexByFile(profile, (p) => p).get(PATH);
  assert.ok(file);
  return file;
}

const HP101 = 'This loop computes element-wise arithmetic one element at a time in Python; the same work as a NumPy array expression runs in compiled code.';
const HP201 =
  '`acc` is grown with `np.append` on every iteration, copying all of it each time (quadratic). Collect the pieces in a list and join them once after the loop.';

describe('rankFindings', () => {
  it('says what a hot loop and a cold call cost, and raises the hot one a severity step', async () => {
    const ranked = rankFindings(await findings(SOURCE), SOURCE, costsOf(PROFILE), DEFAULT_RANKING);
    assert.deepEqual(
      ranked.map(({ finding, cost }) => [finding.rule, finding.severity, finding.message, cost]),
      [
        ['HP101', 'error', `This loop is 43% of the run (1.7 s). ${HP101}`, { seconds: 1.72, percent: 43, heat: 'hot' }],
        ['HP201', 'warning', `This call is 0.5% of the run (20 ms). ${HP201}`, { seconds: 0.02, percent: 0.5, heat: 'cold' }],
      ],
    );
  });

  it('hides cold findings only when asked to', async () => {
    const ranked = rankFindings(await findings(SOURCE), SOURCE, costsOf(PROFILE), { ...DEFAULT_RANKING, hideColdFindings: true });
    assert.deepEqual(ranked.map((r) => r.finding.rule), ['HP101']);
  });

  it('follows the thresholds: a warm finding keeps its severity, a finding under no threshold is hot', async () => {
    const warm = rankFindings(await findings(SOURCE), SOURCE, costsOf(PROFILE), { ...DEFAULT_RANKING, hotThreshold: 50 });
    assert.deepEqual(warm.map((r) => [r.finding.rule, r.finding.severity, r.cost?.heat]), [['HP101', 'warning', 'warm'], ['HP201', 'warning', 'cold']]);
    const all = rankFindings(await findings(SOURCE), SOURCE, costsOf(PROFILE), { hotThreshold: 0, coldThreshold: 0, hideColdFindings: true });
    assert.deepEqual(all.map((r) => [r.finding.rule, r.finding.severity, r.cost?.heat]), [['HP101', 'error', 'hot'], ['HP201', 'error', 'hot']]);
  });

  it('raises hint to information and information to warning, and leaves error as it is', async () => {
    const found = await findings(SOURCE, { severity: { HP101: 'hint' } });
    assert.deepEqual(rankFindings(found, SOURCE, costsOf(PROFILE), DEFAULT_RANKING)[0].finding.severity, 'information');
    const info = await findings(SOURCE, { severity: { HP101: 'information' } });
    assert.deepEqual(rankFindings(info, SOURCE, costsOf(PROFILE), DEFAULT_RANKING)[0].finding.severity, 'warning');
    const error = await findings(SOURCE, { severity: { HP101: 'error' } });
    assert.deepEqual(rankFindings(error, SOURCE, costsOf(PROFILE), DEFAULT_RANKING)[0].finding.severity, 'error');
  });

  it('says so when the profile measured no time in the code, and leaves files it did not measure alone', async () => {
    const found = await findings(SOURCE);
    const onlyStep: ProfileCosts = { ...PROFILE, lines: PROFILE.lines.filter((l) => l.function !== 'grow') };
    const ranked = rankFindings(found, SOURCE, costsOf(onlyStep), DEFAULT_RANKING);
    assert.equal(ranked[1].finding.message, `The profile measured no time in this call. ${HP201}`);
    assert.deepEqual(ranked[1].cost, { seconds: 0, percent: 0, heat: 'cold' });
    assert.deepEqual(rankFindings(found, SOURCE, undefined, { ...DEFAULT_RANKING, hideColdFindings: true }), found.map((finding) => ({ finding })));
  });
});

describe('regionCost', () => {
  const file = costsOf(PROFILE);

  it('adds up the lines of one function and leaves out frames nested in them', () => {
    assert.deepEqual(regionCost(file, 5, 6), { seconds: 1.72, percent: 43 });
    assert.deepEqual(regionCost(file, 6, 6), { seconds: 1.52, percent: 38 });
    assert.deepEqual(regionCost(file, 7, 11), { seconds: 0, percent: 0 });
  });

  it("never counts more than the function's total or the run", () => {
    // A recursive function: its lines' totals overlap, the function's own total does not.
    const recursive = costsOf({
      durationSeconds: 2,
      lines: [line(5, 'walk', 1.5), line(6, 'walk', 1.5)],
      functions: [{ path: PATH, name: 'walk', line: 3, selfSeconds: 0.2, totalSeconds: 1.6, selfPercent: 10, totalPercent: 80 }],
    });
    assert.deepEqual(regionCost(recursive, 5, 6), { seconds: 1.6, percent: 80 });
    const noFunctions = costsOf({ durationSeconds: 2, lines: [line(5, 'walk', 1.5), line(6, 'walk', 1.5)], functions: [] });
    assert.deepEqual(regionCost(noFunctions, 5, 6), { seconds: 2, percent: 100 });
  });
});

describe('indexByFile', () => {
  it('groups lines and functions under the key of their path', () => {
    const other = '/WORK/Train.py';
    const files = indexByFile(
      { durationSeconds: 1, lines: [line(1, 'f', 0.5), line(2, 'f', 0.25, other)], functions: [] },
      (p) => p.toLowerCase(),
    );
    assert.deepEqual([...files.keys()], ['/work/train.py']);
    assert.deepEqual([...files.get('/work/train.py')!.lines.keys()], [1, 2]);
  });
});

describe('constructOf', () => {
  it('names loops, comprehensions, calls and other statements', () => {
    assert.equal(constructOf('for x in xs:\n    pass'), 'loop');
    assert.equal(constructOf('async for x in xs:\n    pass'), 'loop');
    assert.equal(constructOf('while True:\n    pass'), 'loop');
    assert.equal(constructOf('[f(x) for x in xs]'), 'comprehension');
    assert.equal(constructOf('np.append(acc, x)'), 'call');
    assert.equal(constructOf('if t > 0:\n    pass'), 'statement');
  });
});

describe('format', () => {
  it('writes shares and durations with two or three significant digits', () => {
    assert.deepEqual([43.04, 9.96, 4.349, 0.5, 0.04, 0].map(formatPercent), ['43%', '10%', '4.3%', '0.5%', '<0.1%', '0%']);
    assert.deepEqual([125.4, 12.4, 1.94, 0.34, 0.0025, 0.00008, 0].map(formatSeconds), ['125 s', '12 s', '1.9 s', '340 ms', '2.5 ms', '80 µs', '0 s']);
    assert.equal(formatCost(41.2, 1.94), '41% · 1.9 s');
  });
});

// The analyzer caches its findings per document: ranking must not change them in place.
it('returns new findings and leaves the given ones untouched', async () => {
  const found: Finding[] = await findings(SOURCE);
  const before = structuredClone(found);
  rankFindings(found, SOURCE, costsOf(PROFILE), DEFAULT_RANKING);
  assert.deepEqual(found, before);
});
