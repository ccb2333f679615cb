// Reading what a backend wrote, and writing the speedscope file and summary we hand out.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TraceEvent } from './chromeTrace';
import type { Exit } from './child';
import type { RunContext } from './context';
import { finishDocument } from './postprocess';
import { pySpyTraceToSpeedscope } from './pyspyTrace';
import type { ProfileResult } from './request';
import { type HotpathBlock, isSpeedscope, SPEEDSCOPE_SCHEMA, type SpeedscopeFile } from './speedscope';
import { summarize } from './summarize';
import type { GpuSummary, ProfileBackend } from './summary';

export async function readSpeedscope(file: string): Promise<SpeedscopeFile | null> {
  if (!existsSync(file)) return null;
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    return isSpeedscope(doc) ? doc : null;
  } catch {
    return null;
  }
}

/** py-spy's output (chrometrace or speedscope) as a speedscope file (null when py-spy wrote nothing readable). */
export async function readPySpy(file: string): Promise<SpeedscopeFile | null> {
  if (!existsSync(file)) return null;
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as unknown;
    if (isSpeedscope(doc)) return doc;
    return Array.isArray(doc) ? pySpyTraceToSpeedscope(doc as TraceEvent[]) : null;
  } catch {
    return null;
  }
}

export function emptyDocument(): SpeedscopeFile {
  return { $schema: SPEEDSCOPE_SCHEMA, shared: { frames: [] }, profiles: [] };
}

/** Writes the speedscope file and summarizes it. */
export async function finish(
  ctx: RunContext,
  doc: SpeedscopeFile | null,
  backend: ProfileBackend,
  exit: Exit,
  gpu: GpuSummary | null = null,
  extra: Partial<HotpathBlock> = {},
): Promise<ProfileResult> {
  const { request } = ctx;
  const name = 'script' in request.target ? path.basename(request.target.script) : 'module' in request.target ? request.target.module : `pid ${request.target.pid}`;
  const block: HotpathBlock = { ...(doc?.hotpath ?? {}), version: 1, backend, mode: request.mode, ...extra };
  if (gpu) block.gpu = gpu;
  const written = finishDocument(doc ?? emptyDocument(), block, name);
  await writeFile(ctx.outputPath, JSON.stringify(written));
  const summary = summarize(written, { backend, mode: request.mode, gpu });
  return { summary, profilePath: ctx.outputPath, exitCode: exit.code, signal: exit.signal, backend, warnings: ctx.warnings };
}
