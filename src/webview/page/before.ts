// Runs before speedscope's bundle: sets what speedscope reads once at start-up.
import { PAGE_DATA, SPEEDSCOPE_HASH } from '../messages';
import { acquireHost } from './host';

const host = acquireHost();

// speedscope keeps its colour scheme in localStorage; follow VS Code's theme instead of the OS's.
const scheme = document.body.getAttribute(PAGE_DATA.colorScheme);
try {
  window.localStorage.setItem('speedscope-color-scheme', scheme === 'light' ? 'LIGHT' : 'DARK');
} catch {
  // No storage in this webview: speedscope falls back to the system scheme.
}

// With this hash speedscope defines window.speedscope.loadFileFromBase64, which after.ts calls with
// the profile the extension sends. (It also adds a file:/// script tag, which the CSP blocks.)
history.replaceState(null, '', SPEEDSCOPE_HASH);

// speedscope reports an unreadable or empty profile with alert(), which a webview does not show.
window.alert = (message?: unknown) => host.postMessage({ type: 'loadFailed', message: String(message ?? '') });
