// Starting the target (or py-spy) as a child process, ending it on abort, and reporting progress.
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Started {
  child: ChildProcess;
  exited: Promise<Exit>;
}

/** Spawns a process; `exited` resolves when it ends (or rejects when it cannot start). */
export function start(command: string, args: string[], options: SpawnOptions): Started {
  const child = spawn(command, args, options);
  const exited = new Promise<Exit>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exited };
}

/**
 * Stops `child` when `signal` aborts: SIGINT first (Python raises KeyboardInterrupt and the
 * profiler still writes), then SIGKILL after `graceSeconds`. Returns a function that detaches.
 */
export function stopOnAbort(child: ChildProcess, signal: AbortSignal | undefined, graceSeconds: number, exited: Promise<Exit>): () => void {
  if (!signal) return () => {};
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGINT');
    timer = setTimeout(() => child.kill('SIGKILL'), graceSeconds * 1000);
    timer.unref();
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const detach = () => {
    signal.removeEventListener('abort', onAbort);
    if (timer) clearTimeout(timer);
  };
  void exited.then(detach, detach);
  return detach;
}

/** Calls `onProgress` every 250 ms until stopped: samples estimated from the rate. */
export function progressTicker(rateHz: number, onProgress: ((p: { samples: number; elapsedSeconds: number }) => void) | undefined): () => void {
  if (!onProgress) return () => {};
  const began = performance.now();
  const tick = () => {
    const elapsedSeconds = (performance.now() - began) / 1000;
    onProgress({ samples: Math.floor(elapsedSeconds * rateHz), elapsedSeconds });
  };
  const timer = setInterval(tick, 250);
  return () => {
    clearInterval(timer);
    tick();
  };
}

/** Collects a readable stream's text (py-spy's messages) and calls `onText` with each chunk. */
export function collect(stream: NodeJS.ReadableStream | null, onText?: (all: string) => void): () => string {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text += chunk;
    onText?.(text);
  });
  return () => text;
}
