// Every rule against its fixture: exact anchor lines, fixes that parse and remove the finding,
// fix availability as declared, and a snapshot of messages and fix diffs (UPDATE_SNAPSHOTS=1).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../../server/src/analyzer/registry';
import { rulesTable } from '../../../server/src/analyzer/rulesTable';
import { applyFix, findings, lineOf, markedLines, parses, render } from './harness';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'rules');

describe('rules', () => {
  it('every rule has a fixture, docs with the fixed headings, and a unique id', () => {
    const ids = new Set<string>();
    for (const rule of RULES) {
      assert.ok(!ids.has(rule.id), `duplicate id ${rule.id}`);
      ids.add(rule.id);
      assert.ok(fs.existsSync(path.join(FIXTURES, `${rule.id}.py`)), `no fixture for ${rule.id}`);
      for (const heading of ['## What it flags', '## Why it is slow', '## Example', '## Use instead', '## When no fix is offered']) {
        assert.ok(rule.docs.body.includes(heading), `${rule.id} docs lack "${heading}"`);
      }
      assert.match(rule.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
  });

  for (const rule of RULES) {
    describe(`${rule.id} ${rule.name}`, () => {
      const file = path.join(FIXTURES, `${rule.id}.py`);
      const source = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

      it('flags exactly the marked lines', async () => {
        const found = await findings(source, { select: [rule.id] });
        assert.deepEqual(found.map((f) => lineOf(source, f.start)).sort((a, b) => a - b), markedLines(source, rule.id));
        for (const f of found) assert.equal(f.category, rule.category);
      });

      it('offers fixes only as declared; each fix parses and removes its finding', async () => {
        const found = await findings(source, { select: [rule.id] });
        const withFixes = found.filter((f) => f.fixes.length);
        if (rule.fixAvailability === 'never') assert.equal(withFixes.length, 0);
        if (rule.fixAvailability === 'always') assert.equal(withFixes.length, found.length);
        for (const f of withFixes) {
          for (const fix of f.fixes) {
            assert.ok(fix.title.length > 0);
            const fixed = applyFix(source, fix);
            assert.ok(await parses(fixed), `${rule.id} fix "${fix.title}" at line ${lineOf(source, f.start)} does not parse:\n${fixed}`);
            const after = await findings(fixed, { select: [rule.id] });
            assert.ok(after.length < found.length, `${rule.id} fix "${fix.title}" left its finding in place`);
          }
        }
      });

      it('matches the snapshot', async () => {
        const found = await findings(source, { select: [rule.id] });
        const snap = path.join(FIXTURES, `${rule.id}.snap`);
        const actual = render(source, found);
        if (process.env.UPDATE_SNAPSHOTS || !fs.existsSync(snap)) fs.writeFileSync(snap, actual);
        assert.equal(actual, fs.readFileSync(snap, 'utf8'));
      });
    });
  }
});

describe('README', () => {
  it('lists every rule as the registry has it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = /<!-- rules:start[^>]*-->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme);
    assert.ok(block, 'README has no generated rules block');
    assert.equal(block[1], rulesTable(), 'README rule table is stale: run npx tsx server/src/analyzer/rulesTable.ts');
  });
});
