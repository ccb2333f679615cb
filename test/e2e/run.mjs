#!/usr/bin/env node
// Runs Hotpath's end-to-end suite in a real VS Code, offline: code-server 4.100.3
// (VS Code 1.100.3) serves the workbench and runs the extension host; Debian's
// Chromium, driven by playwright-core, opens it in extension-test mode with this
// repository as the extension under development. See test/e2e/README.md.
//
//   npm run test:e2e
//
// Environment (all optional):
//   HOTPATH_E2E_EXTENSION_PATH  extension folder to test (default: the repository root)
//   HOTPATH_E2E_TIMEOUT_S       limit for the whole suite in the workbench (default 300)
//   HOTPATH_E2E_CHROMIUM        browser executable (default /usr/bin/chromium)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSuite } from './lib/buildSuite.mjs';
import { freePort, startCodeServer } from './lib/codeServer.mjs';
import { watchPeakMemory } from './lib/memory.mjs';
import { makeRunFolder, removeScratch } from './lib/runFolder.mjs';
import { openWorkbench, workbenchUrl } from './lib/workbench.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const harnessDir = path.join(repoRoot, 'test', 'e2e', 'harness');
const extensionPath = path.resolve(process.env.HOTPATH_E2E_EXTENSION_PATH || repoRoot);
const suiteTimeoutMs = Number(process.env.HOTPATH_E2E_TIMEOUT_S || 300) * 1000;
const chromiumPath = process.env.HOTPATH_E2E_CHROMIUM || '/usr/bin/chromium';

/**
 * The workbench forwards its own start-up log along with the extension host's;
 * these lines only go to logs/host.log.
 */
const WORKBENCH_CHATTER = [
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket/,
  /^Ignoring fetching additional builtin extensions/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^ChatSessionStore:/,
];

/** Things to undo, newest first; run on success, failure, timeout and Ctrl+C. */
const cleanups = [];

async function cleanUp() {
  while (cleanups.length) {
    const step = cleanups.shift();
    try {
      await step();
    } catch (err) {
      console.error(`e2e: clean-up step failed: ${err.message}`);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    console.error(`e2e: ${signal}, stopping code-server and Chromium`);
    await cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

function preflight() {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8'));
  const main = path.resolve(extensionPath, manifest.main ?? 'index.js');
  if (!fs.existsSync(main)) {
    const shown = path.relative(repoRoot, main).startsWith('..') ? main : path.relative(repoRoot, main);
    throw new Error(`the extension is not built: ${shown} is missing (run \`npm run build\`)`);
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`no browser at ${chromiumPath}: run \`bash scripts/setup-e2e.sh\` (or set HOTPATH_E2E_CHROMIUM)`);
  }
  if (!fs.existsSync(path.join(harnessDir, 'node_modules', 'playwright-core'))) {
    throw new Error('the e2e harness is not installed: run `bash scripts/setup-e2e.sh`');
  }
}

async function runSuite(paths, suiteFile) {
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const server = await startCodeServer({ harnessDir, paths, port });
  cleanups.unshift(server.stop);
  console.log(`e2e: code-server (VS Code 1.100.3) listening on ${host}`);

  const hostLog = fs.createWriteStream(path.join(paths.logs, 'host.log'));
  cleanups.push(() => new Promise((resolve) => hostLog.end(resolve)));
  const workbench = await openWorkbench({
    harnessDir,
    paths,
    executablePath: chromiumPath,
    onHostLog: (type, text) => {
      for (const line of text.split('\n')) {
        hostLog.write(`[${type}] ${line}\n`);
        if (WORKBENCH_CHATTER.some((re) => re.test(line))) continue;
        (type === 'error' ? process.stderr : process.stdout).write(`[host] ${line}\n`);
      }
    },
  });
  cleanups.unshift(workbench.close);

  const url = workbenchUrl({
    host,
    workspace: paths.workspace,
    extensionDevelopmentPath: extensionPath,
    extensionTestsPath: suiteFile,
  });
  fs.writeFileSync(path.join(paths.logs, 'workbench-url.txt'), `${url}\n`);
  await workbench.goto(url);

  let timer;
  try {
    return await Promise.race([
      workbench.exitCode,
      server.exited.then(({ code, signal }) => {
        throw new Error(`code-server exited during the tests (code ${code}, signal ${signal}); see ${server.logFile}`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the suite did not finish within ${suiteTimeoutMs / 1000} s (HOTPATH_E2E_TIMEOUT_S)`)),
          suiteTimeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    // Whatever happened, a picture of the final state.
    await workbench.screenshot('final').catch((err) => console.error(`e2e: final screenshot failed: ${err.message}`));
  }
}

function readResults(paths) {
  try {
    return JSON.parse(fs.readFileSync(path.join(paths.dir, 'results.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function main() {
  const started = Date.now();
  let paths;
  let exitCode;
  let harnessError;
  const memory = watchPeakMemory();
  try {
    preflight();
    const suiteFile = await buildSuite(repoRoot);
    paths = makeRunFolder(repoRoot);
    cleanups.push(() => removeScratch(paths));
    console.log(`e2e: run folder ${path.relative(repoRoot, paths.dir)}`);
    exitCode = await runSuite(paths, suiteFile);
  } catch (err) {
    harnessError = err;
  } finally {
    await cleanUp();
  }
  const peak = memory.stop();

  const results = paths && readResults(paths);
  let passed = results?.passed ?? 0;
  let failed = results?.failed ?? 0;
  if (harnessError) console.error(`e2e: ${harnessError.message}`);
  if (exitCode !== undefined && exitCode !== 0 && failed === 0) {
    console.error(`e2e: the workbench reported exit code ${exitCode} without a failed test (did the suite load?)`);
  }
  // A run that broke outside the tests counts as one failure, so it never reads as a pass.
  if ((harnessError || exitCode !== 0 || !results) && failed === 0) failed = 1;

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const memoryNote = peak ? `, peak memory ${(peak / 2 ** 30).toFixed(2)} GiB (RSS sum)` : '';
  if (paths) {
    if (failed > 0) console.error(`e2e: last lines of code-server's log:\n${tail(path.join(paths.logs, 'code-server.log'), 30)}`);
    console.log(`e2e: ${seconds} s${memoryNote}; screenshots and logs in ${path.relative(repoRoot, paths.dir)}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
