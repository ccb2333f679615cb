// Bundles the extension client and the server/CLI with esbuild, and copies the tree-sitter WASM
// files next to the server bundle, where parse.ts looks for them first.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const watch = process.argv.includes('--watch');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // The ESM build of web-tree-sitter reads import.meta.url, which a CommonJS bundle empties;
  // its CommonJS build finds the runtime WASM through locateFile instead.
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
};

const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: dist,
    external: ['vscode'],
    minify: true,
  },
  {
    ...common,
    entryPoints: { hotpath: 'server/src/main.ts' },
    outdir: dist,
    banner: { js: '#!/usr/bin/env node' },
  },
];

mkdirSync(dist, { recursive: true });
for (const file of ['node_modules/web-tree-sitter/tree-sitter.wasm', 'node_modules/tree-sitter-python/tree-sitter-python.wasm']) {
  copyFileSync(join(root, file), join(dist, file.split('/').pop()));
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  // dist/hotpath.js is package.json's `bin`: runnable as `hotpath`.
  chmodSync(join(dist, 'hotpath.js'), 0o755);
}
