// The profile currently shown in the editor: whatever produced it (a profiling run, an opened
// file), everything that displays it (flame graph, inline cost, ranked findings) listens here.
import * as vscode from 'vscode';
import type { ProfileSummary } from '../../server/src/profile/summary';

export interface LoadedProfile {
  /** Shown in titles and messages, e.g. `train.py (builtin, wall)`. */
  readonly title: string;
  readonly summary: ProfileSummary;
  /** The profile file (speedscope JSON, py-spy output, a PyTorch trace) the flame graph opens, when there is one. */
  readonly file?: vscode.Uri;
}

export class ProfileStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LoadedProfile | undefined>();
  private loaded: LoadedProfile | undefined;

  /** Fires with the new profile, or undefined when it was cleared. */
  readonly onDidChange = this.changed.event;

  get current(): LoadedProfile | undefined {
    return this.loaded;
  }

  set(profile: LoadedProfile): void {
    this.loaded = profile;
    this.changed.fire(profile);
  }

  clear(): void {
    if (!this.loaded) return;
    this.loaded = undefined;
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
