// Entry point of the end-to-end suite: the extension host `require`s the bundle
// of this file (out/e2e/suite/index.js) and awaits `run()`; a rejection fails the run.
import { runTests } from './harness';
import { inlineCostTests } from './inlineCost';
import { profileCommandTests } from './profileCommands';
import { profilingTests } from './profiling';
import { pythonFindingsTests } from './pythonFindings';

export async function run(): Promise<void> {
  console.log('Hotpath end-to-end suite');
  const all = [...pythonFindingsTests, ...inlineCostTests, ...profilingTests, ...profileCommandTests];
  // Set at bundle time (test/e2e/lib/buildSuite.mjs) from HOTPATH_E2E_GREP: only the matching tests.
  const grep = process.env.HOTPATH_E2E_GREP;
  const tests = grep ? all.filter((t) => new RegExp(grep, 'i').test(t.name)) : all;
  if (tests.length === 0) throw new Error(`no test name matches HOTPATH_E2E_GREP=${grep}`);
  const { passed, failed } = await runTests(tests);
  console.log(`${passed} passed, ${failed} failed (in the extension host)`);
  if (failed > 0) throw new Error(`${failed} end-to-end test(s) failed`);
}
