// How long publishing diagnostics after a change took, over the recent publishes (PUBLISH_LATENCY).
import type { PublishLatency } from '../protocol';

/** Enough publishes for a steady p95, few enough to describe the recent ones. */
const KEPT = 1000;

export class LatencyLog {
  private readonly times: number[] = [];

  record(ms: number): void {
    if (this.times.length === KEPT) this.times.shift();
    this.times.push(ms);
  }

  summary(): PublishLatency {
    const sorted = [...this.times].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
    return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
  }
}
