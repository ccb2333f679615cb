// The messages between the extension and the flame graph page, declared once: the extension side
// (src/webview/flameGraph.ts) and the page's scripts (src/webview/page/) both import this file, so
// the two cannot drift. Types and constants only: the page bundle must not pull in `vscode`.

/** Extension → page. */
export type ToPage =
  /**
   * Load a profile: the file's bytes, or a very long profile merged for drawing (../drawable.ts).
   * VS Code passes typed arrays to webviews without copying them into JSON.
   */
  | { readonly type: 'load'; readonly name: string; readonly bytes: Uint8Array }
  /** Show a message instead of a flame graph (a file that is not a profile, a failed load). */
  | { readonly type: 'showError'; readonly message: string };

/** Page → extension. */
export type FromPage =
  /** The page's scripts have run and speedscope can take a profile. `page` tells a stale page's message from the current one's. */
  | { readonly type: 'ready'; readonly page: string }
  /** speedscope imported the profile and drew it; `ms` is the time from `load` to the first drawn frame. */
  | { readonly type: 'loaded'; readonly name: string; readonly ms: number }
  /** speedscope could not read the bytes it was given. */
  | { readonly type: 'loadFailed'; readonly message: string }
  /** A frame was clicked (selected) in the flame graph: open its source. `line` is 1-based. */
  | { readonly type: 'openFrame'; readonly name: string; readonly file: string; readonly line: number };

/** Where the page reads its settings: `data-*` attributes on `<body>`, written by src/webview/html.ts. */
export const PAGE_DATA = {
  /** `dark` or `light`: speedscope's colour scheme, following VS Code's theme. */
  colorScheme: 'data-color-scheme',
  /** An id of this page: the extension ignores what a page it has since replaced still says. */
  page: 'data-page',
} as const;

/** The hash that makes speedscope define `window.speedscope.loadFileFromBase64` (see tech-notes). */
export const SPEEDSCOPE_HASH = '#localProfilePath=hotpath';

export function isFromPage(value: unknown): value is FromPage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return typeof message.page === 'string';
    case 'loaded':
      return typeof message.name === 'string' && typeof message.ms === 'number';
    case 'loadFailed':
      return typeof message.message === 'string';
    case 'openFrame':
      return typeof message.name === 'string' && typeof message.file === 'string' && Number.isInteger(message.line);
    default:
      return false;
  }
}
