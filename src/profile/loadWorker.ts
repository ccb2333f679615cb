// Runs loadProfileFile in a worker thread (dist/profileLoader.js): summarizing a profile of a
// million samples takes the core a second or two of JSON parsing and folding, which must not
// stall the extension host (every extension's completions, hovers and commands run there).
import { parentPort, workerData } from 'node:worker_threads';
import { loadProfileFile } from '../../server/src/profile';

const { file } = workerData as { file: string };
loadProfileFile(file).then(
  (loaded) => parentPort?.postMessage({ ok: true, loaded }),
  (err: unknown) => parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
);
