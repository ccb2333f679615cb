// Runs the same end-to-end suite (test/e2e/suite) in desktop VS Code through
// @vscode/test-electron, for machines with internet:
//
//   bash scripts/setup-e2e.sh            # installs @vscode/test-electron into test/e2e/harness
//   npx tsx test/e2e/electron.ts         # on Linux CI without a display: xvfb-run -a npx tsx ...
//
// It cannot run on the offline build machines: runTests first downloads VS Code
// from update.code.visualstudio.com (ENOTFOUND there). `npm run test:e2e`
// (test/e2e/run.mjs: code-server + Chromium) is the runner that works offline.
// This one takes no screenshots: the suite skips them when no runner asks.
//
// Environment: HOTPATH_E2E_VSCODE_VERSION (default "stable"; "1.100.3" matches code-server),
// HOTPATH_E2E_VSCODE_PATH (a VS Code executable to use instead of downloading one).
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface TestElectron {
  runTests(options: {
    version?: string;
    cachePath?: string;
    vscodeExecutablePath?: string;
    extensionDevelopmentPath: string;
    extensionTestsPath: string;
    launchArgs?: string[];
    extensionTestsEnv?: Record<string, string | undefined>;
  }): Promise<number>;
}

interface RunPaths {
  dir: string;
  workspace: string;
  signals: string;
  userData: string;
  extensions: string;
  scratch: string;
}

const repoRoot = path.resolve(__dirname, '..', '..');
const harnessDir = path.join(repoRoot, 'test', 'e2e', 'harness');

/** The runner's helpers are plain ES modules shared with run.mjs. */
async function load<T>(relativePath: string): Promise<T> {
  return (await import(pathToFileURL(path.join(__dirname, relativePath)).href)) as T;
}

async function main(): Promise<number> {
  const { runTests } = createRequire(path.join(harnessDir, 'package.json'))('@vscode/test-electron') as TestElectron;
  const { buildSuite } = await load<{ buildSuite(root: string): Promise<string> }>('lib/buildSuite.mjs');
  const { makeRunFolder, removeScratch } = await load<{
    makeRunFolder(root: string): RunPaths;
    removeScratch(paths: RunPaths): void;
  }>('lib/runFolder.mjs');

  const extensionTestsPath = await buildSuite(repoRoot);
  const paths = makeRunFolder(repoRoot);
  // No screenshot runner here: without the signals folder the suite skips screenshots.
  fs.rmSync(paths.signals, { recursive: true, force: true });
  let exitCode = 1;
  try {
    exitCode = await runTests({
      version: process.env.HOTPATH_E2E_VSCODE_VERSION || 'stable',
      // A VS Code already installed, or else the download, kept out of the repository's tracked files.
      vscodeExecutablePath: process.env.HOTPATH_E2E_VSCODE_PATH || undefined,
      cachePath: path.join(repoRoot, '.test-artifacts', 'vscode-test'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [
        paths.workspace,
        `--user-data-dir=${paths.userData}`,
        `--extensions-dir=${paths.extensions}`,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: { HOTPATH_E2E_RUN_DIR: paths.dir },
    });
  } catch (err) {
    console.error(`e2e (electron): ${(err as Error).message}`);
  } finally {
    removeScratch(paths);
  }

  let passed = 0;
  let failed = 0;
  try {
    ({ passed, failed } = JSON.parse(fs.readFileSync(path.join(paths.dir, 'results.json'), 'utf8')) as {
      passed: number;
      failed: number;
    });
  } catch {
    // The suite never ran (VS Code did not start or could not load it).
  }
  if (exitCode !== 0 && failed === 0) failed = 1;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
