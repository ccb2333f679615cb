// Runs after speedscope's bundle: takes the profile from the extension, tells it when the flame
// graph is drawn, and turns a click on a frame into an `openFrame` message.
import { PAGE_DATA, type ToPage } from '../messages';
import { host, onMessage } from './host';
import { hoveredFrame, sameFrame, selectedFrame, type SelectedFrame } from './selection';

interface Speedscope {
  loadFileFromBase64(name: string, base64: string): void;
}

const speedscope = () => (window as unknown as { speedscope?: Speedscope }).speedscope;

/** speedscope ignores a profile given before its WebGL canvas exists; wait for both. */
function whenReady(then: () => void): void {
  if (speedscope() && document.querySelector('canvas')) then();
  else requestAnimationFrame(() => whenReady(then));
}

/** Text speedscope shows once a profile is on screen (its view tabs) or when an import threw. */
const SHOWN = 'Left Heavy';
const FAILED = 'Something went wrong';

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function watchLoad(name: string, started: number): void {
  const observer = new MutationObserver(() => {
    const text = document.body.innerText;
    if (text.includes(FAILED)) {
      observer.disconnect();
      host().postMessage({ type: 'loadFailed', message: "speedscope's import failed: it is not a profile speedscope can read" });
    } else if (text.includes(SHOWN)) {
      observer.disconnect();
      // Two frames later the flame chart has been painted.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => host().postMessage({ type: 'loaded', name, ms: Math.round(performance.now() - started) })),
      );
    }
  });
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
}

function showError(message: string): void {
  const box = document.getElementById('hotpath-error');
  if (!box) return;
  box.textContent = message;
  box.hidden = false;
}

function handle(message: ToPage): void {
  switch (message.type) {
    case 'load': {
      document.getElementById('hotpath-error')?.setAttribute('hidden', '');
      const started = performance.now();
      const bytes: unknown = message.bytes;
      if (!(bytes instanceof Uint8Array)) {
        host().postMessage({ type: 'loadFailed', message: 'the flame graph page received no bytes (an extension bug)' });
        return;
      }
      watchLoad(message.name, started);
      speedscope()?.loadFileFromBase64(message.name, toBase64(bytes));
      break;
    }
    case 'showError':
      showError(message.message);
      break;
  }
}

/**
 * A click that selects a frame fills speedscope's detail panel with that frame's stack: a click
 * that changed the selection opens that frame. A click on the frame that is already selected
 * changes nothing there, yet the person wants its source again (they may have moved away since):
 * the hover tooltip, which shows the frame under the mouse, tells that click from one on the
 * minimap or another view, which also leave the selection as it was. Drags open nothing.
 */
function watchClicks(): void {
  let before: SelectedFrame | undefined;
  let down: { x: number; y: number } | undefined;
  document.addEventListener('mousedown', (event) => {
    down = { x: event.clientX, y: event.clientY };
    before = selectedFrame(document);
  }, true);
  document.addEventListener('click', (event) => {
    if (!(event.target instanceof HTMLCanvasElement) || !down) return;
    if (Math.abs(event.clientX - down.x) + Math.abs(event.clientY - down.y) > 4) return;
    const previous = before;
    // speedscope updates the panel when it re-renders, after this event.
    requestAnimationFrame(() => {
      const frame = selectedFrame(document);
      if (frame && (frame.key !== previous?.key || sameFrame(frame, hoveredFrame(document)))) {
        host().postMessage({ type: 'openFrame', name: frame.name, file: frame.file, line: frame.line });
      }
    });
  }, true);
}

onMessage(handle);
watchClicks();
whenReady(() => host().postMessage({ type: 'ready', page: document.body.getAttribute(PAGE_DATA.page) ?? '' }));
