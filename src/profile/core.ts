// The profiler core (server/src/profile/) as the extension uses it. The extension host runs it
// directly (bundled into dist/extension.js) rather than asking the language server: a run's
// progress and its cancellation map one to one onto VS Code's progress notification (AbortSignal,
// onProgress), the target's output streams straight to an output channel, and a run does not
// depend on the language server's lifetime (restarting the server must not kill a profile being
// measured). The core spawns the target and samples it in other processes, so the extension host
// only waits; reading the result is one JSON parse.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LoadedProfile, ProfileRequest } from '../../server/src/profile';
import type { Drawable } from '../webview/drawable';

export { findPySpy, runProfile } from '../../server/src/profile';
export type { ProfileRequest, ProfileResult, ProfileTarget } from '../../server/src/profile';

/** A job for the worker thread (src/profile/loadWorker.ts, bundled as dist/profileLoader.js). */
export type WorkerJob =
  | { readonly kind: 'summary'; readonly file: string }
  /** `bytes` when the file was read already (a file that is not on disk); else the worker reads `file`. */
  | { readonly kind: 'draw'; readonly file: string; readonly bytes?: Uint8Array };

function inWorker<T>(job: WorkerJob, take: (reply: Record<string, unknown>) => T): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'profileLoader.js'), { workerData: job });
    worker.once('message', (reply: { ok: boolean; message?: string } & Record<string, unknown>) => {
      if (reply.ok) resolve(take(reply));
      else reject(new Error(reply.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the profile worker stopped (exit code ${code})`)));
  });
}

/** The core's loadProfileFile, run in the worker thread. */
export function loadProfileFile(file: string): Promise<LoadedProfile> {
  return inWorker({ kind: 'summary', file }, (reply) => reply.loaded as LoadedProfile);
}

/** What the flame graph page gets for a profile file (src/webview/drawable.ts), prepared in the worker thread. */
export function drawableProfile(file: string, bytes?: Uint8Array): Promise<Drawable> {
  return inWorker({ kind: 'draw', file, bytes }, (reply) => ({ bytes: reply.bytes as Uint8Array, reduced: reply.reduced as Drawable['reduced'] }));
}

export type BackendChoice = ProfileRequest['backend'];
export type ModeChoice = ProfileRequest['mode'];
