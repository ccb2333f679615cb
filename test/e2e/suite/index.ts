// Entry point of the end-to-end suite: the extension host `require`s the bundle
// of this file (out/e2e/suite/index.js) and awaits `run()`; a rejection fails the run.
import { runTests } from './harness';
import { inlineCostTests } from './inlineCost';
import { profilingTests } from './profiling';
import { pythonFindingsTests } from './pythonFindings';

export async function run(): Promise<void> {
  console.log('Hotpath end-to-end suite');
  const { passed, failed } = await runTests([...pythonFindingsTests, ...inlineCostTests, ...profilingTests]);
  console.log(`${passed} passed, ${failed} failed (in the extension host)`);
  if (failed > 0) throw new Error(`${failed} end-to-end test(s) failed`);
}
