// Multi-process runs: the profiles that the target's Python children wrote (one per process, see
// server/python/hotpath_sampler/children.py) collected and merged with the target's own into one
// speedscope file. Each thread's profile keeps its process id (`hotpath.profilePids`, and
// "Process PID: ..." in its name); `hotpath.processes` says which process was which.
import { existsSync } from 'node:fs';
import { readdir, readFile, rename } from 'node:fs/promises';
import * as path from 'node:path';
import type { GpuLineCost, GpuSummary } from './summary';
import { type HotpathBlock, isSpeedscope, type SpeedscopeFile, type SpeedscopeFrame } from './speedscope';

/** What the merged file's `hotpath.processes` says of one process. */
export interface ProcessRecord {
  pid: number;
  parentPid: number | null;
  argv: string[];
  /** Wall-clock seconds the process was sampled. */
  durationSeconds: number;
  /** The torch backend: that process's Chrome trace. */
  torchTrace?: string;
  gpu?: GpuSummary | null;
}

export interface ChildProfiles {
  docs: SpeedscopeFile[];
  /** Children that started but left no profile: killed, `os._exit`, or still running. */
  missing: { pid: number; argv: string[] }[];
}

/** How long to wait, after the target ended, for children still writing (or still running). */
const SETTLE_MS = 3000;

/**
 * Reads the children's profiles from `dir`. A child that has started (`PID.started`) and not yet
 * written (`PID.json`) is waited for while it runs, up to a few seconds: helper processes such as
 * multiprocessing's resource tracker end just after the target.
 */
export async function readChildren(dir: string, settleMs = SETTLE_MS): Promise<ChildProfiles> {
  if (!existsSync(dir)) return { docs: [], missing: [] };
  const deadline = performance.now() + settleMs;
  let names: string[] = [];
  let pending: number[] = [];
  for (;;) {
    names = await readdir(dir);
    const written = new Set(names.filter((n) => /^\d+\.json$/.test(n)).map((n) => Number.parseInt(n, 10)));
    pending = names
      .filter((n) => /^\d+\.started$/.test(n))
      .map((n) => Number.parseInt(n, 10))
      .filter((pid) => !written.has(pid));
    if (!pending.some(isAlive) || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const docs: SpeedscopeFile[] = [];
  for (const name of names.filter((n) => /^\d+\.json$/.test(n)).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))) {
    try {
      const doc = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as unknown;
      if (isSpeedscope(doc)) docs.push(doc);
    } catch {
      // Half-written by a child killed while writing: left out like one that wrote nothing.
    }
  }
  const missing: ChildProfiles['missing'] = [];
  for (const pid of pending) {
    let argv: string[] = [];
    try {
      const info = JSON.parse(await readFile(path.join(dir, `${pid}.started`), 'utf8')) as { argv?: unknown };
      if (Array.isArray(info.argv)) argv = info.argv.map(String);
    } catch {
      // No details: the pid alone.
    }
    missing.push({ pid, argv });
  }
  return { docs, missing };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Why a child's profile is missing, for the warnings. */
export function missingWarning(missing: ChildProfiles['missing']): string | null {
  if (!missing.length) return null;
  const which = missing.map((m) => `${m.pid}${m.argv.length ? ` (${m.argv.join(' ')})` : ''}`).join(', ');
  return `No profile from child process${missing.length > 1 ? 'es' : ''} ${which}: killed, left through os._exit, or still running when the program ended.`;
}

/**
 * One speedscope file of the target (`root`, which may be missing) and its children: frames
 * shared, every thread's profile kept and named by its process, and the processes listed.
 */
export function mergeProcesses(root: SpeedscopeFile | null, children: SpeedscopeFile[]): SpeedscopeFile | null {
  const parts = [root, ...children].filter((d): d is SpeedscopeFile => d !== null);
  if (!children.length || !parts.length) return root;
  const frames: SpeedscopeFrame[] = [];
  const defLines: (number | null)[] = [];
  const index = new Map<string, number>();
  const profiles: SpeedscopeFile['profiles'] = [];
  const profilePids: number[] = [];
  const processes: ProcessRecord[] = [];
  const warnings = new Map<string, number[]>();
  let sampleCount = 0;
  for (const doc of parts) {
    const block = doc.hotpath;
    const pid = typeof block?.pid === 'number' ? block.pid : 0;
    const remap = doc.shared.frames.map((f, i) => {
      const def = block?.defLines?.[i] ?? null;
      const key = `${f.name}\0${f.file ?? ''}\0${f.line ?? ''}\0${def ?? ''}`;
      let at = index.get(key);
      if (at === undefined) {
        at = frames.length;
        frames.push(f);
        defLines.push(def);
        index.set(key, at);
      }
      return at;
    });
    for (const p of doc.profiles) {
      const name = `Process ${pid}: ${p.name}`;
      if (p.type === 'sampled') profiles.push({ ...p, name, samples: p.samples.map((s) => s.map((i) => remap[i])) });
      else profiles.push({ ...p, name, events: p.events.map((e) => ({ ...e, frame: remap[e.frame] })) });
      profilePids.push(pid);
    }
    sampleCount += typeof block?.sampleCount === 'number' ? block.sampleCount : 0;
    if (Array.isArray(block?.warnings) && doc !== root) {
      for (const w of block.warnings as string[]) warnings.set(w, [...(warnings.get(w) ?? []), pid]);
    }
    const record: ProcessRecord = {
      pid,
      parentPid: typeof block?.parentPid === 'number' ? block.parentPid : null,
      argv: argvOf(block),
      durationSeconds: typeof block?.durationSeconds === 'number' ? block.durationSeconds : 0,
    };
    if (typeof block?.torchTrace === 'string') record.torchTrace = block.torchTrace;
    if (block?.gpu !== undefined) record.gpu = (block.gpu as GpuSummary | null) ?? null;
    processes.push(record);
  }
  const base = (root ?? parts[0]).hotpath;
  const hotpath: HotpathBlock = {
    ...(base ?? { version: 1, backend: 'builtin', mode: 'wall' }),
    sampleCount,
    defLines,
    profilePids,
    processes,
    childWarnings: childWarnings(warnings, (root?.hotpath?.warnings as string[] | undefined) ?? []),
  };
  const gpu = mergeGpu(processes);
  if (gpu !== undefined) hotpath.gpu = gpu;
  return { ...(root ?? parts[0]), shared: { frames }, profiles, hotpath };
}

/** The children's warnings, once each with the processes that gave it; those the target gave too left out. */
function childWarnings(warnings: Map<string, number[]>, rootWarnings: string[]): string[] {
  return [...warnings]
    .filter(([text]) => !rootWarnings.includes(text))
    .map(([text, pids]) => `Process${pids.length > 1 ? 'es' : ''} ${pids.join(', ')}: ${text}`);
}

function argvOf(block: HotpathBlock | undefined): string[] {
  if (Array.isArray(block?.argv)) return (block.argv as unknown[]).map(String);
  // The target itself: what the runner ran.
  const target = block?.target as { kind?: string; name?: string; args?: unknown[] } | undefined;
  if (!target?.name) return [];
  return [...(target.kind === 'module' ? ['-m', target.name] : [target.name]), ...(target.args ?? []).map(String)];
}

/** The GPU summaries of the processes in one: kernel and idle time summed, lines merged (with their pids). */
export function mergeGpu(processes: ProcessRecord[]): GpuSummary | null | undefined {
  const withGpu = processes.filter((p) => p.gpu);
  if (!withGpu.length) return processes.some((p) => p.gpu === null) ? null : undefined;
  const lines = new Map<string, GpuLineCost & { pids: number[] }>();
  let kernelSeconds = 0;
  let idleSeconds: number | undefined;
  for (const { pid, gpu } of withGpu) {
    kernelSeconds += gpu!.kernelSeconds;
    if (gpu!.idleSeconds !== undefined) idleSeconds = (idleSeconds ?? 0) + gpu!.idleSeconds;
    for (const l of gpu!.lines) {
      const key = `${l.path}\0${l.line}`;
      let acc = lines.get(key);
      if (!acc) lines.set(key, (acc = { path: l.path, line: l.line, kernelSeconds: 0, kernelCount: 0, syncCount: 0, pids: [] }));
      acc.kernelSeconds += l.kernelSeconds;
      acc.kernelCount += l.kernelCount;
      acc.syncCount += l.syncCount;
      if (!acc.pids.includes(pid)) acc.pids.push(pid);
    }
  }
  const out: GpuSummary = {
    device: withGpu[0].gpu!.device,
    kernelSeconds,
    lines: [...lines.values()]
      .map((l) => ({ ...l, pids: l.pids.sort((a, b) => a - b) }))
      .sort((a, b) => b.kernelSeconds - a.kernelSeconds || b.syncCount - a.syncCount || a.path.localeCompare(b.path) || a.line - b.line),
  };
  if (idleSeconds !== undefined) out.idleSeconds = idleSeconds;
  return out;
}

/** Moves the children's torch traces next to the profile (NAME.PID.torch-trace.json) and records where. */
export async function moveChildTraces(doc: SpeedscopeFile, rootTrace: string): Promise<void> {
  const processes = doc.hotpath?.processes as ProcessRecord[] | undefined;
  for (const p of processes ?? []) {
    if (!p.torchTrace || p.torchTrace === rootTrace || !existsSync(p.torchTrace)) continue;
    const to = rootTrace.replace(/\.torch-trace\.json$/, `.${p.pid}.torch-trace.json`);
    await rename(p.torchTrace, to);
    p.torchTrace = to;
  }
}
