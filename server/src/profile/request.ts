// What a caller (the CLI, the language server, the extension host) asks the profiler for, and what
// it gets back. Plain data, shared by every front end.
import type { ProfileBackend, ProfileMode, ProfileSummary } from './summary';

export type ProfileTarget =
  | { script: string; args: string[] }
  | { module: string; args: string[] }
  /** Attach to a running process for a while (py-spy only). */
  | { pid: number; durationSeconds: number };

export interface ProfileRequest {
  /** The interpreter that runs the target (and whose environment may hold py-spy and torch). */
  python: string;
  target: ProfileTarget;
  cwd?: string;
  /** Variables added to (or replacing those of) this process's environment for the target. */
  env?: Record<string, string>;
  backend: 'auto' | ProfileBackend;
  mode: ProfileMode;
  /** Samples per second (100 is py-spy's default and ours). */
  rateHz: number;
  /** py-spy: also sample native (C/C++/Cython) frames. */
  native?: boolean;
  /** py-spy: read the program without pausing it for each sample (py-spy's --nonblocking). */
  nonblocking?: boolean;
  /** py-spy: also profile the target's Python child processes. */
  subprocesses?: boolean;
  /** Where the speedscope file goes; a temporary file when absent. */
  outputPath?: string;
  /** inherit: the target shares this process's stdin/stdout/stderr (the CLI); pipe: its output
   * goes to `onOutput` and its stdin is closed (an editor). Default: inherit. */
  stdio?: 'inherit' | 'pipe';
}

export interface ProfileProgress {
  /** Samples taken so far, estimated from the elapsed time and the rate while the run lasts. */
  samples: number;
  elapsedSeconds: number;
}

export interface RunProfileOptions {
  /** Aborting stops the target (SIGINT, then a kill after a grace period); what was measured is kept. */
  signal?: AbortSignal;
  /** Called about four times a second while the target runs. */
  onProgress?: (progress: ProfileProgress) => void;
  /** The target's output when `stdio` is 'pipe'. */
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  /** Seconds between SIGINT and the kill when aborted (default 5). */
  graceSeconds?: number;
}

export interface ProfileResult {
  summary: ProfileSummary;
  /** The speedscope JSON written (speedscope opens it as is). */
  profilePath: string;
  /** The target's exit status; null when it was ended by a signal (see `signal`) or attached to. */
  exitCode: number | null;
  /** The signal that ended the target, if one did. */
  signal: NodeJS.Signals | null;
  /** The backend that actually measured (auto resolves; py-spy may fall back to builtin). */
  backend: ProfileBackend;
  /** What the user should know: a fallback and why, CUDA not available, ... */
  warnings: string[];
}
