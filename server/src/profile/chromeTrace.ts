// The PyTorch profiler's Chrome trace (Trace Event Format) turned into the summary.
import type { ProfileSummary } from './summary';

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
  [key: string]: unknown;
}

export function isChromeTrace(doc: unknown): doc is ChromeTrace | TraceEvent[] {
  if (Array.isArray(doc)) return doc.every((e) => typeof e === 'object' && e !== null && 'ph' in e);
  return typeof doc === 'object' && doc !== null && Array.isArray((doc as ChromeTrace).traceEvents);
}

export function summarizeTrace(doc: ChromeTrace | TraceEvent[]): ProfileSummary {
  void doc;
  throw new Error('Chrome traces are not read yet');
}
