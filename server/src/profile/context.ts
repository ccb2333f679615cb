// What one profiling run carries through its steps.
import type { ProfileRequest, RunProfileOptions } from './request';

/** A request that cannot be served (a usage problem, py-spy missing for an attach, ...). */
export class ProfileError extends Error {}

export interface RunContext {
  request: ProfileRequest;
  options: RunProfileOptions;
  env: NodeJS.ProcessEnv;
  cwd: string;
  work: string;
  outputPath: string;
  warnings: string[];
}
