// The fixes, applied and run: on each rewrite set every fixed case must return what the original
// returned (a fix that changes a result is worse than none), and most cases must get a fix.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { ensureBuilt, repoRoot } from '../support/dist';
import { hotpath } from './run';

const CHECKER = path.resolve(repoRoot, '..', 'shared', 'rewrites', 'check.py');
const PYTHON = path.join(repoRoot, '.venv', 'bin', 'python');
const skip = (!fs.existsSync(CHECKER) && `no checker at ${CHECKER}`) || (!fs.existsSync(PYTHON) && 'no .venv (run scripts/setup.sh)');

const SETS = [
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites'), minFixed: 43 },
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites2'), minFixed: 48 },
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites3'), minFixed: 52 },
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites4'), minFixed: 50 },
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites5'), minFixed: 48 },
  { dir: path.join(repoRoot, 'test', 'fixtures', 'rewrites6'), minFixed: 51 },
  { dir: path.resolve(repoRoot, '..', 'shared', 'rewrites', 'public'), minFixed: 29 },
];

describe('rewrites', { skip }, () => {
  for (const { dir, minFixed } of SETS) {
    test(`${path.relative(repoRoot, dir)}: every fix keeps the result`, { skip: !fs.existsSync(dir) && `no set at ${dir}` }, () => {
      ensureBuilt();
      const findings = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-rewrites-')), 'findings.json');
      fs.writeFileSync(findings, hotpath(['check', '--format', 'json', dir]).stdout);
      const report = execFileSync(PYTHON, [CHECKER, dir, findings, '--repeat', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const bad = report.split('\n').filter((l) => /^(changed result|broken)/.test(l));
      assert.deepEqual(bad, []);
      const m = /rewrites fixed=(\d+)\/(\d+) correct=(\d+)\/(\d+)/.exec(report);
      assert.ok(m, report);
      const [fixed, , correct] = m.slice(1).map(Number);
      assert.equal(correct, fixed);
      assert.ok(fixed >= minFixed, `only ${fixed} cases fixed:\n${report}`);
    });
  }
});
