// py-spy's `--format chrometrace` turned into a speedscope file. We ask py-spy for this format, not
// for its speedscope output, because it carries the time of each sample: py-spy's speedscope file
// gives every sample the nominal 1/rate, and when py-spy falls behind on a busy machine and then
// catches up, the parts of the run where it caught up are overcounted (we saw 20% on a 3-part
// workload). Here each stack is weighed by the time until the next sample of its thread.
import type { TraceEvent } from './chromeTrace';
import { SPEEDSCOPE_SCHEMA, type SampledProfile, type SpeedscopeFile, type SpeedscopeFrame } from './speedscope';

export function isPySpyTrace(events: TraceEvent[]): boolean {
  return events.length > 0 && events.every((e) => e.cat === 'py-spy');
}

export function pySpyTraceToSpeedscope(events: TraceEvent[]): SpeedscopeFile {
  const frames: SpeedscopeFrame[] = [];
  const frameIndex = new Map<string, number>();
  const frameOf = (e: TraceEvent) => {
    const file = typeof e.args?.filename === 'string' ? e.args.filename : undefined;
    const line = typeof e.args?.line === 'number' ? e.args.line : undefined;
    const key = `${e.name}\0${file ?? ''}\0${line ?? ''}`;
    let i = frameIndex.get(key);
    if (i === undefined) {
      i = frames.length;
      const frame: SpeedscopeFrame = { name: e.name };
      if (file !== undefined) frame.file = file;
      if (line !== undefined && line > 0) frame.line = line;
      frames.push(frame);
      frameIndex.set(key, i);
    }
    return i;
  };

  const threads = new Map<string, { pid: number; name: string; stack: number[]; last: number; samples: number[][]; weights: number[] }>();
  for (const e of events) {
    if ((e.ph !== 'B' && e.ph !== 'E') || typeof e.ts !== 'number') continue;
    const key = `${e.pid}:${e.tid}`;
    let t = threads.get(key);
    if (!t) threads.set(key, (t = { pid: Number(e.pid) || 0, name: `Process ${e.pid} thread ${e.tid}`, stack: [], last: e.ts, samples: [], weights: [] }));
    if (e.ts > t.last) {
      if (t.stack.length) {
        t.samples.push([...t.stack]);
        t.weights.push((e.ts - t.last) / 1e6);
      }
      t.last = e.ts;
    }
    if (e.ph === 'B') t.stack.push(frameOf(e));
    else {
      const i = t.stack.lastIndexOf(frameOf(e));
      if (i >= 0) t.stack.splice(i);
    }
  }
  const sampled = [...threads.values()].filter((t) => t.samples.length);
  const profiles: SampledProfile[] = sampled.map((t) => ({
      type: 'sampled',
      name: t.name,
      unit: 'seconds',
      startValue: 0,
      endValue: t.weights.reduce((a, b) => a + b, 0),
      samples: t.samples,
      weights: t.weights,
    }));
  // With --subprocesses the threads come from several processes: keep each one's pid.
  const hotpath = { version: 1 as const, backend: 'py-spy' as const, mode: 'wall' as const, profilePids: sampled.map((t) => t.pid) };
  return { $schema: SPEEDSCOPE_SCHEMA, exporter: 'py-spy', shared: { frames }, profiles, hotpath };
}
