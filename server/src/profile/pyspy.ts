// py-spy: finding it, its command line, and what its failures mean for the user.
import * as path from 'node:path';
import { isExecutable, onPath } from './executables';
import type { ProfileMode } from './summary';

const EXE = process.platform === 'win32' ? 'py-spy.exe' : 'py-spy';

/** py-spy next to the interpreter (its environment's bin or Scripts folder) first, then on PATH. */
export function findPySpy(python: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const beside = python.includes('/') || python.includes('\\') ? path.join(path.dirname(python), EXE) : undefined;
  if (beside && isExecutable(beside)) return beside;
  return onPath(['py-spy'], env) ?? null;
}

export interface PySpyArgs {
  pid: number;
  output: string;
  rateHz: number;
  mode: ProfileMode;
  native?: boolean;
  nonblocking?: boolean;
  subprocesses?: boolean;
  durationSeconds?: number;
}

export function pySpyArgs(o: PySpyArgs): string[] {
  // Wall mode: chrometrace, whose samples carry their time (see pyspyTrace.ts). Cpu mode: without
  // --idle py-spy leaves idle samples out, which a trace cannot show (the last stack would stay
  // open across the idle time), so its speedscope output, each sample weighing 1/rate.
  const format = o.mode === 'wall' ? 'chrometrace' : 'speedscope';
  const args = ['record', '--pid', String(o.pid), '--format', format, '--output', o.output, '--rate', String(Math.round(o.rateHz))];
  args.push('--full-filenames');
  if (o.mode === 'wall') args.push('--idle');
  if (o.native) args.push('--native');
  if (o.nonblocking) args.push('--nonblocking');
  if (o.subprocesses) args.push('--subprocesses');
  if (o.durationSeconds !== undefined) args.push('--duration', String(Math.max(1, Math.round(o.durationSeconds))));
  return args;
}

/** py-spy prints this once it is reading the process. */
export const PY_SPY_SAMPLING = /Sampling process/;

/** Turns py-spy's own complaint into a sentence that says what happened and what to do. */
export function explainPySpyFailure(output: string, exitCode: number | null): string {
  const text = output.replace(/\s+/g, ' ').trim();
  const said = text ? ` (py-spy said: ${text.slice(0, 400)})` : exitCode !== null ? ` (py-spy exited with ${exitCode})` : '';
  if (/permission denied|operation not permitted|EPERM|ptrace/i.test(text)) {
    return (
      `py-spy is not permitted to read the process${said}. Reading another process needs ptrace rights: ` +
      'run as root, or allow it with `sudo sysctl kernel.yama.ptrace_scope=0`; in a container start it with ' +
      '`--cap-add SYS_PTRACE`; on macOS py-spy needs sudo.'
    );
  }
  if (/python version|failed to find python|unsupported|interpreter/i.test(text)) {
    return `py-spy could not read this Python interpreter${said}: this Python version may be newer than py-spy supports; upgrade py-spy (pip install -U py-spy).`;
  }
  return `py-spy could not profile the process${said}.`;
}
