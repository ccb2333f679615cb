// The machine-readable profile summary of `../shared/spec/profile.md` (`hotpath profile --format json`).
// One declaration for the profiler core, the CLI, the language server and the extension.

export type ProfileBackend = 'builtin' | 'py-spy' | 'torch';
export type ProfileMode = 'wall' | 'cpu';

/** Time on one source line. Lines are 1-based; paths are absolute. */
export interface LineCost {
  path: string;
  line: number;
  function: string;
  selfSeconds: number;
  totalSeconds: number;
  selfPercent: number;
  totalPercent: number;
  /** The processes the line was sampled in; only in a profile of more than one process. */
  pids?: number[];
}

/** Time in one function; `line` is the line of its `def`. */
export interface FunctionCost {
  path: string;
  name: string;
  line: number;
  selfSeconds: number;
  totalSeconds: number;
  selfPercent: number;
  totalPercent: number;
  /** The processes the function was sampled in; only in a profile of more than one process. */
  pids?: number[];
}

/** GPU kernel time and host-device syncs attributed to the user's Python line that caused them. */
export interface GpuLineCost {
  path: string;
  line: number;
  kernelSeconds: number;
  kernelCount: number;
  syncCount: number;
  /** The processes whose kernels and syncs these are; only when more than one process was traced. */
  pids?: number[];
}

export interface GpuSummary {
  device: string;
  kernelSeconds: number;
  /** Time within the profiled steps when no kernel ran on the device (absent when unknown). */
  idleSeconds?: number;
  lines: GpuLineCost[];
}

export interface ProfileSummary {
  version: 1;
  backend: ProfileBackend;
  mode: ProfileMode;
  /** Percentages are of this. */
  durationSeconds: number;
  sampleCount: number;
  /** Sorted by totalSeconds, largest first. */
  lines: LineCost[];
  /** Sorted by totalSeconds, largest first. */
  functions: FunctionCost[];
  gpu: GpuSummary | null;
  /** Multi-process runs (the target's Python children followed, `torchrun`, DataLoader workers,
   * py-spy --subprocesses): one entry per process sampled, the target first. Absent for one process. */
  processes?: ProcessCost[];
}

/** One process of a multi-process profile. */
export interface ProcessCost {
  pid: number;
  /** Null for the target (or when unknown). */
  parentPid: number | null;
  /** Its command line as it saw it (`sys.argv`), when known. */
  argv: string[];
  /** Seconds sampled in the process, all its threads together. */
  sampledSeconds: number;
  sampleCount: number;
}
