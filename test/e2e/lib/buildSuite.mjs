// Bundles the in-host test suite (test/e2e/suite/*.ts) into one CommonJS file
// that VS Code's extension host can `require`. `vscode` stays external: the host provides it.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export async function buildSuite(repoRoot) {
  // esbuild is one of the extension's own dev dependencies (root node_modules).
  const esbuild = createRequire(path.join(repoRoot, 'package.json'))('esbuild');
  const outDir = path.join(repoRoot, 'out', 'e2e', 'suite');
  const outfile = path.join(outDir, 'suite.js');
  await esbuild.build({
    entryPoints: [path.join(repoRoot, 'test', 'e2e', 'suite', 'index.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // HOTPATH_E2E_GREP (a regular expression) runs only the tests whose names match it.
    define: { 'process.env.HOTPATH_E2E_GREP': JSON.stringify(process.env.HOTPATH_E2E_GREP ?? '') },
  });
  // The entry the host loads turns source maps on first, so that failures point
  // at test/e2e/suite/*.ts lines rather than at the bundle.
  const entry = path.join(outDir, 'index.js');
  fs.writeFileSync(
    entry,
    "'use strict';\nprocess.setSourceMapsEnabled(true);\nmodule.exports = require('./suite.js');\n",
  );
  return entry;
}
