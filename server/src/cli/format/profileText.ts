// `hotpath profile --format text`: the hottest lines and functions, as a table for a terminal.
import * as path from 'node:path';
import type { ProfileSummary } from '../../profile/summary';

const TOP = 15;

export function formatProfileText(summary: ProfileSummary, cwd: string): string {
  const where = (p: string) => {
    const rel = path.relative(cwd, p);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
  };
  const s = (v: number) => `${v.toFixed(3)}s`.padStart(9);
  const pc = (v: number) => `${v.toFixed(1)}%`.padStart(7);
  const inPids = (pids: number[] | undefined) => (pids ? ` [pid ${pids.join(', ')}]` : '');
  const out: string[] = [];
  out.push(
    `hotpath profile: ${summary.backend} backend, ${summary.mode} mode, ${summary.durationSeconds.toFixed(3)} s, ${summary.sampleCount} samples`,
  );
  if (summary.processes) {
    out.push('', 'Processes:', `${'sampled'.padStart(9)} ${'samples'.padStart(7)}  pid (parent): command`);
    for (const p of summary.processes) {
      out.push(`${s(p.sampledSeconds)} ${String(p.sampleCount).padStart(7)}  ${p.pid}${p.parentPid === null ? '' : ` (${p.parentPid})`}: ${p.argv.join(' ')}`);
    }
  }
  out.push('', 'Lines, by total time:', `${'total'.padStart(9)} ${'total%'.padStart(7)} ${'self'.padStart(9)} ${'self%'.padStart(7)}  line`);
  for (const l of summary.lines.slice(0, TOP)) {
    out.push(`${s(l.totalSeconds)} ${pc(l.totalPercent)} ${s(l.selfSeconds)} ${pc(l.selfPercent)}  ${where(l.path)}:${l.line} (${l.function})${inPids(l.pids)}`);
  }
  if (summary.lines.length === 0) out.push('  (no samples)');
  out.push('', 'Functions, by total time:', `${'total'.padStart(9)} ${'total%'.padStart(7)} ${'self'.padStart(9)} ${'self%'.padStart(7)}  function`);
  for (const f of summary.functions.slice(0, TOP)) {
    out.push(`${s(f.totalSeconds)} ${pc(f.totalPercent)} ${s(f.selfSeconds)} ${pc(f.selfPercent)}  ${f.name} (${where(f.path)}:${f.line})${inPids(f.pids)}`);
  }
  if (summary.gpu) {
    const g = summary.gpu;
    out.push('', `GPU (${g.device}): ${g.kernelSeconds.toFixed(3)} s in kernels`);
    if (g.idleSeconds !== undefined) out.push(`GPU idle: ${g.idleSeconds.toFixed(3)} s`);
    out.push(`${'kernel'.padStart(9)} ${'kernels'.padStart(7)} ${'syncs'.padStart(6)}  line`);
    for (const l of g.lines.slice(0, TOP)) {
      out.push(`${s(l.kernelSeconds)} ${String(l.kernelCount).padStart(7)} ${String(l.syncCount).padStart(6)}  ${where(l.path)}:${l.line}${inPids(l.pids)}`);
    }
  }
  return `${out.join('\n')}\n`;
}
