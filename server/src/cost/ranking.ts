// Findings ranked by measured cost: what a loaded profile says about the code a finding is about.
// Pure functions over plain data, shared by the language server and `hotpath check --profile`.
import { type Finding, LineIndex, type Severity } from '../analyzer/finding';
import type { Heat, ProfileCosts, RankingSettings } from '../protocol';
import type { FunctionCost, LineCost } from '../profile/summary';
import { formatPercent, formatSeconds } from './format';

/** The measured costs of one file. */
export interface FileCosts {
  durationSeconds: number;
  /** Every line's costs (one per function the line was seen in), by 1-based line. */
  lines: ReadonlyMap<number, readonly LineCost[]>;
  /** The file's functions, by name. */
  functions: ReadonlyMap<string, readonly FunctionCost[]>;
}

/** Time measured in a piece of code, and its share of the run. */
export interface MeasuredCost {
  seconds: number;
  percent: number;
}

export interface RankedFinding {
  /** The finding, its message and severity rewritten when its file was measured. */
  finding: Finding;
  /** What the profile measured in the finding's region; absent when the profile did not measure its file. */
  cost?: MeasuredCost & { heat: Heat };
}

/** Groups a profile's lines and functions by file, under the keys `keyOf` makes of their paths. */
export function indexByFile(profile: ProfileCosts, keyOf: (path: string) => string): Map<string, FileCosts> {
  const files = new Map<string, { durationSeconds: number; lines: Map<number, LineCost[]>; functions: Map<string, FunctionCost[]> }>();
  const fileOf = (path: string) => {
    const key = keyOf(path);
    let file = files.get(key);
    if (!file) {
      file = { durationSeconds: profile.durationSeconds, lines: new Map(), functions: new Map() };
      files.set(key, file);
    }
    return file;
  };
  for (const line of profile.lines) append(fileOf(line.path).lines, line.line, line);
  for (const fn of profile.functions) append(fileOf(fn.path).functions, fn.name, fn);
  return files;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The time measured on lines `first`..`last` (1-based, inclusive) of one file.
 *
 * A line's total counts everything it called, so the lines of one function never overlap in time
 * (a frame runs one line at a time) and can be added up; lines of another function inside the span
 * (a comprehension's own frame, a nested `def`) are already counted by the line that runs them, so
 * only the function with the most time in the span is counted. Recursion can still count a moment
 * twice: the sum is capped at that function's own total and at the run's duration.
 */
export function regionCost(file: FileCosts, first: number, last: number): MeasuredCost {
  const byFunction = new Map<string, number>();
  for (let line = first; line <= last; line++) {
    for (const cost of file.lines.get(line) ?? []) byFunction.set(cost.function, (byFunction.get(cost.function) ?? 0) + cost.totalSeconds);
  }
  let name: string | undefined;
  let seconds = 0;
  for (const [fn, sum] of byFunction) {
    if (sum > seconds) [name, seconds] = [fn, sum];
  }
  // The function the span belongs to: the nearest `def` of that name at or above its first line.
  const owner = (name === undefined ? [] : (file.functions.get(name) ?? []))
    .filter((f) => f.line <= first)
    .reduce<FunctionCost | undefined>((best, f) => (!best || f.line > best.line ? f : best), undefined);
  if (owner) seconds = Math.min(seconds, owner.totalSeconds);
  seconds = Math.min(seconds, file.durationSeconds);
  return { seconds, percent: file.durationSeconds > 0 ? (seconds / file.durationSeconds) * 100 : 0 };
}

export function heatOf(percent: number, settings: RankingSettings): Heat {
  if (percent >= settings.hotThreshold) return 'hot';
  if (percent < settings.coldThreshold) return 'cold';
  return 'warm';
}

const RAISED: Record<Severity, Severity> = { hint: 'information', information: 'warning', warning: 'error', error: 'error' };

/** One step more severe: hint, information, warning, error. */
export function raise(severity: Severity): Severity {
  return RAISED[severity];
}

/** What the region is, in words: `loop`, `comprehension`, `call` or `statement`. */
export function constructOf(regionText: string): string {
  const text = regionText.trimStart();
  if (/^(async\s+)?(for|while)\b/.test(text)) return 'loop';
  if (/^[[{(]/.test(text) && /\bfor\b/.test(text)) return 'comprehension';
  if (/\)\s*$/.test(text)) return 'call';
  return 'statement';
}

/** `This loop is 43% of the run (1.9 s).` */
export function costSentence(construct: string, cost: MeasuredCost): string {
  if (!(cost.seconds > 0)) return `The profile measured no time in this ${construct}.`;
  return `This ${construct} is ${formatPercent(cost.percent)} of the run (${formatSeconds(cost.seconds)}).`;
}

/**
 * Ranks one file's findings by the profile's costs of that file: each says what its region cost,
 * a hot one is raised one severity step, and a cold one is dropped when `hideColdFindings` is set.
 * Without costs for the file (the profile did not measure it) the findings are left as they are.
 */
export function rankFindings(
  findings: readonly Finding[],
  source: string,
  file: FileCosts | undefined,
  settings: RankingSettings,
): RankedFinding[] {
  if (!file) return findings.map((finding) => ({ finding }));
  const lines = new LineIndex(source);
  const ranked: RankedFinding[] = [];
  for (const finding of findings) {
    const { start, end } = finding.region;
    const first = lines.lineOf(start) + 1;
    // A region ending at the start of a line (after its newline) does not cover that line.
    const last = Math.max(first, lines.lineOf(Math.max(start, end - 1)) + 1);
    const cost = regionCost(file, first, last);
    const heat = heatOf(cost.percent, settings);
    if (heat === 'cold' && settings.hideColdFindings) continue;
    const sentence = costSentence(constructOf(source.slice(start, end)), cost);
    ranked.push({
      finding: {
        ...finding,
        message: `${sentence} ${finding.message}`,
        severity: heat === 'hot' ? raise(finding.severity) : finding.severity,
      },
      cost: { ...cost, heat },
    });
  }
  return ranked;
}
