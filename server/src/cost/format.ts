// How measured cost is written for people: one place for the diagnostics, the CodeLens, the
// hovers, the Hot paths view and the command line, so that they all say "43% · 1.9 s" alike.

/** A share of the run: `43%` from 10% up, `4.3%` below, `<0.1%` for what rounds to nothing. */
export function formatPercent(percent: number): string {
  if (!(percent > 0)) return '0%';
  if (percent >= 9.95) return `${Math.round(percent)}%`;
  if (percent >= 0.05) return `${percent.toFixed(1)}%`;
  return '<0.1%';
}

/** A duration with two or three significant digits: `12 s`, `1.9 s`, `340 ms`, `2.5 ms`, `80 µs`. */
export function formatSeconds(seconds: number): string {
  if (!(seconds > 0)) return '0 s';
  if (seconds >= 9.95) return `${Math.round(seconds)} s`;
  if (seconds >= 0.9995) return `${seconds.toFixed(1)} s`;
  const ms = seconds * 1000;
  if (ms >= 9.95) return `${Math.round(ms)} ms`;
  if (ms >= 0.9995) return `${ms.toFixed(1)} ms`;
  return `${Math.max(1, Math.round(ms * 1000))} µs`;
}

/** `41% · 1.9 s` */
export function formatCost(percent: number, seconds: number): string {
  return `${formatPercent(percent)} · ${formatSeconds(seconds)}`;
}
