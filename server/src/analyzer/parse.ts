// Tree-sitter setup: one WASM runtime and one Python grammar per process.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser, Tree } from 'web-tree-sitter';

export type { Tree, Node as SyntaxNode, Edit as TreeEdit } from 'web-tree-sitter';

const RUNTIME_WASM = 'tree-sitter.wasm';
const GRAMMAR_WASM = 'tree-sitter-python.wasm';

/** Where a WASM file lives: next to the bundle in a build, in node_modules when run from source. */
function locateWasm(name: string): string {
  const beside = path.join(__dirname, name);
  if (fs.existsSync(beside)) return beside;
  // Both packages export their .wasm file by name.
  return require.resolve(name === RUNTIME_WASM ? 'web-tree-sitter/tree-sitter.wasm' : 'tree-sitter-python/tree-sitter-python.wasm');
}

let ready: Promise<Language> | undefined;

/** Loads the runtime and the grammar once; later calls share the same promise. */
export function loadPython(): Promise<Language> {
  ready ??= (async () => {
    await Parser.init({ locateFile: (file: string) => locateWasm(file === GRAMMAR_WASM ? GRAMMAR_WASM : RUNTIME_WASM) });
    return Language.load(locateWasm(GRAMMAR_WASM));
  })();
  return ready;
}

/** A parser for Python; the caller owns it (and the trees it makes) and deletes them when done. */
export async function createParser(): Promise<Parser> {
  const language = await loadPython();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses `source`, reusing `oldTree` (already edited with `tree.edit`) for an incremental parse. */
export function parseSource(parser: Parser, source: string, oldTree?: Tree | null): Tree {
  const tree = parser.parse(source, oldTree ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree (parse cancelled or timed out)');
  return tree;
}
