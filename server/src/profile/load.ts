// loadProfileFile: a saved profile (our speedscope file, py-spy's `--format speedscope`, or a
// PyTorch profiler Chrome trace) turned into the summary.
import { readFile } from 'node:fs/promises';
import { isChromeTrace, summarizeTrace, type TraceEvent } from './chromeTrace';
import { isPySpyTrace, pySpyTraceToSpeedscope } from './pyspyTrace';
import { ProfileError } from './context';
import { resolveDefLines } from './postprocess';
import { isSpeedscope, type SpeedscopeFile } from './speedscope';
import { summarize } from './summarize';
import type { GpuSummary, ProfileBackend, ProfileMode, ProfileSummary } from './summary';

export type ProfileFileFormat = 'speedscope' | 'trace';

export interface LoadedProfile {
  summary: ProfileSummary;
  format: ProfileFileFormat;
}

export interface LoadOptions {
  /** An interpreter to read the sources with, to find the `def` line of functions in files that
   * do not carry it (py-spy's); without it such a function's line is the first line seen. */
  python?: string;
}

export async function loadProfileFile(file: string, options: LoadOptions = {}): Promise<LoadedProfile> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ProfileError(`${file}: not a profile Hotpath can read (${err instanceof Error ? err.message : String(err)})`);
  }
  if (isSpeedscope(doc)) {
    if (!doc.hotpath?.defLines && options.python) {
      const defLines = await resolveDefLines(options.python, doc.shared.frames, process.env);
      return { summary: summarizeSpeedscope(doc, (i) => defLines[i]), format: 'speedscope' };
    }
    return { summary: summarizeSpeedscope(doc), format: 'speedscope' };
  }
  if (Array.isArray(doc) && isPySpyTrace(doc as TraceEvent[])) {
    // py-spy's --format chrometrace: samples, not a PyTorch trace.
    return { summary: summarizeSpeedscope(pySpyTraceToSpeedscope(doc as TraceEvent[])), format: 'trace' };
  }
  if (isChromeTrace(doc)) return { summary: summarizeTrace(doc), format: 'trace' };
  throw new ProfileError(`${file}: not a speedscope file or a Chrome trace`);
}

/** The summary of a speedscope file, ours or another tool's (py-spy's: wall mode, lines as written). */
export function summarizeSpeedscope(doc: SpeedscopeFile, defLine?: (index: number) => number | null | undefined): ProfileSummary {
  const block = doc.hotpath;
  const backend: ProfileBackend = block?.backend ?? (/py-spy/i.test(doc.exporter ?? '') ? 'py-spy' : 'builtin');
  const mode: ProfileMode = block?.mode ?? 'wall';
  return summarize(doc, { backend, mode, defLine, gpu: (block?.gpu as GpuSummary | undefined) ?? null });
}
