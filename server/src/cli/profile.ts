// `hotpath profile [options] -- PYTHON SCRIPT.py ARGS... | -- PYTHON -m MODULE ARGS... | --pid PID --duration S`
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ProfileError } from '../profile/context';
import type { ProfileRequest, ProfileTarget } from '../profile/request';
import { runProfile } from '../profile/run';
import { formatProfileText } from './format/profileText';
import { EXIT_CLEAN, EXIT_USAGE, parseCommandLine, UsageError } from './usage';

export const PROFILE_HELP = `Usage: hotpath profile [options] -- PYTHON SCRIPT.py ARGS...
       hotpath profile [options] -- PYTHON -m MODULE ARGS...
       hotpath profile [options] --pid PID --duration S [-- PYTHON]

Runs a Python program under a sampling profiler and reports where its time went, by line and
by function. The program's stdin, stdout, stderr and exit status are its own.

Options:
  --backend auto|builtin|py-spy|torch
                        auto (default): py-spy when it can run, else builtin (standard library only);
                        torch: the PyTorch profiler, GPU kernel time per line when CUDA is there
  --mode wall|cpu       wall (default): all time, waiting too; cpu: only time on a CPU
  --rate HZ             samples per second (default 100)
  --format text|json|speedscope
                        the report (default text); speedscope: the profile itself
  -o, --output FILE     write the report there instead of to stdout after the program's output
  --native              py-spy: include native (C/C++/Cython) frames
  --nonblocking         py-spy: do not pause the program for each sample (less overhead; a
                        stack read while the program changes it can be wrong)
  --subprocesses        also profile the program's Python child processes (py-spy and builtin;
                        torch always does), merged with their process ids
  --pid PID             attach to a running process (py-spy) ...
  --duration S          ... for S seconds
  -h, --help            show this help

Exit status: the program's own (128+N when signal N ended it); 2 on a usage error.
Ctrl-C stops the program and still reports what was measured.
`;

export interface ProfileIo {
  out(text: string): void;
  err(text: string): void;
  warn(message: string): void;
  cwd: string;
  /** Whether stderr is a terminal (progress is shown only then). */
  stderrIsTTY: boolean;
  /** Registers a Ctrl-C handler; returns its remover. */
  onInterrupt(handler: () => void): () => void;
}

const FORMATS = ['text', 'json', 'speedscope'] as const;
const BACKENDS = ['auto', 'builtin', 'py-spy', 'torch'] as const;
const MODES = ['wall', 'cpu'] as const;
const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15, SIGABRT: 6 };

export function parseProfileArgs(args: string[], cwd: string): { request: ProfileRequest; format: (typeof FORMATS)[number]; output?: string } | 'help' {
  const dash = args.indexOf('--');
  const own = dash >= 0 ? args.slice(0, dash) : args;
  const program = dash >= 0 ? args.slice(dash + 1) : [];
  const { values, positionals } = parseCommandLine(own, {
    backend: { type: 'string' },
    mode: { type: 'string' },
    rate: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    native: { type: 'boolean' },
    nonblocking: { type: 'boolean' },
    subprocesses: { type: 'boolean' },
    pid: { type: 'string' },
    duration: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (positionals.length) throw new UsageError(`unexpected '${positionals[0]}': put the program after --, as in: hotpath profile -- python script.py`);
  const pick = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T => {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) throw new UsageError(`${flag}: unknown value '${value}' (expected ${allowed.join(', ')})`);
    return value as T;
  };
  const backend = pick(values.backend, BACKENDS, '--backend', 'auto');
  const mode = pick(values.mode, MODES, '--mode', 'wall');
  const format = pick(values.format, FORMATS, '--format', 'text');
  const rateHz = values.rate === undefined ? 100 : Number(values.rate);
  if (!(rateHz > 0 && rateHz <= 10000)) throw new UsageError(`--rate: expected a number of samples a second up to 10000, got '${values.rate}'`);

  let target: ProfileTarget;
  let python: string;
  if (values.pid !== undefined) {
    const pid = Number(values.pid);
    const duration = Number(values.duration);
    if (!Number.isInteger(pid) || pid <= 0) throw new UsageError(`--pid: not a process id: '${values.pid}'`);
    if (!(duration > 0)) throw new UsageError('--pid needs --duration S (seconds, more than 0)');
    target = { pid, durationSeconds: duration };
    python = program[0] ?? 'python3';
  } else {
    if (values.duration !== undefined) throw new UsageError('--duration goes with --pid');
    if (program.length < 2) throw new UsageError('name the program after --: hotpath profile -- PYTHON SCRIPT.py ARGS... (or PYTHON -m MODULE ARGS...)');
    python = program[0];
    if (program[1] === '-m') {
      if (!program[2]) throw new UsageError('-m needs a module name');
      target = { module: program[2], args: program.slice(3) };
    } else if (program[1].startsWith('-')) {
      throw new UsageError(`interpreter option '${program[1]}' is not supported: name a script or -m MODULE right after the interpreter`);
    } else {
      target = { script: program[1], args: program.slice(2) };
    }
  }
  const output = values.output === undefined ? undefined : path.resolve(cwd, values.output);
  const request: ProfileRequest = {
    python,
    target,
    cwd,
    backend,
    mode,
    rateHz,
    native: values.native ?? false,
    nonblocking: values.nonblocking ?? false,
    subprocesses: values.subprocesses ?? false,
    stdio: 'inherit',
    outputPath: format === 'speedscope' ? output : undefined,
  };
  return { request, format, output };
}

export async function runProfileCommand(args: string[], io: ProfileIo): Promise<number> {
  const parsed = parseProfileArgs(args, io.cwd);
  if (parsed === 'help') {
    io.out(PROFILE_HELP);
    return EXIT_CLEAN;
  }
  const { request, format, output } = parsed;
  const controller = new AbortController();
  let interrupts = 0;
  // A Ctrl-C at the terminal reaches the program too; give it a moment before we send our own.
  const removeInterrupt = io.onInterrupt(() => {
    interrupts++;
    setTimeout(() => controller.abort(), interrupts > 1 ? 0 : 300).unref();
  });
  let shown = false;
  const onProgress = io.stderrIsTTY
    ? (p: { samples: number; elapsedSeconds: number }) => {
        shown = true;
        io.err(`\r\x1b[2Khotpath: ${p.samples} samples, ${p.elapsedSeconds.toFixed(1)} s`);
      }
    : undefined;
  let result;
  try {
    result = await runProfile(request, { signal: controller.signal, onProgress });
  } catch (err) {
    if (err instanceof ProfileError) {
      io.err(`hotpath: error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  } finally {
    removeInterrupt();
    if (shown) io.err('\r\x1b[2K');
  }
  for (const w of result.warnings) io.warn(w);

  let report: string;
  if (format === 'speedscope') report = output ? '' : await readFile(result.profilePath, 'utf8');
  else if (format === 'json') report = `${JSON.stringify(result.summary, null, 2)}\n`;
  else report = formatProfileText(result.summary, io.cwd);
  if (output && format !== 'speedscope') {
    // As with the speedscope file (runProfile makes its folder): `-o out/report.json` into a new folder.
    await mkdir(path.dirname(output), { recursive: true });
    await writeFile(output, report);
  }
  else if (!output) io.out(report);
  // A profile nobody asked to keep lives in its own temporary folder.
  if (!request.outputPath) await rm(path.dirname(result.profilePath), { recursive: true, force: true });

  if (result.exitCode !== null) return result.exitCode;
  if (result.signal) return 128 + (SIGNALS[result.signal] ?? 0);
  return EXIT_CLEAN;
}
