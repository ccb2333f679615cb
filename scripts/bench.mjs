// Runs the analyzer benchmark on the code as it ships: bundled by esbuild the way dist/hotpath.js
// is (run through tsx instead, every call across modules goes through an export accessor, which
// costs the 100k-line analysis several per cent that users never pay).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist', 'bench', 'analyzer.bench.js');
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['bench/analyzer.bench.ts'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
});
const run = spawnSync(process.execPath, ['--expose-gc', outfile, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
