// Turns what a backend wrote into the speedscope file we hand out: the profiler's own frames
// (the runner's runpy calls) cut off, frames made schema-clean, and each frame's `def` line added.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { HotpathBlock, SampledProfile, SpeedscopeFile, SpeedscopeFrame } from './speedscope';
import { SPEEDSCOPE_SCHEMA, weightedStacks } from './speedscope';
import { isPythonFrame } from './summarize';
import { samplerEnv, samplerRoot } from './python';

/** Frames of the runner that launched the target: our package and runpy. */
export function isRunnerFrame(frame: SpeedscopeFrame, root: string): boolean {
  const file = frame.file ?? '';
  return file === '<frozen runpy>' || /[\\/]runpy\.py$/.test(file) || file.startsWith(root + path.sep);
}

/** Drops the runner's frames (and native frames outside them) from the outer end of each stack, and samples left empty. */
export function stripRunnerFrames(doc: SpeedscopeFile, root: string): SpeedscopeFile {
  const runner = doc.shared.frames.map((f) => isRunnerFrame(f, root));
  const native = doc.shared.frames.map((f) => !isPythonFrame(f));
  const ours = doc.shared.frames.map((f) => (f.file ?? '').startsWith(root + path.sep));
  const pids = doc.hotpath?.profilePids as number[] | undefined;
  const profiles = doc.profiles.map((profile) => {
    const samples: number[][] = [];
    const weights: number[] = [];
    for (const { stack, seconds } of weightedStacks(profile)) {
      // The outer end is the interpreter's own native frames (with --native), then runpy and our
      // runner, then the program: cut after the last runner frame of that stretch.
      let cut = 0;
      for (let i = 0; i < stack.length && (runner[stack[i]] || native[stack[i]]); i++) if (runner[stack[i]]) cut = i + 1;
      if (cut === stack.length) continue;
      // Our package deeper in the stack is the runner at its own work (importing before the target
      // starts, writing the profile), caught by a sampler that is already attached: not the program's time.
      if (stack.slice(cut).some((i) => ours[i])) continue;
      samples.push(stack.slice(cut));
      weights.push(seconds);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    return { type: 'sampled', name: profile.name, unit: 'seconds', startValue: 0, endValue: total, samples, weights } satisfies SampledProfile;
  });
  const kept = profiles.map((p) => p.samples.length > 0);
  const out: SpeedscopeFile = { ...doc, profiles: profiles.filter((_, i) => kept[i]) };
  if (Array.isArray(pids) && out.hotpath) out.hotpath = { ...out.hotpath, profilePids: pids.filter((_, i) => kept[i]) };
  return out;
}

/** Frames with only the properties the schema knows, of the types it wants. */
export function cleanFrames(frames: SpeedscopeFrame[]): SpeedscopeFrame[] {
  return frames.map((f) => {
    const out: SpeedscopeFrame = { name: String(f.name) };
    if (typeof f.file === 'string') out.file = f.file;
    if (typeof f.line === 'number') out.line = f.line;
    if (typeof f.col === 'number') out.col = f.col;
    return out;
  });
}

/** The `def` line of each Python frame, from the source files (`python -m hotpath_sampler.deflines`). */
export async function resolveDefLines(python: string, frames: SpeedscopeFrame[], env: NodeJS.ProcessEnv): Promise<(number | null)[]> {
  const wanted = frames.map((f) => (isPythonFrame(f) && f.file && !f.file.startsWith('<') ? [f.file, f.name, f.line ?? 0] : ['', f.name, 0]));
  const child = spawn(python, ['-m', 'hotpath_sampler.deflines'], { env: samplerEnv(env), stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stdin.end(JSON.stringify(wanted));
  const ok = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
  if (!ok) return frames.map(() => null);
  try {
    const lines = JSON.parse(out) as (number | null)[];
    return frames.map((_, i) => (typeof lines[i] === 'number' ? lines[i] : null));
  } catch {
    return frames.map(() => null);
  }
}

/** The speedscope file as we write it. */
export function finishDocument(doc: SpeedscopeFile, hotpath: HotpathBlock, name: string): SpeedscopeFile {
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    exporter: doc.exporter ?? 'hotpath',
    name: doc.name ?? name,
    activeProfileIndex: 0,
    shared: { frames: cleanFrames(doc.shared.frames) },
    profiles: doc.profiles,
    hotpath: { ...doc.hotpath, ...hotpath },
  };
}

export { samplerRoot };
