// The extension's worker thread (dist/profileLoader.js) for the heavy reading of a profile file,
// which must not stall the extension host (every extension's completions, hovers and commands run
// there): `summary` runs the core's loadProfileFile (a million samples take it a second or two of
// JSON parsing and folding); `draw` reads the file and prepares what the flame graph page gets
// (src/webview/drawable.ts).
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { loadProfileFile } from '../../server/src/profile';
import { drawable } from '../webview/drawable';
import type { WorkerJob } from './core';

async function run(job: WorkerJob): Promise<void> {
  if (job.kind === 'summary') {
    parentPort?.postMessage({ ok: true, loaded: await loadProfileFile(job.file) });
    return;
  }
  const bytes = job.bytes ?? (await readFile(job.file));
  const { bytes: out, reduced } = drawable(bytes);
  // Handed over, not copied, when the bytes own their whole buffer.
  const owned = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength;
  const plain = owned ? new Uint8Array(out.buffer) : new Uint8Array(out);
  parentPort?.postMessage({ ok: true, bytes: plain, reduced }, [plain.buffer as ArrayBuffer]);
}

run(workerData as WorkerJob).catch((err: unknown) =>
  parentPort?.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) }),
);
