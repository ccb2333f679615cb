// The profiling core: what the CLI, the language server and the extension host import.
export { runProfile } from './run';
export { loadProfileFile, summarizeSpeedscope, type LoadedProfile, type LoadOptions, type ProfileFileFormat } from './load';
export { summarize, type SummarizeOptions } from './summarize';
export { summarizeTrace, traceToSpeedscope } from './chromeTrace';
export { findPySpy } from './pyspy';
export { samplerRoot } from './python';
export { ProfileError } from './context';
export type { ProfileRequest, ProfileResult, ProfileTarget, ProfileProgress, RunProfileOptions } from './request';
export type { SpeedscopeFile } from './speedscope';
export type * from './summary';
