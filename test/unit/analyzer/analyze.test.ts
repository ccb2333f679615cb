// The engine around the rules: suppression comments, rule selection, severities, test files,
// incremental re-analysis, and input that must never crash.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, AnalysisCache } from '../../../server/src/analyzer/analyze';
import { createParser, parseSource } from '../../../server/src/analyzer/parse';
import { findings, lineOf } from './harness';

const GROWTH = `import numpy as np
import re

def f(xs):
    out = np.array([])
    for x in xs:
        out = np.append(out, x)
        rx = re.compile("a+")
    return out
`;

describe('analyze', () => {
  it('reports each rule on its anchor line', async () => {
    const found = await findings(GROWTH);
    assert.deepEqual(found.map((f) => [f.rule, lineOf(GROWTH, f.start)]), [['HP201', 7], ['HP501', 8]]);
  });

  it('honours `# hotpath: ignore` and `# hotpath: ignore[ID]`', async () => {
    const all = GROWTH.replace('out = np.append(out, x)', 'out = np.append(out, x)  # hotpath: ignore');
    // Only its own line, whatever ends the lines (the next line's HP501 stays). (The grammar does not
    // take a lone \r for a line end: such a file parses with errors.)
    for (const eol of ['\n', '\r\n']) assert.deepEqual((await findings(all.replace(/\n/g, eol))).map((f) => f.rule), ['HP501'], JSON.stringify(eol));
    const other = GROWTH.replace('out = np.append(out, x)', 'out = np.append(out, x)  # hotpath: ignore[HP501]');
    assert.deepEqual((await findings(other)).map((f) => f.rule), ['HP201', 'HP501']);
    const byCategory = GROWTH.replace('out = np.append(out, x)', 'out = np.append(out, x)  # hotpath: ignore[array-growth]');
    assert.deepEqual((await findings(byCategory)).map((f) => f.rule), ['HP501']);
  });

  it('selects and ignores rules by id or category, and maps severities', async () => {
    assert.deepEqual((await findings(GROWTH, { select: ['HP201'] })).map((f) => f.rule), ['HP201']);
    assert.deepEqual((await findings(GROWTH, { ignore: ['loop-invariant-call'] })).map((f) => f.rule), ['HP201']);
    const sev = await findings(GROWTH, { severity: { HP201: 'error', 'loop-invariant-call': 'hint' } });
    assert.deepEqual(sev.map((f) => f.severity), ['error', 'hint']);
  });

  it('treats test files as clean', async () => {
    assert.deepEqual(await findings(GROWTH, { path: 'pkg/test_growth.py' }), []);
    assert.equal((await findings(GROWTH, { path: 'pkg/growth.py' })).length, 2);
  });

  it('re-analyzes incrementally with the same results as a full analysis', async () => {
    const parser = await createParser();
    const cache = new AnalysisCache();
    const before = GROWTH + '\n\ndef g(ys):\n    t = 0\n    for y in ys:\n        t += 1\n    return t\n';
    let tree = parseSource(parser, before);
    const first = analyze(tree, before, {}, cache);
    const after = before.replace('rx = re.compile("a+")', 'pass');
    tree.delete();
    tree = parseSource(parser, after);
    const second = analyze(tree, after, {}, cache);
    const fresh = analyze(tree, after, {});
    assert.deepEqual(second, fresh);
    assert.deepEqual(first.map((f) => f.rule), ['HP201', 'HP501']);
    assert.deepEqual(second.map((f) => f.rule), ['HP201']);
    tree.delete();
    parser.delete();
  });

  it('survives bad input and still analyzes what parses', async () => {
    const inputs = [
      '',
      '\uFEFF' + GROWTH,
      GROWTH.replace(/\n/g, '\r\n'),
      GROWTH.replace(/    /g, '\t'),
      'def broken(:\n    for x in y\n' + GROWTH,
      '\u0000\u0001\u0002binary',
      'x = ' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + '\n',
      Array.from({ length: 300 }, (_, i) => `${'    '.repeat(i)}if x:`).join('\n') + '\n',
      'x = 1  # ' + 'é😀'.repeat(1000) + '\n' + GROWTH,
    ];
    for (const text of inputs) {
      const found = await findings(text);
      assert.ok(Array.isArray(found));
    }
    // The functions after a syntax error are still analyzed.
    assert.ok((await findings('def broken(:\n    pass\n\n' + GROWTH)).some((f) => f.rule === 'HP201'));
    assert.ok((await findings(GROWTH.replace(/\n/g, '\r\n'))).some((f) => f.rule === 'HP201'));
  });
});

describe('fixes that add an import', () => {
  it('put `import numba` with the imports that open the module, before the function it decorates', async () => {
    const source = `import numpy as np


def ewma(xs, alpha):
    out = np.empty_like(xs)
    s = 0.0
    for i in range(len(xs)):
        s = alpha * xs[i] + (1 - alpha) * s
        out[i] = s
    return out


import json
`;
    const [finding] = (await findings(source)).filter((f) => f.rule === 'HP102');
    const importEdit = finding.fixes[0].edits.find((e) => e.newText.startsWith('import numba'));
    assert.equal(importEdit?.start, 'import numpy as np\n'.length);
  });
});
