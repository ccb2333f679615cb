// The light tree's packed form must give back exactly the nodes it was made from.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { type AstNode, buildAst, descendants, NodePacker } from '../../../server/src/analyzer/ast';
import { createParser, parseSource } from '../../../server/src/analyzer/parse';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules');

/** Every node below `statement` as text: type, field, offsets (moved by `delta`), error, and the parent's type. */
function shape(statement: AstNode, delta = 0): string[] {
  return descendants(statement)
    .slice(1)
    .map((n) => `${n.type}.${n.field} ${n.start + delta}-${n.end + delta} ${n.error} ${n.children.length} <${n.parent?.type}`);
}

describe('packed statements', () => {
  it('unpack to the nodes they were packed from, where their statement is now', async () => {
    const parser = await createParser();
    // Valid code, and the same with syntax errors (ERROR and MISSING nodes, error flags inherited).
    const valid = fs.readFileSync(path.join(FIXTURES, 'HP101.py'), 'utf8');
    for (const source of [valid, valid.replace(/\):\n/g, '\n').replace(/\]/, '')]) {
      const tree = parseSource(parser, source);
      const root = buildAst(tree);
      tree.delete();
      const packer = new NodePacker();
      let errors = 0;
      for (const statement of root.children) {
        const before = shape(statement, 5);
        const packed = packer.pack(statement);
        if (packed.hasError) errors++;
        statement.start += 5;
        statement.end += 5;
        packer.unpack(statement, packed);
        assert.deepEqual(shape(statement), before);
        assert.ok(descendants(statement).every((n) => n === statement || n.parent!.children.includes(n)));
      }
      assert.equal(errors > 0, source !== valid, 'syntax errors are noted in the packed form');
    }
    parser.delete();
  });
});
