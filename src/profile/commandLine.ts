// Plain text helpers for the profiling targets (no `vscode`, so unit tests run them directly):
// a command line typed as one string, and the Python processes in `ps` output.
import * as path from 'node:path';

/** Splits a command line the way a POSIX shell would for plain words and quotes (no expansion). */
export function splitArgs(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) current += line[++i];
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < line.length) {
      current += line[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} quote`);
  if (started) args.push(current);
  return args;
}

export interface PythonProcess {
  readonly pid: number;
  readonly command: string;
}

const PYTHON_EXECUTABLE = /^python(\d+(\.\d+)?)?$/;

/** Parses `ps -eo pid=,args=` output into the Python processes, leaving out `exclude` (this one). */
export function parsePythonProcesses(psOutput: string, exclude: readonly number[]): PythonProcess[] {
  const out: PythonProcess[] = [];
  for (const line of psOutput.split('\n')) {
    const match = /^\s*(\d+)\s+(.+)$/.exec(line);
    if (!match) continue;
    const pid = Number(match[1]);
    const command = match[2].trim();
    const executable = path.basename(command.split(/\s+/)[0]);
    if (PYTHON_EXECUTABLE.test(executable) && !exclude.includes(pid)) out.push({ pid, command });
  }
  return out;
}

