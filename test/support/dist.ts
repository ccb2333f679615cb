// The built program the tests run, as users run it. scripts/test.sh builds dist/ first; run alone,
// a test file rebuilds it when stale through scripts/hotpath.mjs, the same path `npm run hotpath` takes.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const hotpathBin = path.join(repoRoot, 'dist', 'hotpath.js');

export function ensureBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'hotpath.mjs'), '--version'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`could not build dist/: ${result.stderr}`);
}
