// Runs the real command line as a child process, and reads its output as a user's tool would.
import { spawnSync } from 'node:child_process';
import { hotpathBin, repoRoot } from '../support/dist';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function hotpath(args: string[], cwd = repoRoot): RunResult {
  const result = spawnSync(process.execPath, [hotpathBin, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface SpecEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

/** Applies edits given in spec positions (1-based lines, 1-based columns in code points). */
export function applySpecEdits(source: string, edits: readonly SpecEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\n' || (source[i] === '\r' && source[i + 1] !== '\n')) lineStarts.push(i + 1);
  }
  const offset = (line: number, column: number) => {
    let at = lineStarts[line - 1];
    for (let c = 1; c < column; c++) at += source.codePointAt(at)! > 0xffff ? 2 : 1;
    return at;
  };
  const located = edits.map((e) => ({ start: offset(e.line, e.column), end: offset(e.endLine, e.endColumn), text: e.newText }));
  located.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of located) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
