// Exits 0 when node_modules holds exactly what package-lock.json pins (npm's own record of the
// installed tree, node_modules/.package-lock.json, agrees with it), so setup can skip `npm ci`.
import { readFileSync } from 'node:fs';

try {
  const want = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages;
  const have = JSON.parse(readFileSync('node_modules/.package-lock.json', 'utf8')).packages;
  const same = (key) => have[key] && have[key].version === want[key].version && have[key].integrity === want[key].integrity;
  // Optional packages for other platforms (esbuild's binaries, fsevents) are legitimately absent.
  const required = Object.keys(want).filter((key) => key !== '' && !want[key].optional);
  const ok = required.every(same) && Object.keys(have).every((key) => key in want && same(key));
  process.exit(ok ? 0 : 1);
} catch {
  process.exit(1);
}
