// The profiler core (server/src/profile/, branch `profile`) as the extension uses it. The extension
// host runs it directly (bundled into dist/extension.js): a run's progress and its cancellation map
// one to one onto VS Code's progress notification, and a run does not depend on the language
// server's lifetime (restarting the server must not kill a profile that is being measured).
import type { ProfileSummary } from '../../server/src/profile/summary';

export type BackendChoice = 'auto' | 'builtin' | 'py-spy' | 'torch';
export type ModeChoice = 'wall' | 'cpu';

export type ProfileTarget =
  | { readonly kind: 'script'; readonly script: string; readonly args: readonly string[] }
  | { readonly kind: 'module'; readonly module: string; readonly args: readonly string[] }
  | { readonly kind: 'pid'; readonly pid: number; readonly durationSeconds?: number };

export interface ProfileJob {
  readonly python: string;
  readonly target: ProfileTarget;
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly backend: BackendChoice;
  readonly mode: ModeChoice;
  readonly rate: number;
  /** The speedscope file to write. */
  readonly profilePath: string;
}

export interface ProfileProgress {
  readonly samples: number;
  readonly elapsedSeconds: number;
}

export interface ProfileOutcome {
  readonly summary: ProfileSummary;
  readonly profilePath: string;
  /** The target's exit code; null when it was stopped or attached to. */
  readonly exitCode: number | null;
  readonly backend: string;
  readonly warnings: readonly string[];
}

export interface RunHooks {
  readonly signal: AbortSignal;
  readonly onProgress: (progress: ProfileProgress) => void;
  /** The target's own output, as it comes. */
  readonly onOutput?: (text: string) => void;
}

export async function runProfile(_job: ProfileJob, _hooks: RunHooks): Promise<ProfileOutcome> {
  throw new Error('the profiler core is not part of this build yet');
}

export async function loadProfileFile(_path: string): Promise<{ summary: ProfileSummary; format: string }> {
  throw new Error('the profiler core is not part of this build yet');
}
