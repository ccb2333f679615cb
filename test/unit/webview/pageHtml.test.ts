import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { flameGraphHtml } from '../../../src/webview/pageHtml';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ORIGIN = 'https://webview.test';

function page(): string {
  return flameGraphHtml(ROOT, { cspSource: ORIGIN, url: (p) => `${ORIGIN}/${p}` }, 'light', '7');
}

test('the page loads speedscope and its two scripts, all with the nonce of its CSP, and nothing inline', () => {
  const html = page();
  const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, `no nonce in the CSP: ${csp}`);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|https?:\/\/(?!webview\.test)/);
  const entry = JSON.parse(fs.readFileSync(path.join(ROOT, 'media/speedscope/entry.json'), 'utf8')) as { script: string };
  const scripts = [...html.matchAll(/<script([^>]*)><\/script>/g)].map((m) => m[1]);
  assert.deepEqual(
    scripts.map((attrs) => /src="([^"]+)"/.exec(attrs)?.[1]),
    [`${ORIGIN}/dist/webview/before.js`, `${ORIGIN}/media/speedscope/${entry.script}`, `${ORIGIN}/dist/webview/after.js`],
  );
  for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`), `a script without the nonce: ${attrs}`);
  // speedscope's CSS-in-JS writes into this element; it needs the nonce too.
  assert.match(html, new RegExp(`<style data-aphrodite nonce="${nonce.replace(/[+/]/g, '\\$&')}"></style>`));
  assert.match(html, /<body data-color-scheme="light" data-page="7">/);
});

test('each page gets a fresh nonce', () => {
  const nonceOf = (html: string) => /'nonce-([^']+)'/.exec(html)?.[1];
  assert.notEqual(nonceOf(page()), nonceOf(page()));
});

test('every file the page names exists after the build', () => {
  for (const [, url] of page().matchAll(/(?:src|href)="([^"]+)"/g)) {
    const file = path.join(ROOT, url.slice(ORIGIN.length + 1));
    assert.ok(fs.existsSync(file), `${file} is missing (npm run build)`);
  }
});
