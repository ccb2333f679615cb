// A loaded profile arranged for the editor: per file and line, the cost and its heat level.
// Plain data and pure functions (no `vscode`), so that they are tested on their own.
import { PathKeys } from '../../server/src/cost/paths';
import { isUserFile } from '../../server/src/profile/chromeTrace';
import type { FunctionCost, GpuLineCost, LineCost, ProfileSummary } from '../../server/src/profile/summary';

/** Which time decides a line's heat and its rank in the Hot paths view (`hotpath.inlineCost.metric`). */
export type HeatMetric = 'total' | 'self';

/** Share of the run (percent) from which each heat level starts: level 1 is anything above zero. */
export const LEVEL_FLOORS = [0, 1, 5, 15, 40] as const;
export const LEVEL_COUNT = LEVEL_FLOORS.length;

/** 1 to LEVEL_COUNT for a share above zero, 0 for none. */
export function heatLevel(percent: number): number {
  if (!(percent > 0)) return 0;
  let level = 1;
  while (level < LEVEL_COUNT && percent >= LEVEL_FLOORS[level]) level++;
  return level;
}

/** One source line of the profile; the same line seen in several frames (a comprehension's) is one entry. */
export interface LineHeat extends LineCost {
  /** The share that decides the heat: total or self, as the metric says. */
  percent: number;
  seconds: number;
  level: number;
  /** Estimated samples on the line (its total time at the run's sampling rate); undefined without samples. */
  samples?: number;
  gpu?: GpuLineCost;
}

export interface FileHeat {
  /** By 1-based line. */
  lines: ReadonlyMap<number, LineHeat>;
  functions: readonly FunctionCost[];
}

export class HeatModel {
  private readonly files = new Map<string, { lines: Map<number, LineHeat>; functions: FunctionCost[] }>();
  private readonly keys = new PathKeys();
  /** Every line of user code, costliest first: sorted once, on first use. */
  private ranked: LineHeat[] | undefined;

  constructor(
    readonly summary: ProfileSummary,
    readonly metric: HeatMetric,
  ) {
    const gpu = new Map<string, GpuLineCost>();
    for (const g of summary.gpu?.lines ?? []) gpu.set(`${this.keys.keyOf(g.path)}:${g.line}`, g);
    const perSample = summary.sampleCount > 0 && summary.durationSeconds > 0 ? summary.sampleCount / summary.durationSeconds : undefined;
    for (const cost of summary.lines) {
      const key = this.keys.keyOf(cost.path);
      const file = this.fileOf(key);
      const seen = file.lines.get(cost.line);
      // Frames nested on one line (a comprehension's) are inside the outer frame's total; their self times add up.
      const outer = !seen || cost.totalSeconds > seen.totalSeconds ? cost : seen;
      const selfSeconds = (seen?.selfSeconds ?? 0) + cost.selfSeconds;
      const selfPercent = (seen?.selfPercent ?? 0) + cost.selfPercent;
      const percent = metric === 'self' ? selfPercent : outer.totalPercent;
      file.lines.set(cost.line, {
        path: cost.path,
        line: cost.line,
        function: outer.function,
        selfSeconds,
        totalSeconds: outer.totalSeconds,
        selfPercent,
        totalPercent: outer.totalPercent,
        percent,
        seconds: metric === 'self' ? selfSeconds : outer.totalSeconds,
        level: heatLevel(percent),
        samples: perSample === undefined ? undefined : Math.round(outer.totalSeconds * perSample),
        gpu: gpu.get(`${key}:${cost.line}`),
      });
    }
    for (const fn of summary.functions) this.fileOf(this.keys.keyOf(fn.path)).functions.push(fn);
  }

  /** The key under which `path` is known: the same for every spelling of one file. */
  keyOf(path: string): string {
    return this.keys.keyOf(path);
  }

  /** The profile's costs in the file at `path` (any spelling of it: links, case where the file system ignores it). */
  forFile(path: string): FileHeat | undefined {
    return this.files.get(this.keys.keyOf(path));
  }

  /** The `limit` costliest lines of user code (see `isUserFile`: not installed packages or the standard library) by the metric, costliest first. */
  topLines(limit: number): LineHeat[] {
    if (!this.ranked) {
      const lines: LineHeat[] = [];
      for (const file of this.files.values()) {
        for (const line of file.lines.values()) if (line.seconds > 0 && isUserFile(line.path)) lines.push(line);
      }
      this.ranked = lines.sort((a, b) => b.seconds - a.seconds || a.path.localeCompare(b.path) || a.line - b.line);
    }
    return this.ranked.slice(0, limit);
  }

  private fileOf(key: string) {
    let file = this.files.get(key);
    if (!file) {
      file = { lines: new Map(), functions: [] };
      this.files.set(key, file);
    }
    return file;
  }
}
