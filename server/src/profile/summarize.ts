// Folds a speedscope profile into the summary of the spec: time per source line and per function.
import type { SampledProfile, EventedProfile, SpeedscopeFile, SpeedscopeFrame } from './speedscope';
import { weightedStacks } from './speedscope';
import type { FunctionCost, GpuSummary, LineCost, ProfileBackend, ProfileMode, ProfileSummary } from './summary';

export interface SummarizeOptions {
  backend: ProfileBackend;
  mode: ProfileMode;
  /** Percentages are of this; by default the run's wall time (wall) or the CPU time of all threads (cpu). */
  durationSeconds?: number;
  /** The `def` line of the function of frame `index` (defaults to the file's `hotpath.defLines`). */
  defLine?: (index: number) => number | null | undefined;
  gpu?: GpuSummary | null;
}

/** Python source frames carry a `.py` file (or `<frozen ...>`, `<string>`); native frames do not. */
export function isPythonFrame(frame: SpeedscopeFrame): boolean {
  const file = frame.file ?? '';
  return /\.pyw?$/i.test(file) || file.startsWith('<');
}

interface Acc {
  self: number;
  total: number;
}

export function summarize(doc: SpeedscopeFile, options: SummarizeOptions): ProfileSummary {
  const frames = doc.shared.frames;
  const defLines = doc.hotpath?.defLines;
  const defLine = options.defLine ?? ((i: number) => defLines?.[i]);
  const python = frames.map(isPythonFrame);
  const lineKey = frames.map((f, i) => (python[i] && f.file && f.line ? `${f.file}\0${f.line}` : null));
  const fnKey = frames.map((f, i) => (python[i] ? `${f.file ?? ''}\0${f.name}\0${defLine(i) ?? ''}` : null));

  const lines = new Map<string, Acc & { frame: number }>();
  const functions = new Map<string, Acc & { frame: number }>();
  let sampleCount = 0;
  let cpuSeconds = 0;
  let longestThread = 0;
  const seenLines = new Set<string>();
  const seenFns = new Set<string>();

  for (const profile of doc.profiles as (SampledProfile | EventedProfile)[]) {
    let threadSeconds = 0;
    for (const { stack, seconds } of weightedStacks(profile)) {
      threadSeconds += seconds;
      sampleCount++;
      seenLines.clear();
      seenFns.clear();
      let innermost = -1;
      for (const index of stack) {
        const lk = lineKey[index];
        const fk = fnKey[index];
        if (fk === null) continue;
        innermost = index;
        // Total time counts a line (or function) once per sample, however deep the recursion.
        if (lk !== null && !seenLines.has(lk)) {
          seenLines.add(lk);
          bump(lines, lk, index).total += seconds;
        }
        if (!seenFns.has(fk)) {
          seenFns.add(fk);
          bump(functions, fk, index).total += seconds;
        }
      }
      if (innermost >= 0) {
        // Time in native code called from a line (a NumPy routine) is that line's self time.
        const lk = lineKey[innermost];
        if (lk !== null) bump(lines, lk, innermost).self += seconds;
        bump(functions, fnKey[innermost]!, innermost).self += seconds;
      }
    }
    cpuSeconds += threadSeconds;
    longestThread = Math.max(longestThread, threadSeconds);
  }

  const duration =
    options.durationSeconds ?? (options.mode === 'cpu' ? cpuSeconds : (doc.hotpath?.durationSeconds ?? longestThread));
  const pct = (s: number) => (duration > 0 ? round((s / duration) * 100, 2) : 0);

  const lineCosts: LineCost[] = [...lines.values()].map(({ frame, self, total }) => ({
    path: frames[frame].file!,
    line: frames[frame].line!,
    function: frames[frame].name,
    selfSeconds: round(self, 6),
    totalSeconds: round(total, 6),
    selfPercent: pct(self),
    totalPercent: pct(total),
  }));
  const functionCosts: FunctionCost[] = [...functions.values()].map(({ frame, self, total }) => ({
    path: frames[frame].file ?? '',
    name: frames[frame].name,
    line: defLine(frame) ?? frames[frame].line ?? 0,
    selfSeconds: round(self, 6),
    totalSeconds: round(total, 6),
    selfPercent: pct(self),
    totalPercent: pct(total),
  }));
  lineCosts.sort((a, b) => b.totalSeconds - a.totalSeconds || a.path.localeCompare(b.path) || a.line - b.line);
  functionCosts.sort((a, b) => b.totalSeconds - a.totalSeconds || a.path.localeCompare(b.path) || a.line - b.line);
  return {
    version: 1,
    backend: options.backend,
    mode: options.mode,
    durationSeconds: round(duration, 6),
    sampleCount,
    lines: lineCosts,
    functions: functionCosts,
    gpu: options.gpu ?? null,
  };
}

function bump(map: Map<string, Acc & { frame: number }>, key: string, frame: number): Acc {
  let acc = map.get(key);
  if (!acc) map.set(key, (acc = { self: 0, total: 0, frame }));
  return acc;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
