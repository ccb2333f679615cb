// The server's warm-up types into its own sample: the sample must give the rules work where it is typed into.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../server/src/analyzer/analyze';
import { createParser, parseSource } from '../../../server/src/analyzer/parse';
import { WARM_UP_SAMPLE, warmUp } from '../../../server/src/lsp/warmUp';

describe('warm-up', () => {
  it('finds hot paths in the function, the method and the module-level loop it types into', async () => {
    const parser = await createParser();
    const tree = parseSource(parser, WARM_UP_SAMPLE);
    const found = analyze(tree, WARM_UP_SAMPLE, {});
    tree.delete();
    const lineOf = (offset: number) => WARM_UP_SAMPLE.slice(0, offset).split('\n').length;
    const at = (text: string) => lineOf(WARM_UP_SAMPLE.indexOf(text));
    const lines = found.map((f) => lineOf(f.start));
    for (const [from, to] of [['def normalize', 'class Trainer'], ['def fit', 'total = 0.0'], ['for k in range(100)', '\n\n\n\n']]) {
      const until = WARM_UP_SAMPLE.includes(to) ? at(to) : Infinity;
      assert.ok(lines.some((l) => l >= at(from) && l < until), `no finding between \`${from}\` and \`${to}\`: ${JSON.stringify(found.map((f) => [f.rule, lineOf(f.start)]))}`);
    }
    // It types where it means to (it throws when a line it types after is missing).
    assert.doesNotThrow(() => warmUp(parser));
    parser.delete();
  });
});
