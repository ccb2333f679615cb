// The labelled corpora: the project's own (test/fixtures/corpus) and the public one from ../shared,
// with score thresholds; and every fix offered on the public corpus and the runnable rewrite set
// leaves a file that parses. The ../shared parts are skipped where it is not beside the repo.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findings, lineOf, applyFix, parses } from './harness';

const SHARED = path.resolve(__dirname, '..', '..', '..', '..', 'shared');
const CORPUS = path.join(SHARED, 'corpus', 'public');
const REWRITES = path.join(SHARED, 'rewrites', 'public');
const skip = !fs.existsSync(CORPUS) && `no corpus at ${CORPUS}`;

/** Precision and recall of the analyzer on a labelled corpus (file, line and category must all match). */
async function score(dir: string): Promise<{ precision: number; recall: number; misses: string[]; extra: string[] }> {
  const labels: Record<string, { line: number; category: string }[]> = JSON.parse(fs.readFileSync(path.join(dir, 'labels.json'), 'utf8')).files;
  const gold = new Set<string>();
  const predicted = new Set<string>();
  for (const [name, entries] of Object.entries(labels)) {
    for (const e of entries) gold.add(`${name}:${e.line}:${e.category}`);
    const source = fs.readFileSync(path.join(dir, name), 'utf8');
    for (const f of await findings(source, { path: name })) predicted.add(`${name}:${lineOf(source, f.start)}:${f.category}`);
  }
  const tp = [...predicted].filter((p) => gold.has(p)).length;
  const precision = tp / Math.max(predicted.size, 1);
  const recall = tp / Math.max(gold.size, 1);
  const misses = [...gold].filter((g) => !predicted.has(g));
  const extra = [...predicted].filter((p) => !gold.has(p));
  return { precision, recall, misses, extra };
}

for (const name of ['corpus', 'corpus2', 'corpus3', 'corpus4', 'corpus5', 'corpus6', 'corpus7', 'corpus8']) {
  describe(`own corpus (written apart from the rules, test/fixtures/${name})`, () => {
    it('reaches precision >= 0.90 and recall >= 0.85', async () => {
      const { precision, recall, misses, extra } = await score(path.join(__dirname, '..', '..', 'fixtures', name));
      assert.ok(precision >= 0.9, `precision ${precision.toFixed(3)}; false positives: ${extra.join(', ')}`);
      assert.ok(recall >= 0.85, `recall ${recall.toFixed(3)}; false negatives: ${misses.join(', ')}`);
    });
  });
}

describe('public corpus', { skip }, () => {
  it('reaches precision >= 0.90 and recall >= 0.85', async () => {
    const { precision, recall, misses, extra } = await score(CORPUS);
    assert.ok(precision >= 0.9, `precision ${precision.toFixed(3)}; false positives: ${extra.join(', ')}`);
    assert.ok(recall >= 0.85, `recall ${recall.toFixed(3)}; false negatives: ${misses.join(', ')}`);
  });

  for (const dir of [CORPUS, REWRITES]) {
    it(`every fix in ${path.basename(path.dirname(dir))}/${path.basename(dir)} parses when applied alone`, async () => {
      let count = 0;
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.py'))) {
        const source = fs.readFileSync(path.join(dir, name), 'utf8');
        for (const f of await findings(source, { path: name })) {
          for (const fix of f.fixes) {
            count++;
            assert.ok(await parses(applyFix(source, fix)), `${name}:${lineOf(source, f.start)} ${f.rule} "${fix.title}"`);
          }
        }
      }
      assert.ok(count > 0);
    });
  }
});
