// The flame graph page as a string: speedscope's build (media/speedscope/, copied there by
// scripts/build.mjs) between two scripts of ours (dist/webview/before.js, after.js), under a
// nonce-based Content-Security-Policy. Nothing is fetched from the network: the extension hands
// the profile over as a message. No `vscode` import, so the benchmark can build the same page.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PAGE_DATA } from './messages';

export type ColorScheme = 'dark' | 'light';

export interface PageResources {
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  /** The URL of a file of the extension, from its path relative to the extension's folder. */
  url(relativePath: string): string;
}

interface SpeedscopeEntry {
  script: string;
  style: string;
}

function speedscopeEntry(extensionPath: string): SpeedscopeEntry {
  const file = join(extensionPath, 'media', 'speedscope', 'entry.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SpeedscopeEntry;
  } catch {
    throw new Error(`speedscope is missing from the extension (${file}); run \`npm run build\``);
  }
}

export function flameGraphHtml(extensionPath: string, { cspSource, url }: PageResources, scheme: ColorScheme, page = ''): string {
  const entry = speedscopeEntry(extensionPath);
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    // speedscope's CSS-in-JS (Aphrodite) fills the pre-created <style data-aphrodite> below.
    `style-src ${cspSource} 'nonce-${nonce}'`,
    // 'wasm-unsafe-eval': speedscope's demangler is WebAssembly.
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    // Only the extension's own files; no network.
    `connect-src ${cspSource}`,
    "worker-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Flame graph</title>
<link rel="stylesheet" href="${url(`media/speedscope/${entry.style}`)}">
<link rel="stylesheet" href="${url('media/flameGraph.css')}">
<style data-aphrodite nonce="${nonce}"></style>
</head>
<body ${PAGE_DATA.colorScheme}="${scheme}" ${PAGE_DATA.page}="${page}">
<div id="hotpath-error" role="alert" hidden></div>
<script nonce="${nonce}" src="${url('dist/webview/before.js')}"></script>
<script nonce="${nonce}" src="${url(`media/speedscope/${entry.script}`)}"></script>
<script nonce="${nonce}" src="${url('dist/webview/after.js')}"></script>
</body>
</html>
`;
}
