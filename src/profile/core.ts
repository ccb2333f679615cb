// The profiler core (server/src/profile/) as the extension uses it. The extension host runs it
// directly (bundled into dist/extension.js) rather than asking the language server: a run's
// progress and its cancellation map one to one onto VS Code's progress notification (AbortSignal,
// onProgress), the target's output streams straight to an output channel, and a run does not
// depend on the language server's lifetime (restarting the server must not kill a profile being
// measured). The core spawns the target and samples it in other processes, so the extension host
// only waits; reading the result is one JSON parse.
export { findPySpy, loadProfileFile, runProfile } from '../../server/src/profile';
export type { ProfileRequest, ProfileResult, ProfileTarget } from '../../server/src/profile';
import type { ProfileRequest } from '../../server/src/profile';

export type BackendChoice = ProfileRequest['backend'];
export type ModeChoice = ProfileRequest['mode'];
