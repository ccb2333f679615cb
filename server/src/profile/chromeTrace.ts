// The PyTorch profiler's Chrome trace (Trace Event Format) turned into the summary: Python time
// from its `python_function` events (recorded with with_stack=True), and GPU kernel time, syncs
// and idle time attributed to the innermost Python frame in the user's own files that was open
// when the kernel was launched (found through the launch's `correlation` id).
import { SPEEDSCOPE_SCHEMA, type SampledProfile, type SpeedscopeFile, type SpeedscopeFrame } from './speedscope';
import { summarize } from './summarize';
import type { GpuLineCost, GpuSummary, ProfileSummary } from './summary';

export interface TraceEvent {
  ph: string;
  name: string;
  cat?: string;
  pid?: number | string;
  tid?: number | string;
  ts?: number;
  dur?: number;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  deviceProperties?: { name?: string }[];
  [key: string]: unknown;
}

export function isChromeTrace(doc: unknown): doc is ChromeTrace | TraceEvent[] {
  if (Array.isArray(doc)) return doc.length > 0 && doc.every((e) => typeof e === 'object' && e !== null && 'ph' in e);
  return typeof doc === 'object' && doc !== null && Array.isArray((doc as ChromeTrace).traceEvents);
}

const PY_NAME = /^(.*)\((\d+)\): (.*)$/;
const SYNC = new Set(['cudaDeviceSynchronize', 'cudaStreamSynchronize', 'cudaEventSynchronize']);

/** A file the user wrote: not torch, site-packages, the standard library or Hotpath's runner. */
export function isUserFile(file: string): boolean {
  if (!file || file.startsWith('<')) return false;
  return !/[\\/](site-packages|dist-packages|torch|hotpath_sampler)[\\/]|[\\/]lib[\\/]python\d+(\.\d+)?[\\/]/.test(file);
}

interface Span {
  start: number;
  end: number;
  frame: number;
  user: boolean;
}

/** Python spans per thread, and the frames they stand for. */
function pythonSpans(events: TraceEvent[]) {
  const frames: SpeedscopeFrame[] = [];
  const index = new Map<string, number>();
  const byThread = new Map<string, Span[]>();
  for (const e of events) {
    if (e.ph !== 'X' || e.cat !== 'python_function' || typeof e.ts !== 'number') continue;
    const m = PY_NAME.exec(e.name);
    const frame: SpeedscopeFrame = m ? { name: m[3], file: m[1], line: Number(m[2]) } : { name: e.name };
    const key = `${frame.name}\0${frame.file ?? ''}\0${frame.line ?? ''}`;
    let i = index.get(key);
    if (i === undefined) {
      i = frames.length;
      frames.push(frame);
      index.set(key, i);
    }
    const thread = `${e.pid}:${e.tid}`;
    if (!byThread.has(thread)) byThread.set(thread, []);
    byThread.get(thread)!.push({ start: e.ts, end: e.ts + (e.dur ?? 0), frame: i, user: isUserFile(frame.file ?? '') });
  }
  for (const spans of byThread.values()) spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return { frames, byThread };
}

/** Sampled profiles from nested spans: each stretch between span boundaries weighs its length. */
function profilesOf(byThread: Map<string, Span[]>): SampledProfile[] {
  const out: SampledProfile[] = [];
  for (const [thread, spans] of byThread) {
    const samples: number[][] = [];
    const weights: number[] = [];
    const stack: Span[] = [];
    let at = spans.length ? spans[0].start : 0;
    const advance = (to: number) => {
      if (to > at && stack.length) {
        samples.push(stack.map((s) => s.frame));
        weights.push((to - at) / 1e6);
      }
      at = Math.max(at, to);
    };
    for (const span of spans) {
      while (stack.length && stack[stack.length - 1].end <= span.start) {
        advance(stack[stack.length - 1].end);
        stack.pop();
      }
      advance(span.start);
      stack.push(span);
    }
    while (stack.length) {
      advance(stack[stack.length - 1].end);
      stack.pop();
    }
    if (samples.length) {
      out.push({ type: 'sampled', name: `thread ${thread}`, unit: 'seconds', startValue: 0, endValue: weights.reduce((a, b) => a + b, 0), samples, weights });
    }
  }
  return out;
}

/** The innermost user span on `thread` that contains time `ts`. */
function userSpanAt(spans: Span[] | undefined, ts: number): Span | null {
  let best: Span | null = null;
  for (const s of spans ?? []) {
    if (s.start > ts) break;
    if (s.end >= ts && s.user && (!best || s.start >= best.start)) best = s;
  }
  return best;
}

export function gpuFromTrace(events: TraceEvent[], frames: SpeedscopeFrame[], byThread: Map<string, Span[]>, device: string): GpuSummary | null {
  const kernels = events.filter((e) => e.ph === 'X' && (e.cat === 'kernel' || e.cat === 'gpu_memcpy' || e.cat === 'gpu_memset') && typeof e.ts === 'number');
  const runtime = events.filter((e) => e.ph === 'X' && (e.cat === 'cuda_runtime' || e.cat === 'cuda_driver') && typeof e.ts === 'number');
  if (!kernels.length && !runtime.length) return null;
  const launches = new Map<unknown, TraceEvent>();
  for (const r of runtime) if (r.args?.correlation !== undefined) launches.set(r.args.correlation, r);
  const lines = new Map<string, GpuLineCost>();
  const lineOf = (r: TraceEvent): GpuLineCost | null => {
    const span = userSpanAt(byThread.get(`${r.pid}:${r.tid}`), r.ts!);
    if (!span) return null;
    const f = frames[span.frame];
    const key = `${f.file}\0${f.line}`;
    if (!lines.has(key)) lines.set(key, { path: f.file!, line: f.line!, kernelSeconds: 0, kernelCount: 0, syncCount: 0 });
    return lines.get(key)!;
  };
  let kernelSeconds = 0;
  const intervals: [number, number][] = [];
  for (const k of kernels) {
    const seconds = (k.dur ?? 0) / 1e6;
    intervals.push([k.ts!, k.ts! + (k.dur ?? 0)]);
    if (k.cat !== 'kernel') continue;
    kernelSeconds += seconds;
    const launch = launches.get(k.args?.correlation);
    const line = launch ? lineOf(launch) : null;
    if (line) {
      line.kernelSeconds += seconds;
      line.kernelCount++;
    }
  }
  for (const r of runtime) {
    const isSync = SYNC.has(r.name) || (/^cudaMemcpy/.test(r.name) && launches.has(r.args?.correlation) && kernels.some((k) => k.args?.correlation === r.args?.correlation && /DtoH|Device -> Host/i.test(k.name)));
    if (!isSync) continue;
    const line = lineOf(r);
    if (line) line.syncCount++;
  }
  const list = [...lines.values()]
    .map((l) => ({ ...l, kernelSeconds: Math.round(l.kernelSeconds * 1e9) / 1e9 }))
    .sort((a, b) => b.kernelSeconds - a.kernelSeconds || b.syncCount - a.syncCount || a.path.localeCompare(b.path) || a.line - b.line);
  const summary: GpuSummary = { device, kernelSeconds: Math.round(kernelSeconds * 1e9) / 1e9, lines: list };
  if (intervals.length) summary.idleSeconds = Math.round(idleTime(intervals) * 1e3) / 1e9;
  return summary;
}

/** Microseconds between the first start and the last end that no interval covers. */
export function idleTime(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let [start, end] = sorted[0];
  let last = end;
  for (const [s, e] of sorted.slice(1)) {
    last = Math.max(last, e);
    if (s > end) {
      busy += end - start;
      [start, end] = [s, e];
    } else end = Math.max(end, e);
  }
  busy += end - start;
  return Math.max(0, last - sorted[0][0] - busy);
}

/** The trace's Python part as a speedscope file, and its GPU part. */
export function traceToSpeedscope(doc: ChromeTrace | TraceEvent[]): { speedscope: SpeedscopeFile; gpu: GpuSummary | null } {
  const events = Array.isArray(doc) ? doc : doc.traceEvents;
  const { frames, byThread } = pythonSpans(events);
  const device = (!Array.isArray(doc) && doc.deviceProperties?.[0]?.name) || 'cuda';
  const gpu = gpuFromTrace(events, frames, byThread, device);
  return { speedscope: { $schema: SPEEDSCOPE_SCHEMA, exporter: 'hotpath (PyTorch trace)', shared: { frames }, profiles: profilesOf(byThread) }, gpu };
}

export function summarizeTrace(doc: ChromeTrace | TraceEvent[]): ProfileSummary {
  const { speedscope, gpu } = traceToSpeedscope(doc);
  // python_function events name a function by the line of its def: that is the def line too.
  return summarize(speedscope, { backend: 'torch', mode: 'wall', gpu, defLine: (i) => speedscope.shared.frames[i].line });
}
