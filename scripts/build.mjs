// Bundles the extension client, the server/CLI and the flame graph page's scripts with esbuild,
// copies the tree-sitter WASM files next to the server bundle (where parse.ts looks for them
// first) and speedscope's built app into media/speedscope/ (the VSIX carries no node_modules).
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    // loadProfileFile in a worker thread of the extension host (src/profile/core.ts).
    ...common,
    entryPoints: { profileLoader: 'src/profile/loadWorker.ts' },
    outdir: dist,
    minify: true,
  },
  {
    ...common,
    entryPoints: { hotpath: 'server/src/main.ts' },
    outdir: dist,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    // The flame graph page: one script before speedscope's bundle, one after (src/webview/page/).
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    logLevel: 'warning',
    minify: true,
    entryPoints: { before: 'src/webview/page/before.ts', after: 'src/webview/page/after.ts' },
    outdir: join(dist, 'webview'),
  },
];

/**
 * Copies speedscope's release build into media/speedscope/ and records the names of its hashed
 * script and stylesheet in entry.json, where the webview page (src/webview/html.ts) reads them.
 */
function copySpeedscope() {
  const release = join(root, 'node_modules/speedscope/dist/release');
  const target = join(root, 'media/speedscope');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // The demo profile and the favicons are for speedscope's own website.
  const unused = /^(perf-vertx-.*|favicon-.*|release\.txt|index\.html|file-format-schema\.json)$/;
  for (const name of readdirSync(release)) {
    if (!unused.test(name)) copyFileSync(join(release, name), join(target, name));
  }
  copyFileSync(join(root, 'node_modules/speedscope/LICENSE'), join(target, 'LICENSE'));
  const index = readFileSync(join(release, 'index.html'), 'utf8');
  const script = /<script src="([^"]+\.js)"/.exec(index)?.[1];
  const style = /<link rel="stylesheet" href="([^"]+\.css)"/.exec(index)?.[1];
  if (!script || !style) throw new Error('speedscope: no script or stylesheet found in dist/release/index.html');
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/speedscope/package.json'), 'utf8'));
  writeFileSync(join(target, 'entry.json'), `${JSON.stringify({ version, script, style }, null, 2)}\n`);
}

mkdirSync(dist, { recursive: true });
copySpeedscope();
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
