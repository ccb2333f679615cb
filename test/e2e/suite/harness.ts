// A small sequential test runner for the extension host, plus the link to the
// outside runner (test/e2e/run.mjs) for screenshots. It stays dependency-free
// so that the bundled suite needs nothing but the `vscode` module.
import * as fs from 'node:fs';
import { findSourceMap } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface TestCase {
  name: string;
  run: () => Promise<void>;
  timeoutMs?: number;
}

export interface TestResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Summary {
  passed: number;
  failed: number;
  tests: TestResult[];
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** Runs the tests one after another; a failure does not stop the rest. */
export async function runTests(tests: TestCase[]): Promise<Summary> {
  const results: TestResult[] = [];
  for (const test of tests) {
    const start = Date.now();
    try {
      await withTimeout(test.run(), test.timeoutMs ?? DEFAULT_TIMEOUT_MS, test.name);
      results.push({ name: test.name, ok: true, ms: Date.now() - start });
      console.log(`  ✓ ${test.name} (${Date.now() - start} ms)`);
    } catch (err) {
      const error = err instanceof Error ? mapStack(err.stack ?? err.message) : String(err);
      results.push({ name: test.name, ok: false, ms: Date.now() - start, error });
      console.error(`  ✗ ${test.name} (${Date.now() - start} ms)\n${indent(error)}`);
    }
  }
  const summary: Summary = {
    passed: results.filter((r) => r.ok).length,
    failed: results.filter((r) => !r.ok).length,
    tests: results,
  };
  const dir = runDir();
  if (dir) fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(summary, null, 2));
  return summary;
}

/**
 * The run folder the outside runner made: the parent of the workspace folder
 * (the runner copies the fixture workspace into it), or HOTPATH_E2E_RUN_DIR.
 */
export function runDir(): string | undefined {
  const fromEnv = process.env.HOTPATH_E2E_RUN_DIR;
  if (fromEnv) return fromEnv;
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? path.dirname(folder.uri.fsPath) : undefined;
}

export interface ScreenshotWait {
  /** The part of the workbench the text waits look in (a CSS selector); the whole page by default. */
  selector?: string;
  /** Text that must be visible somewhere in the workbench before the picture is taken. */
  text?: string[];
  /** Text that must no longer be visible. */
  absentText?: string[];
  /** Text that must be visible inside a webview (a nested frame). */
  webviewText?: string[];
}

/**
 * Asks the outside runner for a screenshot of the workbench and waits until it
 * is taken. The request is a file in `<run>/signals/`, which only the Playwright
 * runner creates; under @vscode/test-electron there is none and this does nothing.
 */
export async function screenshot(name: string, wait: ScreenshotWait = {}, timeoutMs = 30_000): Promise<void> {
  const dir = runDir();
  const signals = dir && path.join(dir, 'signals');
  if (!signals || !fs.existsSync(signals)) {
    console.log(`  (no screenshot runner: skipping screenshot "${name}")`);
    return;
  }
  const request = path.join(signals, `${name}.request.json`);
  const done = path.join(signals, `${name}.done.json`);
  fs.writeFileSync(`${request}.tmp`, JSON.stringify({ name, ...wait }));
  fs.renameSync(`${request}.tmp`, request);
  const reply = await waitFor(
    () => (fs.existsSync(done) ? (JSON.parse(fs.readFileSync(done, 'utf8')) as { ok: boolean; error?: string }) : undefined),
    { timeoutMs, what: `screenshot "${name}"` },
  );
  if (!reply.ok) throw new Error(`screenshot "${name}" failed: ${reply.error}`);
}

/** Writes a request for the outside runner into `<run>/signals/` and waits for its answer; false when there is no runner. */
async function askRunner(name: string, request: Record<string, unknown>, timeoutMs: number): Promise<boolean> {
  const dir = runDir();
  const signals = dir && path.join(dir, 'signals');
  if (!signals || !fs.existsSync(signals)) {
    console.log(`  (no outside runner: skipping "${name}")`);
    return false;
  }
  const file = path.join(signals, `${name}.request.json`);
  const done = path.join(signals, `${name}.done.json`);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ name, ...request }));
  fs.renameSync(`${file}.tmp`, file);
  const reply = await waitFor(
    () => (fs.existsSync(done) ? (JSON.parse(fs.readFileSync(done, 'utf8')) as { ok: boolean; error?: string }) : undefined),
    { timeoutMs, what: `the runner's "${name}"` },
  );
  if (!reply.ok) throw new Error(`"${name}" failed: ${reply.error}`);
  return true;
}

/**
 * Asks the outside runner to click at (x, y) CSS pixels inside the webview page
 * that contains `selector`, and waits until it has. Under @vscode/test-electron
 * there is no runner to click: returns false, and the caller skips what needs it.
 */
export function clickInWebview(name: string, selector: string, x: number, y: number, timeoutMs = 30_000): Promise<boolean> {
  return askRunner(name, { kind: 'clickWebview', selector, x, y }, timeoutMs);
}

/**
 * Asks the outside runner to click the first element of the workbench (not a webview) matching
 * `selector` that shows `text`. False without a runner (@vscode/test-electron).
 */
export function clickInWorkbench(name: string, selector: string, text: string, timeoutMs = 30_000): Promise<boolean> {
  return askRunner(name, { kind: 'clickWorkbench', selector, text }, timeoutMs);
}

/**
 * Asks the outside runner to type `filter` into the open quick pick (or quick input, such as the
 * web workbench's file dialog), take the screenshot `name` once a row shows `row` (by default
 * `filter`), and accept with Enter, as a person would. False without a runner
 * (@vscode/test-electron), where the caller skips what needs it.
 */
export function pickInQuickPick(name: string, filter: string, row = filter, timeoutMs = 40_000): Promise<boolean> {
  return askRunner(name, { kind: 'quickPick', filter, row }, timeoutMs);
}

/** Polls `probe` until it returns a value other than undefined, or fails after the timeout. */
export async function waitFor<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`test "${name}" timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * VS Code's extension host formats stack traces itself, so Node's source-map
 * support does not apply: map the bundle's frames back to test/e2e/suite/*.ts here.
 */
function mapStack(stack: string): string {
  return stack.replace(/\(?([^\s()]+\.js):(\d+):(\d+)\)?/g, (frame, file: string, line: string, column: string) => {
    const entry = findSourceMap(file)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (!entry || !('originalSource' in entry)) return frame;
    const source = entry.originalSource.replace(/^file:\/\//, '');
    return `(${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}
