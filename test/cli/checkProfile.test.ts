// `hotpath check --profile summary.json`: findings ranked by measured cost, as in the editor.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProfileSummary } from '../../server/src/profile/summary';
import { ensureBuilt, repoRoot } from '../support/dist';
import { hotpath } from './run';

const growth = 'test/fixtures/cli/growth.py';
const invariant = 'test/fixtures/cli/invariant.py';
const FOCUS = '--select=HP201,HP501';
const HP201 =
  '`out` is grown with `np.append` on every iteration, copying all of it each time (quadratic). Collect the pieces in a list and join them once after the loop.';

let tmp: string;
let summaryFile: string;

before(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-profile-'));
  // A 2-second run in which the growing call (growth.py line 7) takes 0.9 s; invariant.py was not measured.
  const file = path.join(repoRoot, growth);
  const summary: ProfileSummary = {
    version: 1,
    backend: 'builtin',
    mode: 'wall',
    durationSeconds: 2,
    sampleCount: 200,
    lines: [{ path: file, line: 7, function: 'doubled', selfSeconds: 0.9, totalSeconds: 0.9, selfPercent: 45, totalPercent: 45 }],
    functions: [{ path: file, name: 'doubled', line: 4, selfSeconds: 0.9, totalSeconds: 0.9, selfPercent: 45, totalPercent: 45 }],
    gpu: null,
  };
  summaryFile = path.join(tmp, 'summary.json');
  fs.writeFileSync(summaryFile, JSON.stringify(summary));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('check --profile', () => {
  test('text: the measured finding says what it cost; a file the profile did not measure is unchanged', () => {
    const r = hotpath(['check', FOCUS, '--profile', summaryFile, growth, invariant]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], `${growth}:7:15: HP201 [array-growth] This call is 45% of the run (900 ms). ${HP201}`);
    assert.match(lines[1], /^test\/fixtures\/cli\/invariant\.py:\d+:\d+: HP501 \[loop-invariant-call\] `re\.compile\(\.\.\.\)`/);
  });

  test('json: the spec fields, with the hot finding raised from warning to error', () => {
    const plain = JSON.parse(hotpath(['check', FOCUS, '--format', 'json', growth]).stdout);
    const r = hotpath(['check', FOCUS, '--format', 'json', '--profile', summaryFile, growth]);
    const ranked = JSON.parse(r.stdout);
    assert.equal(plain.findings[0].severity, 'warning');
    assert.deepEqual(ranked, {
      version: 1,
      findings: [{ ...plain.findings[0], severity: 'error', message: `This call is 45% of the run (900 ms). ${HP201}` }],
    });
  });

  test('--hide-cold leaves out findings the profile measured under 1% of the run', () => {
    const cold = path.join(tmp, 'cold.json');
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8')) as ProfileSummary;
    summary.durationSeconds = 10_000;
    fs.writeFileSync(cold, JSON.stringify(summary));
    const shown = hotpath(['check', FOCUS, '--profile', cold, growth]);
    assert.equal(shown.stdout.split('\n')[0], `${growth}:7:15: HP201 [array-growth] This call is <0.1% of the run (900 ms). ${HP201}`);
    const hidden = hotpath(['check', FOCUS, '--profile', cold, '--hide-cold', growth]);
    assert.equal(hidden.code, 0, hidden.stderr);
    assert.equal(hidden.stdout, 'No findings in 1 file.\n');
  });

  test('a file that is not a profile summary is a usage error', () => {
    const bad = path.join(tmp, 'bad.json');
    fs.writeFileSync(bad, '{"traceEvents": []}');
    const r = hotpath(['check', '--profile', bad, growth]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--profile: .*bad\.json is not a profile summary/);
    const missing = hotpath(['check', '--profile', path.join(tmp, 'none.json'), growth]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--profile: cannot read/);
    assert.equal(hotpath(['check', '--hide-cold', growth]).code, 2);
  });
});
