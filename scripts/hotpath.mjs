// `npm run -s hotpath -- ARGS` and `npm run -s lsp`: runs dist/hotpath.js with ARGS, first
// rebuilding dist/ when it is missing or older than a source file. Nothing but the tool's own
// output reaches stdout (the language server speaks LSP there).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'hotpath.js');

function mtime(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** The newest modification time of any file below `dir`. */
function newest(dir) {
  let latest = mtime(dir);
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return latest;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : mtime(path));
  }
  return latest;
}

const built = Math.min(mtime(bundle), mtime(join(root, 'dist', 'extension.js')));
const sources = Math.max(
  newest(join(root, 'server', 'src')),
  newest(join(root, 'src')),
  mtime(join(root, 'scripts', 'build.mjs')),
  mtime(join(root, 'package.json')),
);
if (built < 0 || built < sources) {
  // The build's own messages go to stderr, never to the stdout the tool owns.
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write('hotpath: the build failed (npm run build shows why)\n');
    process.exit(build.status ?? 2);
  }
}

// `npm run` moves to the package root; paths on the command line are relative to where it was typed.
if (process.env.npm_lifecycle_event && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// Run the bundle in this process: process.argv already reads `node <script> ARGS`, as it expects.
createRequire(import.meta.url)(bundle);
