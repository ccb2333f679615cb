// Incremental re-analysis must give exactly what a from-scratch analysis of the same tree gives,
// whatever the edits: the document applies them the way the language server does (tree edits,
// incremental reparse, the cache told of each change), and every step is compared.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, analyzeEdited } from '../../../server/src/analyzer/analyze';
import { createParser, parseSource } from '../../../server/src/analyzer/parse';
import { DocumentState } from '../../../server/src/lsp/document';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules');

/** Snippets that change structure: strings that swallow code, new imports, new defs, dedents. */
const SNIPPETS = [
  ' ',
  'x',
  '\n',
  '\n    ',
  '"""',
  '(',
  ':',
  '#',
  'import numpy as np\n',
  'from numpy import *\n',
  'def helper(v):\n    return v\n',
  'global total\n',
  'for i in range(n):\n    out = np.append(out, i)\n',
  'np = None\n',
  '@njit\n',
];

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('incremental analysis', () => {
  // A document nobody else is editing keeps its tree-sitter tree; the others release it after each
  // analysis and parse afresh when the edited text cannot be parsed alone. Documents left alone
  // also have their light trees packed: the released one after every analysis, the kept one now
  // and then, so that packed statements, unpacked ones and new ones meet.
  for (const released of [false, true]) it(`matches a whole analysis of the document's tree after every one of many random edits (tree ${released ? 'released' : 'kept'})`, async () => {
    const parser = await createParser();
    const source = fs
      .readdirSync(FIXTURES)
      .filter((f) => f.endsWith('.py'))
      .sort()
      .map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'))
      .join('\n\n');
    const rand = random(20261121);
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    let withFindings = 0;
    let version = 1;
    const check = (what: string) => {
      // As the server does it: the whole tree only when the edited text cannot be parsed alone.
      let parsed = false;
      const tree = () => ((parsed = true), doc.currentTree(parser));
      const incremental = analyzeEdited(parser, tree, doc.text, {}, doc.cache);
      if (released) doc.releaseTree();
      if (released || rand() < 0.3) doc.cache.compact();
      // A kept tree not parsed for this analysis is compared now and then only: parsing it for the
      // reference would bring it up to date, and the cache must also cope with a tree that has
      // missed several edits (its next reparse reports all of them as changed).
      if (!released && !parsed && rand() < 0.7) {
        if (incremental.length) withFindings++;
        return;
      }
      // The reference is the tree the document has now: after syntax errors an incremental reparse
      // may recover differently from a fresh parse (both are right), and a released tree parses afresh.
      const reference = released ? parseSource(parser, doc.text) : doc.currentTree(parser);
      try {
        assert.deepEqual(incremental, analyze(reference, doc.text, {}), what);
      } finally {
        if (released) reference.delete();
      }
      if (incremental.length) withFindings++;
    };
    for (let step = 0; step < 300; step++) {
      // Now and then the client sends the whole text (no range): back to the start, through the other path.
      if (step % 25 === 24) {
        doc.applyChanges([{ text: source }], ++version);
        check(`reset at step ${step}`);
      }
      const text = doc.text;
      const at = Math.floor(rand() * text.length);
      const end = Math.min(text.length, at + (rand() < 0.4 ? Math.floor(rand() * 40) : 0));
      const inserted = rand() < 0.8 ? SNIPPETS[Math.floor(rand() * SNIPPETS.length)] : '';
      const range = { start: doc.textDocument.positionAt(at), end: doc.textDocument.positionAt(end) };
      doc.applyChanges([{ range, text: inserted }], ++version);
      check(`step ${step}: ${JSON.stringify({ at, end, inserted })}`);
      // Undoing half of the edits brings the code back to clean parses, the other path through the cache.
      if (rand() < 0.5) {
        const undo = { start: range.start, end: doc.textDocument.positionAt(at + inserted.length) };
        doc.applyChanges([{ range: undo, text: text.slice(at, end) }], ++version);
        assert.equal(doc.text, text);
        check(`undo of step ${step}`);
      }
    }
    // The edits must not have destroyed the code so far that nothing is found any more.
    assert.ok(withFindings > 300, `findings in only ${withFindings} checks`);
    doc.dispose();
    parser.delete();
  });

  // Edits after which the edited text, parsed alone, would not be what the whole parse makes of it.
  const BLOCK_CONTINUATIONS = [
    // A new line, indented, before `def second`: the def is indented into the function above, its body no longer its own.
    { name: 'a def indented after a new line', insert: '\n    ' },
    // `def second` commented out: its indented body continues the function above.
    { name: 'an indented body below a commented-out def', insert: '#' },
  ];
  for (const { name, insert } of BLOCK_CONTINUATIONS) {
    it(`joins ${name} to the function above, as the whole parse does`, async () => {
      const parser = await createParser();
      const source = ['import numpy as np', '', 'def first(x):', '    return x', '', '', 'def second(codes, n_bins):', '    counts = np.zeros(n_bins, dtype=np.int64)', '    for c in codes:', '        counts[c] += 1', '    return counts', '', '', 'def last(x):', '    return x', ''].join('\n');
      const doc = new DocumentState('file:///t.py', 'python', 1, source);
      assert.equal(analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache).length, 1);
      const def = doc.textDocument.positionAt(source.indexOf('def second'));
      doc.applyChanges([{ range: { start: def, end: def }, text: insert }], 2);
      const incremental = analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
      assert.deepEqual(incremental, analyze(doc.currentTree(parser), doc.text, {}));
      doc.dispose();
      parser.delete();
    });
  }

  it('keeps the findings of statements an edit did not touch', async () => {
    const parser = await createParser();
    const source = fs.readFileSync(path.join(FIXTURES, 'HP201.py'), 'utf8');
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    const before = analyze(doc.currentTree(parser), doc.text, {}, doc.cache);
    // One space at the end of the first line: every finding moves by one, none is recomputed.
    const eol = doc.textDocument.positionAt(doc.text.indexOf('\n'));
    doc.applyChanges([{ range: { start: eol, end: eol }, text: ' ' }], 2);
    const after = analyze(doc.currentTree(parser), doc.text, {}, doc.cache);
    assert.deepEqual(
      after.map((f) => [f.rule, f.start]),
      before.map((f) => [f.rule, f.start + 1]),
    );
    doc.dispose();
    parser.delete();
  });

  it('keeps the statements between a syntax error and edits analyzed without the whole tree', async () => {
    const parser = await createParser();
    const findings = fs.readFileSync(path.join(FIXTURES, 'HP201.py'), 'utf8');
    const marked = (name: string) => `def ${name}():\n    return 1  # a\n\n`;
    // A stray `)`: an ERROR statement at the top level.
    const source = `${marked('first')}${findings}\n)\n\n${marked('last')}`;
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    const analyzeNow = () => analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
    analyzeNow();
    // Same-length edits, so that nothing moves: `# a` becomes `+ a` in the first function, parsed
    // alone (the whole tree then misses it), then in the last, after the error: that needs the whole tree.
    const comment = doc.text.indexOf('# a');
    const replaceAt = (offset: number) => {
      const range = { start: doc.textDocument.positionAt(offset), end: doc.textDocument.positionAt(offset + 1) };
      doc.applyChanges([{ range, text: '+' }], doc.version + 1);
    };
    replaceAt(comment);
    const before = analyzeNow();
    replaceAt(doc.text.lastIndexOf('# a'));
    const after = analyzeNow();
    const between = (f: { start: number }) => f.start > comment && f.start < doc.text.indexOf('\n)\n');
    assert.ok(before.filter(between).length > 3);
    // Each the very object found before: not checked again.
    assert.deepEqual(after.filter(between).map((f) => before.includes(f)), before.filter(between).map(() => true));
    assert.deepEqual(after, analyze(doc.currentTree(parser), doc.text, {}));
    doc.dispose();
    parser.delete();
  });

  it("keeps the module's facts when only comments or spacing change inside a module-level literal", async () => {
    const parser = await createParser();
    const source = ['import numpy as np', '', 'WIDTHS = [', '    64,', '    128,', ']', 'LABEL = "a  b"', ''].join('\n');
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
    const edit = (find: string, text: string) => {
      const at = doc.text.indexOf(find);
      const range = { start: doc.textDocument.positionAt(at), end: doc.textDocument.positionAt(at + find.length) };
      doc.applyChanges([{ range, text }], doc.version + 1);
      const update = doc.cache.buildTreeAlone((t) => parseSource(parser, t), doc.text);
      assert.ok(update, 'the edited statement parses alone');
      return update.moduleUnchanged;
    };
    assert.equal(edit('    128,', '    128,  # the widest'), true);
    assert.equal(edit('    64,', '  64,'), true);
    // A new item, or spacing inside a string, is a different value.
    assert.equal(edit('  64,', '  64, 96,'), false);
    assert.equal(edit('"a  b"', '"a b"'), false);
    doc.dispose();
    parser.delete();
  });

  it("re-checks a loop when an edit changes the body of a method it calls in another statement", async () => {
    const parser = await createParser();
    const source = [
      'import random', '', 'SCALE = 2.0', '', '', 'class Arm:', '    def pull(self, rng):', '        return rng.random() * 2', '', '',
      'def play(arms, rounds, rng):', '    total = 0.0', '    for t in range(rounds):', '        total += arms[t % 3].pull(rng) * SCALE', '    return total', '',
    ].join('\n');
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    const rules = (fs: readonly { rule: string }[]) => fs.map((f) => f.rule);
    assert.deepEqual(rules(analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache)), ['HP701']);
    // The method now sorts a file's lines: the loop's iterations are no longer cheap.
    const at = doc.textDocument.positionAt(doc.text.indexOf('rng.random() * 2'));
    const end = doc.textDocument.positionAt(doc.text.indexOf('rng.random() * 2') + 'rng.random() * 2'.length);
    doc.applyChanges([{ range: { start: at, end }, text: 'sorted(open("f").readlines())' }], 2);
    const after = analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
    assert.deepEqual(after, analyze(doc.currentTree(parser), doc.text, {}));
    assert.deepEqual(rules(after), []);
    doc.dispose();
    parser.delete();
  });

  it('re-checks a repeated call when an edit makes a function it calls in between change its argument', async () => {
    const parser = await createParser();
    const source = [
      'import numpy as np', '', '', 'def score_of(s):', '    return float(s.sum())', '', '',
      'def report(s):', '    top = np.argsort(-s)', '    score = score_of(s)', '    return top, score, np.argsort(-s)[0]', '',
    ].join('\n');
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    const rules = (fs: readonly { rule: string }[]) => fs.map((f) => f.rule);
    assert.deepEqual(rules(analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache)), ['HP601']);
    // The function now sorts its argument in place: the second argsort sees other values.
    const at = doc.textDocument.positionAt(doc.text.indexOf('    return float'));
    doc.applyChanges([{ range: { start: at, end: at }, text: '    s.sort()\n' }], 2);
    const after = analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
    assert.deepEqual(after, analyze(doc.currentTree(parser), doc.text, {}));
    assert.deepEqual(rules(after), []);
    doc.dispose();
    parser.delete();
  });

  it('re-checks a read when an edit changes what a function it calls returns', async () => {
    const parser = await createParser();
    const source = [
      'import torch', '', '', 'def terms(x):', '    kl = torch.sum(x * x)', '    return torch.mean(x), kl', '', '',
      'def train(model, loader, opt):', '    log = []', '    for x in loader:', '        rec, kl = terms(model(x))',
      '        (rec + kl).backward()', '        opt.step()', '        log.append(float(kl))', '    return log', '',
    ].join('\n');
    const doc = new DocumentState('file:///t.py', 'python', 1, source);
    const rules = (fs: readonly { rule: string }[]) => fs.map((f) => f.rule);
    assert.deepEqual(rules(analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache)), ['HP401']);
    // The function now returns Python numbers: reading them costs nothing.
    const at = doc.textDocument.positionAt(doc.text.indexOf('torch.mean(x), kl'));
    const end = doc.textDocument.positionAt(doc.text.indexOf('torch.mean(x), kl') + 'torch.mean(x), kl'.length);
    doc.applyChanges([{ range: { start: at, end }, text: '0.0, 1.0' }], 2);
    const after = analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
    assert.deepEqual(after, analyze(doc.currentTree(parser), doc.text, {}));
    assert.deepEqual(rules(after), []);
    doc.dispose();
    parser.delete();
  });
});
