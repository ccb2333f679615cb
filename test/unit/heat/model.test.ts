// The editor's view of a profile: heat levels, lines seen in several frames, the metric, samples,
// GPU work, the costliest lines, and file paths spelled differently.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { LineCost, ProfileSummary } from '../../../server/src/profile/summary';
import { isUserFile } from '../../../server/src/profile/chromeTrace';
import { HeatModel, heatLevel } from '../../../src/heat/model';

const FILE = '/work/train.py';

function line(n: number, fn: string, self: number, total: number, file = FILE): LineCost {
  return { path: file, line: n, function: fn, selfSeconds: self, totalSeconds: total, selfPercent: self * 10, totalPercent: total * 10 };
}

/** A 10-second run of 1,000 samples. */
const SUMMARY: ProfileSummary = {
  version: 1,
  backend: 'torch',
  mode: 'wall',
  durationSeconds: 10,
  sampleCount: 1000,
  lines: [
    line(31, 'main', 0, 9.5),
    line(12, 'step', 4, 4.3),
    // A generator expression's own frame on line 12: inside the outer total, its self time adds.
    line(12, '<genexpr>', 0.5, 0.5),
    line(13, 'step', 0.05, 0.05),
    line(7, 'forward', 3, 3, '/venv/lib/python3.11/site-packages/torch/nn/modules/linear.py'),
  ],
  functions: [{ path: FILE, name: 'step', line: 10, selfSeconds: 4.55, totalSeconds: 4.85, selfPercent: 45.5, totalPercent: 48.5 }],
  gpu: { device: 'NVIDIA H100', kernelSeconds: 2, lines: [{ path: FILE, line: 12, kernelSeconds: 1.5, kernelCount: 300, syncCount: 100 }] },
};

describe('heatLevel', () => {
  it('grows with the share of the run, in five levels', () => {
    assert.deepEqual([0, 0.01, 0.99, 1, 4.9, 5, 14.9, 15, 39.9, 40, 100].map(heatLevel), [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
  });
});

describe('HeatModel', () => {
  it("keeps one entry per line: the outer frame's total, the frames' self times added, samples and GPU work", () => {
    const hot = new HeatModel(SUMMARY, 'total').forFile(FILE)?.lines.get(12);
    assert.deepEqual(hot, {
      path: FILE,
      line: 12,
      function: 'step',
      selfSeconds: 4.5,
      totalSeconds: 4.3,
      selfPercent: 45,
      totalPercent: 43,
      percent: 43,
      seconds: 4.3,
      level: 5,
      samples: 430,
      gpu: { path: FILE, line: 12, kernelSeconds: 1.5, kernelCount: 300, syncCount: 100 },
    });
  });

  it('ranks by the chosen metric and lists only code a person can change', () => {
    const byTotal = new HeatModel(SUMMARY, 'total').topLines(10).map((l) => [l.line, l.seconds, l.level]);
    assert.deepEqual(byTotal, [[31, 9.5, 5], [12, 4.3, 5], [13, 0.05, 1]]);
    const bySelf = new HeatModel(SUMMARY, 'self').topLines(2).map((l) => [l.line, l.seconds, l.level]);
    assert.deepEqual(bySelf, [[12, 4.5, 5], [13, 0.05, 1]]);
    assert.equal(isUserFile('/venv/lib/python3.11/site-packages/torch/nn/modules/linear.py'), false);
    assert.equal(isUserFile('<frozen importlib._bootstrap>'), false);
    assert.equal(isUserFile('/root/.pyenv/versions/3.11.7/lib/python3.11/inspect.py'), false);
  });

  it('finds a file through a symbolic link to it', () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-heat-')));
    try {
      const real = path.join(dir, 'train.py');
      fs.writeFileSync(real, '');
      fs.symlinkSync(real, path.join(dir, 'link.py'));
      const model = new HeatModel({ ...SUMMARY, lines: [line(3, 'f', 1, 1, real)], functions: [], gpu: null }, 'total');
      assert.equal(model.forFile(path.join(dir, 'link.py'))?.lines.get(3)?.seconds, 1);
      assert.equal(model.forFile(path.join(dir, 'other.py')), undefined);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
