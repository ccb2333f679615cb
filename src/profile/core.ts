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

export { findPySpy, runProfile } from '../../server/src/profile';
export type { ProfileRequest, ProfileResult, ProfileTarget } from '../../server/src/profile';

/** The core's loadProfileFile, run in a worker thread (src/profile/loadWorker.ts, bundled as dist/profileLoader.js). */
export function loadProfileFile(file: string): Promise<LoadedProfile> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'profileLoader.js'), { workerData: { file } });
    worker.once('message', (reply: { ok: true; loaded: LoadedProfile } | { ok: false; message: string }) => {
      if (reply.ok) resolve(reply.loaded);
      else reject(new Error(reply.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the profile loader stopped (exit code ${code})`)));
  });
}

export type BackendChoice = ProfileRequest['backend'];
export type ModeChoice = ProfileRequest['mode'];
