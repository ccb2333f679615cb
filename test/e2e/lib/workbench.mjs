// Opens the VS Code web workbench in Debian's Chromium (driven by playwright-core)
// in extension-test mode, relays the extension host's log, takes the screenshots
// the suite asks for, and resolves with the exit code the workbench reports.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** code-server wants the extension paths as vscode-remote URIs on the address the browser uses. */
export function workbenchUrl({ host, workspace, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://${host}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  return `http://${host}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function openWorkbench({ harnessDir, paths, executablePath, onHostLog }) {
  const { chromium } = createRequire(path.join(harnessDir, 'package.json'))('playwright-core');
  const context = await chromium.launchPersistentContext(paths.chromium, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 900 },
    env: {
      ...process.env,
      HOME: paths.home,
      XDG_CONFIG_HOME: paths.xdgConfig,
      XDG_DATA_HOME: paths.xdgData,
      XDG_CACHE_HOME: paths.xdgCache,
      TMPDIR: paths.tmp,
    },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageLog = fs.createWriteStream(path.join(paths.logs, 'workbench-console.log'));
  page.on('console', (msg) => pageLog.write(`[${msg.type()}] ${msg.text()}\n`));
  page.on('pageerror', (err) => pageLog.write(`[pageerror] ${err.stack ?? err}\n`));

  let settle;
  const exitCode = new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
  page.on('crash', () => settle.reject(new Error('the workbench page crashed')));
  page.on('close', () => settle.reject(new Error('the workbench page closed before the tests finished')));

  // Both must exist before the workbench loads: it looks for them once.
  await page.exposeFunction('codeAutomationExit', (code) => settle.resolve(Number(code)));
  await page.exposeFunction('codeAutomationLog', (type, args) => onHostLog(type, formatLogArgs(args)));

  const screenshots = watchScreenshotRequests(page, paths);

  return {
    page,
    exitCode,
    async goto(url) {
      await page.goto(url, { waitUntil: 'domcontentloaded' });
    },
    async screenshot(name) {
      const file = path.join(paths.screenshots, `${name}.png`);
      await page.screenshot({ path: file, timeout: 15_000 });
      return file;
    },
    async close() {
      screenshots.stop();
      await Promise.race([context.close().catch(() => {}), delay(10_000)]);
      pageLog.end();
    },
  };
}

/**
 * The suite asks for a screenshot (or a click inside a webview) by writing
 * `<name>.request.json` into the signals folder (see suite/harness.ts) and waits
 * for `<name>.done.json`.
 */
function watchScreenshotRequests(page, paths) {
  const handled = new Set();
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      for (const file of fs.readdirSync(paths.signals)) {
        if (!file.endsWith('.request.json') || handled.has(file)) continue;
        handled.add(file);
        const request = JSON.parse(fs.readFileSync(path.join(paths.signals, file), 'utf8'));
        const reply =
          request.kind === 'clickWebview'
            ? await clickInWebview(page, request)
            : request.kind === 'quickPick'
              ? await pickInQuickPick(page, paths, request)
              : request.kind === 'clickWorkbench'
                ? await clickInWorkbench(page, request)
                : await takeRequestedScreenshot(page, paths, request);
        const done = path.join(paths.signals, `${request.name}.done.json`);
        fs.writeFileSync(`${done}.tmp`, JSON.stringify(reply));
        fs.renameSync(`${done}.tmp`, done);
      }
    } finally {
      busy = false;
    }
  }, 100);
  return { stop: () => clearInterval(timer) };
}

/** Waits until some frame of the page (a webview's page is a nested iframe) shows every one of `text`. */
async function waitForFrameText(page, text, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const shown = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      if (text.every((t) => shown.includes(t))) return;
    }
    if (Date.now() > deadline) throw new Error(`no webview showed ${JSON.stringify(text)}`);
    await delay(100);
  }
}

async function takeRequestedScreenshot(page, paths, { name, selector = 'body', text = [], absentText = [], webviewText = [] }) {
  const file = path.join(paths.screenshots, `${name}.png`);
  try {
    if (webviewText.length) await waitForFrameText(page, webviewText, 20_000);
    await page.waitForFunction(
      ({ selector, text, absentText }) => {
        const element = document.querySelector(selector);
        if (!element) return false;
        const shown = element.innerText.replace(/\u00a0/g, ' ');
        return text.every((t) => shown.includes(t)) && absentText.every((t) => !shown.includes(t));
      },
      { selector, text, absentText },
      { timeout: 20_000, polling: 100 },
    );
    await page.screenshot({ path: file, timeout: 15_000 });
    console.log(`screenshot: ${path.relative(process.cwd(), file)}`);
    return { ok: true, file };
  } catch (err) {
    // A picture of what was there instead helps more than none.
    await page.screenshot({ path: file, timeout: 15_000 }).catch(() => {});
    const want = JSON.stringify({ selector, text, absentText, webviewText });
    return { ok: false, error: `the workbench never showed ${want}: ${err.message.split('\n')[0]}` };
  }
}

/**
 * Clicks at (x, y) CSS pixels inside the webview page that holds `selector`
 * (webviews are nested iframes of the workbench), as a person would with the
 * mouse. Waits up to 20 s for such a page to appear.
 */
async function clickInWebview(page, { selector, x, y }) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const frame of page.frames()) {
      const target = await frame.$(selector).catch(() => null);
      if (!target) continue;
      try {
        await frame.locator('body').click({ position: { x, y }, timeout: 10_000 });
        return { ok: true };
      } catch (err) {
        return { ok: false, error: `click at ${x},${y} in the webview failed: ${err.message.split('\n')[0]}` };
      }
    }
    if (Date.now() > deadline) return { ok: false, error: `no webview page with ${selector} appeared` };
    await delay(100);
  }
}

/**
 * Types `filter` into the open quick pick as a person would, waits until a row shows `row`,
 * takes the screenshot `<name>.png` and presses Enter to accept the first row.
 */
async function pickInQuickPick(page, paths, { name, filter, row = filter }) {
  const file = path.join(paths.screenshots, `${name}.png`);
  try {
    const widget = page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: 20_000 });
    const input = widget.locator('input').first();
    // The file dialog writes its folder into the input once it has read it, which can land after
    // the text typed here: type again until the input keeps it.
    for (let attempt = 0; ; attempt++) {
      await input.fill(filter, { timeout: 10_000 });
      await widget.locator('.monaco-list-row', { hasText: row }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await delay(300);
      const shown = await input.inputValue();
      if (shown === filter) break;
      if (attempt === 5) throw new Error(`the input shows ${JSON.stringify(shown)}`);
    }
    await page.screenshot({ path: file, timeout: 15_000 });
    console.log(`screenshot: ${path.relative(process.cwd(), file)}`);
    await page.keyboard.press('Enter');
    return { ok: true, file };
  } catch (err) {
    await page.screenshot({ path: file, timeout: 15_000 }).catch(() => {});
    return { ok: false, error: `picking ${JSON.stringify(filter)} in the quick pick failed: ${err.message.split('\n')[0]}` };
  }
}

/** Clicks the first element of the workbench matching `selector` that shows `text`, as a person would. */
async function clickInWorkbench(page, { selector, text }) {
  try {
    await page.locator(selector, { hasText: text }).first().click({ timeout: 20_000 });
    return { ok: true };
  } catch (err) {
    return { ok: false, error: `clicking ${selector} with ${JSON.stringify(text)} failed: ${err.message.split('\n')[0]}` };
  }
}

function formatLogArgs(args) {
  if (typeof args === 'string') return args;
  if (Array.isArray(args)) return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  return JSON.stringify(args);
}

/** A timer that does not keep the runner alive once everything else is done. */
function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
