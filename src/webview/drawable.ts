// What the flame graph page is handed for a profile file: the file as it is, or, for a very long
// speedscope profile, the same profile merged for drawing (page/reduce.ts). Runs in the extension's
// profile worker (src/profile/loadWorker.ts) while the page starts, so that the page gets about a
// megabyte instead of tens (VS Code copies every message to a webview through the workbench) and
// never parses the long file. Pure bytes in and out (no `vscode`): the benchmark runs it directly.
import { isSpeedscopeFile, type Reduction, reduceSamples } from './page/reduce';

/** Past this many samples a profile is merged for drawing: speedscope then draws it in well under a second. */
export const MAX_DRAWN_SAMPLES = 5000;
/** Smaller files cannot hold that many samples; they go to the page as they are. */
const MIN_BYTES_TO_REDUCE = 1_000_000;

export interface Drawable {
  readonly bytes: Uint8Array;
  /** How the profile was merged, when it was. */
  readonly reduced?: Reduction;
}

function firstNonBlank(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return undefined;
}

export function drawable(bytes: Uint8Array): Drawable {
  if (bytes.length < MIN_BYTES_TO_REDUCE || firstNonBlank(bytes) !== 0x7b /* { */) return { bytes };
  let file: unknown;
  try {
    file = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    // Not JSON after all: speedscope tries its other importers on the bytes as they are.
    return { bytes };
  }
  if (!isSpeedscopeFile(file)) return { bytes };
  const reduced = reduceSamples(file, MAX_DRAWN_SAMPLES);
  return reduced ? { bytes: new TextEncoder().encode(JSON.stringify(file)), reduced } : { bytes };
}

/** `1,000,000 samples drawn as 16,070`, for titles and logs. */
export function describeReduction({ before, after }: Reduction): string {
  return `${before.toLocaleString('en')} samples drawn as ${after.toLocaleString('en')}`;
}
