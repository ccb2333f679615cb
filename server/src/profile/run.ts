// runProfile: runs (or attaches to) a Python program under one of the backends and returns the
// summary and the speedscope file. Importable anywhere: no process.exit, no writes to stdout.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { collect, type Exit, progressTicker, start, stopOnAbort } from './child';
import { ProfileError, type RunContext } from './context';
import { finish, readPySpy, readSpeedscope } from './output';
import { resolveDefLines, stripRunnerFrames } from './postprocess';
import { explainPySpyFailure, findPySpy, PY_SPY_SAMPLING, pySpyArgs } from './pyspy';
import { samplerEnv, samplerRoot } from './python';
import { mergeProcesses, missingWarning, moveChildTraces, readChildren } from './processes';
import type { ProfileRequest, ProfileResult, RunProfileOptions } from './request';
import type { SpeedscopeFile } from './speedscope';
import type { GpuSummary, ProfileBackend } from './summary';
import { spawn } from 'node:child_process';

/** The folder (in the run's work folder) where the target's Python children write their profiles. */
const CHILDREN = 'children';

/** How long py-spy may take to attach before the builtin sampler takes over. */
const PY_SPY_ATTACH_SECONDS = 20;

export async function runProfile(request: ProfileRequest, options: RunProfileOptions = {}): Promise<ProfileResult> {
  if (!(request.rateHz > 0 && request.rateHz <= 10000)) throw new ProfileError(`the rate must be between 0 and 10000 samples a second (got ${request.rateHz})`);
  const cwd = path.resolve(request.cwd ?? process.cwd());
  const work = await mkdtemp(path.join(tmpdir(), 'hotpath-profile-'));
  const outputPath = request.outputPath ? path.resolve(cwd, request.outputPath) : path.join(work, 'profile.speedscope.json');
  // `-o out/run.speedscope.json` into a folder that is not there yet: make it, as other tools do.
  await mkdir(path.dirname(outputPath), { recursive: true });
  const ctx: RunContext = { request, options, env: { ...process.env, ...request.env }, cwd, work, outputPath, warnings: [] };
  try {
    const target = request.target;
    if ('pid' in target) return await attach(ctx, target.pid, target.durationSeconds);
    if (request.backend === 'torch') return await runTorch(ctx);
    if (request.backend === 'builtin') return await runLocal(ctx, null);
    const pyspy = findPySpy(request.python, ctx.env);
    if (!pyspy) {
      if (request.backend === 'py-spy') {
        ctx.warnings.push(
          'py-spy was not found next to the interpreter or on PATH (install it with `pip install py-spy`); profiled with the builtin sampler instead.',
        );
      }
      return await runLocal(ctx, null);
    }
    return await runLocal(ctx, pyspy);
  } finally {
    await cleanWork(work, outputPath);
  }
}

async function cleanWork(work: string, outputPath: string): Promise<void> {
  if (path.dirname(outputPath) === work) {
    // The profile lives here: keep it, drop the intermediates.
    for (const name of ['builtin.json', 'py-spy.json', 'go', CHILDREN]) await rm(path.join(work, name), { recursive: true, force: true });
  } else {
    await rm(work, { recursive: true, force: true });
  }
}

function targetArgs(request: ProfileRequest): string[] {
  const t = request.target;
  if ('script' in t) return ['--', t.script, ...t.args];
  if ('module' in t) return ['-m', t.module, ...t.args];
  throw new ProfileError('a running process can only be attached to');
}

function stdioOf(ctx: RunContext) {
  return ctx.request.stdio === 'pipe' ? (['ignore', 'pipe', 'pipe'] as const) : ('inherit' as const);
}

/**
 * Runs the target through `python -m hotpath_sampler`. With py-spy, the sampler waits until py-spy
 * is reading the process and then runs the target unsampled; when py-spy cannot attach, the
 * sampler profiles it instead. Either way the target is our own child: its stdio and exit status
 * are its own, not py-spy's.
 */
async function runLocal(ctx: RunContext, pyspy: string | null, extraArgs: string[] = []): Promise<ProfileResult> {
  const { request, options, work } = ctx;
  const raw = path.join(work, 'builtin.json');
  const go = path.join(work, 'go');
  const torch = extraArgs.includes('--torch-trace');
  // With py-spy, the launcher: it runs the program one frame below its own (py-spy pauses the
  // program for each sample and reads every frame: runner frames cost at every sample).
  const runner = pyspy ? [path.join(samplerRoot(), 'hotpath_launch.py')] : ['-m', 'hotpath_sampler'];
  const args = [...runner, '-o', raw, '--rate', String(request.rateHz), '--mode', request.mode, ...extraArgs];
  if (pyspy) args.push('--wait-for', go);
  // The builtin sampler follows Python children when asked (py-spy does so itself); the torch
  // backend always does (torchrun workers, DataLoader workers: one profile per process).
  const children = path.join(work, CHILDREN);
  if (request.subprocesses || torch) args.push('--children', children);
  const target = start(request.python, [...args, ...targetArgs(request)], {
    cwd: ctx.cwd,
    env: samplerEnv(ctx.env),
    stdio: stdioOf(ctx) as never,
  });
  pipeOutput(target.child, options);
  const stopProgress = progressTicker(request.rateHz, options.onProgress);
  let backend: ProfileBackend = torch ? 'torch' : 'builtin';
  let spyDone: Promise<{ exit: Exit; output: string }> | null = null;
  if (pyspy) {
    const decision = await attachPySpy(ctx, pyspy, target.child.pid!, go, target.exited);
    if (decision.attached) {
      backend = 'py-spy';
      spyDone = decision.done;
    }
  }
  stopOnAbort(target.child, options.signal, options.graceSeconds ?? 5, target.exited);
  const exit = await target.exited.catch((err: Error) => {
    throw new ProfileError(`could not run ${request.python}: ${err.message}`);
  });
  stopProgress();

  let doc: SpeedscopeFile | null;
  if (backend === 'py-spy') {
    const spy = await spyDone!;
    doc = await readPySpy(path.join(work, 'py-spy.json'));
    if (!doc) ctx.warnings.push(explainPySpyFailure(spy.output, spy.exit.code) + ' No profile was written.');
    else doc = await fromPySpy(ctx, doc);
  } else {
    doc = await readSpeedscope(raw);
    if (!doc) {
      ctx.warnings.push(
        'The program ended without the sampler writing its profile (it was killed, or it left through os._exit); nothing was measured.',
      );
    }
    const kids = await readChildren(children);
    doc = mergeProcesses(doc, kids.docs);
    const missing = missingWarning(kids.missing);
    if (missing) ctx.warnings.push(missing);
  }
  if (backend === 'torch') {
    const block = doc?.hotpath;
    if (Array.isArray(block?.warnings)) ctx.warnings.push(...(block.warnings as string[]));
    if (Array.isArray(block?.childWarnings)) ctx.warnings.push(...(block.childWarnings as string[]));
    if (doc) await moveChildTraces(doc, extraArgs[extraArgs.indexOf('--torch-trace') + 1]);
    return finish(ctx, doc, backend, exit, (block?.gpu as GpuSummary | null | undefined) ?? null);
  }
  return finish(ctx, doc, backend, exit);
}

/**
 * The torch backend: the builtin sampler for Python time, and torch.profiler in the same process
 * for the GPU (see server/python/hotpath_sampler/torch_bridge.py). Its Chrome trace is written
 * next to the profile (NAME.torch-trace.json).
 */
async function runTorch(ctx: RunContext): Promise<ProfileResult> {
  const problem = await torchProblem(ctx);
  if (problem) throw new ProfileError(problem);
  const trace = `${ctx.outputPath.replace(/(\.speedscope)?\.json$/i, '')}.torch-trace.json`;
  return runLocal(ctx, null, ['--torch-trace', trace]);
}

/** Why the target's interpreter cannot run the torch backend, or null. */
async function torchProblem(ctx: RunContext): Promise<string | null> {
  const child = spawn(ctx.request.python, ['-c', 'import torch'], { env: ctx.env, cwd: ctx.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.once('exit', (c) => resolve(c));
  });
  if (code === 0) return null;
  const last = err.trim().split('\n').pop() ?? '';
  return `the torch backend needs PyTorch, and ${ctx.request.python} cannot import it${last ? ` (${last})` : ''}: install torch into that environment, or use --backend builtin or py-spy`;
}

interface PySpyDecision {
  attached: boolean;
  done: Promise<{ exit: Exit; output: string }>;
}

/** Starts py-spy on the waiting runner and tells the runner what to do once py-spy is reading it (or failed). */
async function attachPySpy(ctx: RunContext, pyspy: string, pid: number, go: string, targetExited: Promise<Exit>): Promise<PySpyDecision> {
  const { request } = ctx;
  const args = pySpyArgs({
    pid,
    output: path.join(ctx.work, 'py-spy.json'),
    rateHz: request.rateHz,
    mode: request.mode,
    native: request.native,
    nonblocking: request.nonblocking,
    subprocesses: request.subprocesses,
  });
  let signalReady: (ready: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (signalReady = resolve));
  const spy = start(pyspy, args, { stdio: ['ignore', 'pipe', 'pipe'], env: ctx.env });
  const outText = collect(spy.child.stdout, (text) => PY_SPY_SAMPLING.test(text) && signalReady(true));
  const errText = collect(spy.child.stderr);
  const output = () => `${outText()}\n${errText()}`.replace(/py-spy> /g, '').trim();
  const done = spy.exited.then(
    (exit) => ({ exit, output: output() }),
    (err: Error) => ({ exit: { code: null, signal: null } as Exit, output: err.message }),
  );
  void done.then(() => signalReady(false));
  void targetExited.then(() => signalReady(false), () => signalReady(false));
  const timer = setTimeout(() => signalReady(false), PY_SPY_ATTACH_SECONDS * 1000);
  const aborted = () => signalReady(false);
  ctx.options.signal?.addEventListener('abort', aborted, { once: true });
  const attached = await ready;
  clearTimeout(timer);
  ctx.options.signal?.removeEventListener('abort', aborted);
  if (ctx.options.signal?.aborted) {
    spy.child.kill('SIGINT');
    await writeFile(go, 'exit');
    return { attached: false, done };
  }
  if (attached) {
    await writeFile(go, 'run');
    // When the program ends py-spy notices, writes its file and exits; make sure it does.
    void targetExited.finally(() => {
      const t = setTimeout(() => spy.child.kill('SIGINT'), 10_000);
      void done.finally(() => clearTimeout(t));
    });
    return { attached: true, done };
  }
  spy.child.kill('SIGKILL');
  const result = await done;
  ctx.warnings.push(`${explainPySpyFailure(result.output, result.exit.code)} Profiled with the builtin sampler instead.`);
  await writeFile(go, 'sample');
  return { attached: false, done };
}

/** py-spy --pid PID --duration S: a running process, py-spy only. */
async function attach(ctx: RunContext, pid: number, durationSeconds: number): Promise<ProfileResult> {
  const { request, options } = ctx;
  if (request.backend === 'builtin' || request.backend === 'torch') {
    throw new ProfileError(`the ${request.backend} backend cannot attach to a running process; use py-spy (or auto)`);
  }
  const pyspy = findPySpy(request.python, ctx.env);
  if (!pyspy) throw new ProfileError('attaching to a running process needs py-spy, and it was not found (install it with `pip install py-spy`)');
  const raw = path.join(ctx.work, 'py-spy.json');
  const args = pySpyArgs({ pid, output: raw, rateHz: request.rateHz, mode: request.mode, native: request.native, nonblocking: request.nonblocking, subprocesses: request.subprocesses, durationSeconds });
  const spy = start(pyspy, args, { stdio: ['ignore', 'pipe', 'pipe'], env: ctx.env });
  const out = collect(spy.child.stdout);
  const err = collect(spy.child.stderr);
  const stopProgress = progressTicker(request.rateHz, options.onProgress);
  stopOnAbort(spy.child, options.signal, options.graceSeconds ?? 5, spy.exited);
  const exit = await spy.exited.catch((e: Error) => {
    throw new ProfileError(`could not run ${pyspy}: ${e.message}`);
  });
  stopProgress();
  const doc = await readPySpy(raw);
  if (!doc) throw new ProfileError(explainPySpyFailure(`${out()}\n${err()}`.replace(/py-spy> /g, ''), exit.code));
  return finish(ctx, await fromPySpy(ctx, doc), 'py-spy', { code: null, signal: null });
}

async function fromPySpy(ctx: RunContext, raw: SpeedscopeFile): Promise<SpeedscopeFile> {
  const doc = stripRunnerFrames(raw, samplerRoot());
  const defLines = await resolveDefLines(ctx.request.python, doc.shared.frames, ctx.env);
  const longest = Math.max(0, ...doc.profiles.map((p) => (p.type === 'sampled' ? p.weights.reduce((a, b) => a + b, 0) : 0)));
  return {
    ...doc,
    exporter: raw.exporter ?? 'py-spy',
    hotpath: {
      version: 1,
      backend: 'py-spy',
      mode: ctx.request.mode,
      rateHz: ctx.request.rateHz,
      durationSeconds: longest,
      defLines,
      ...(Array.isArray(doc.hotpath?.profilePids) ? { profilePids: doc.hotpath.profilePids } : {}),
    },
  };
}

function pipeOutput(child: import('node:child_process').ChildProcess, options: RunProfileOptions): void {
  child.stdout?.setEncoding('utf8').on('data', (t: string) => options.onOutput?.('stdout', t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => options.onOutput?.('stderr', t));
}
