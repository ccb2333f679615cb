// Shared helpers of the profiler tests: the project's Python, the fixtures, bare runs to compare
// with, and a check of speedscope files against the rules of speedscope's file-format schema.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { findPySpy } from '../../server/src/profile/pyspy';
import type { SpeedscopeFile } from '../../server/src/profile/speedscope';
import { repoRoot } from '../support/dist';

export const python = path.join(repoRoot, '.venv', 'bin', 'python');
export const fixtures = path.join(repoRoot, 'test', 'fixtures', 'profile');
export const fixture = (name: string) => path.join(fixtures, name);

/** Why the project's Python cannot serve the tests, or null when it can. */
export function pythonMissing(): string | null {
  return existsSync(python) ? null : `${python} is missing: run scripts/setup.sh`;
}

/** Why py-spy cannot run here (the test is skipped with this reason), or null. */
export function pySpyMissing(): string | null {
  if (pythonMissing()) return pythonMissing();
  const exe = findPySpy(python);
  if (!exe) return 'py-spy is not installed in .venv (requirements-dev.txt)';
  const probe = spawnSync(exe, ['dump', '--pid', String(process.pid)], { encoding: 'utf8' });
  // Dumping a Node process fails for the right reason ("not a python process") when ptrace works.
  if (/permission|not permitted|ptrace/i.test(`${probe.stdout}${probe.stderr}`)) return `py-spy may not read processes here: ${probe.stderr.trim()}`;
  return null;
}

/** Whether this Python has a module. */
export function hasModule(name: string): boolean {
  return spawnSync(python, ['-c', `import ${name}`]).status === 0;
}

export interface BareRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The program run without any profiler, for comparison. */
export function bare(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): BareRun {
  const r = spawnSync(python, args, { cwd: options.cwd ?? fixtures, input: options.input ?? '', encoding: 'utf8', env: options.env ?? process.env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const UNITS = ['bytes', 'microseconds', 'milliseconds', 'nanoseconds', 'none', 'seconds'];

/** The rules of speedscope's file-format-schema.json (1.25.0), and that frame indices are in range. */
export function assertSpeedscope(doc: SpeedscopeFile): void {
  assert.equal(doc.$schema, 'https://www.speedscope.app/file-format-schema.json');
  assert.ok(Array.isArray(doc.shared.frames));
  for (const f of doc.shared.frames) {
    assert.equal(typeof f.name, 'string');
    if ('file' in f) assert.equal(typeof f.file, 'string');
    if ('line' in f) assert.equal(typeof f.line, 'number');
    if ('col' in f) assert.equal(typeof f.col, 'number');
  }
  if (doc.name !== undefined) assert.equal(typeof doc.name, 'string');
  if (doc.exporter !== undefined) assert.equal(typeof doc.exporter, 'string');
  if (doc.activeProfileIndex !== undefined) assert.equal(typeof doc.activeProfileIndex, 'number');
  for (const p of doc.profiles) {
    assert.ok(UNITS.includes(p.unit), `unit ${p.unit}`);
    assert.equal(typeof p.name, 'string');
    assert.equal(typeof p.startValue, 'number');
    assert.equal(typeof p.endValue, 'number');
    assert.equal(p.type, 'sampled');
    if (p.type !== 'sampled') continue;
    assert.equal(p.samples.length, p.weights.length);
    for (const w of p.weights) assert.ok(typeof w === 'number' && w >= 0);
    for (const s of p.samples) for (const i of s) assert.ok(Number.isInteger(i) && i >= 0 && i < doc.shared.frames.length, `frame ${i}`);
  }
}
