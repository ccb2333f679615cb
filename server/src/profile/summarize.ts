// Folds a speedscope profile into the summary of the spec: time per source line and per function.
import type { SampledProfile, EventedProfile, SpeedscopeFile, SpeedscopeFrame } from './speedscope';
import { weightedStacks } from './speedscope';
import type { FunctionCost, GpuSummary, LineCost, ProcessCost, ProfileBackend, ProfileMode, ProfileSummary } from './summary';

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
  pids?: Set<number>;
}

/** The process id of each profile (thread): `hotpath.profilePids` of a multi-process file, else its one `pid`. */
export function profilePids(doc: SpeedscopeFile): number[] {
  const listed = doc.hotpath?.profilePids;
  const one = typeof doc.hotpath?.pid === 'number' ? doc.hotpath.pid : 0;
  return doc.profiles.map((p, i) => {
    if (Array.isArray(listed) && typeof listed[i] === 'number') return listed[i] as number;
    // py-spy's own speedscope output names each thread "Process PID Thread TID".
    const named = /^Process (\d+)\b/.exec(p.name);
    return named ? Number(named[1]) : one;
  });
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
  const pids = profilePids(doc);
  const multi = new Set(pids).size > 1;
  const perProcess = new Map<number, { seconds: number; samples: number }>();

  (doc.profiles as (SampledProfile | EventedProfile)[]).forEach((profile, profileIndex) => {
    let threadSeconds = 0;
    const pid = pids[profileIndex];
    let threadSamples = 0;
    const bump = (map: Map<string, Acc & { frame: number }>, key: string, frame: number): Acc => {
      let acc = map.get(key);
      if (!acc) map.set(key, (acc = { self: 0, total: 0, frame, pids: multi ? new Set() : undefined }));
      acc.pids?.add(pid);
      return acc;
    };
    for (const { stack, seconds } of weightedStacks(profile)) {
      threadSeconds += seconds;
      threadSamples++;
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
    if (pid === pids[0]) longestThread = Math.max(longestThread, threadSeconds);
    const proc = perProcess.get(pid) ?? { seconds: 0, samples: 0 };
    proc.seconds += threadSeconds;
    proc.samples += threadSamples;
    perProcess.set(pid, proc);
  });

  const duration =
    options.durationSeconds ?? (options.mode === 'cpu' ? cpuSeconds : (doc.hotpath?.durationSeconds ?? longestThread));
  const pct = (s: number) => (duration > 0 ? round((s / duration) * 100, 2) : 0);

  const withPids = <T extends object>(cost: T, acc: Acc): T => (acc.pids ? { ...cost, pids: [...acc.pids].sort((a, b) => a - b) } : cost);
  const lineCosts: LineCost[] = [...lines.values()].map((acc) =>
    withPids(
      {
        path: frames[acc.frame].file!,
        line: frames[acc.frame].line!,
        function: frames[acc.frame].name,
        selfSeconds: round(acc.self, 6),
        totalSeconds: round(acc.total, 6),
        selfPercent: pct(acc.self),
        totalPercent: pct(acc.total),
      },
      acc,
    ),
  );
  const functionCosts: FunctionCost[] = [...functions.values()].map((acc) =>
    withPids(
      {
        path: frames[acc.frame].file ?? '',
        name: frames[acc.frame].name,
        line: defLine(acc.frame) ?? frames[acc.frame].line ?? 0,
        selfSeconds: round(acc.self, 6),
        totalSeconds: round(acc.total, 6),
        selfPercent: pct(acc.self),
        totalPercent: pct(acc.total),
      },
      acc,
    ),
  );
  lineCosts.sort((a, b) => b.totalSeconds - a.totalSeconds || a.path.localeCompare(b.path) || a.line - b.line);
  functionCosts.sort((a, b) => b.totalSeconds - a.totalSeconds || a.path.localeCompare(b.path) || a.line - b.line);
  const summary: ProfileSummary = {
    version: 1,
    backend: options.backend,
    mode: options.mode,
    durationSeconds: round(duration, 6),
    sampleCount,
    lines: lineCosts,
    functions: functionCosts,
    gpu: options.gpu ?? null,
  };
  if (multi) summary.processes = processCosts(doc, pids, perProcess);
  return summary;
}

/** The processes of a multi-process profile, the target (the first profile's) first, then by pid. */
function processCosts(doc: SpeedscopeFile, pids: number[], sampled: Map<number, { seconds: number; samples: number }>): ProcessCost[] {
  const records = new Map<number, { parentPid?: unknown; argv?: unknown }>();
  const listed = doc.hotpath?.processes;
  if (Array.isArray(listed)) for (const r of listed as { pid?: unknown; parentPid?: unknown; argv?: unknown }[]) if (typeof r?.pid === 'number') records.set(r.pid, r);
  const order = [...new Set(pids)];
  const [first, ...rest] = order;
  return [first, ...rest.sort((a, b) => a - b)].map((pid) => {
    const r = records.get(pid);
    const s = sampled.get(pid) ?? { seconds: 0, samples: 0 };
    return {
      pid,
      parentPid: typeof r?.parentPid === 'number' ? r.parentPid : null,
      argv: Array.isArray(r?.argv) ? (r.argv as unknown[]).map(String) : [],
      sampledSeconds: round(s.seconds, 6),
      sampleCount: s.samples,
    };
  });
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
