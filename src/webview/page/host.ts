// The page's link to the extension: VS Code's webview API, acquired once (it may only be acquired
// once per page) by before.ts and handed to after.ts through a window property.
import type { FromPage, ToPage } from '../messages';

export interface Host {
  postMessage(message: FromPage): void;
}

declare function acquireVsCodeApi(): Host;

const KEY = '__hotpathHost';

export function acquireHost(): Host {
  const host = acquireVsCodeApi();
  (window as unknown as Record<string, Host>)[KEY] = host;
  return host;
}

export function host(): Host {
  const found = (window as unknown as Record<string, Host | undefined>)[KEY];
  if (!found) throw new Error('the flame graph page lost its link to the extension (before.js did not run)');
  return found;
}

export function onMessage(listener: (message: ToPage) => void): void {
  window.addEventListener('message', (event: MessageEvent<ToPage>) => listener(event.data));
}
