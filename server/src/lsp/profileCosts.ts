// The profile the client last told the server about (`hotpath/didChangeProfile`), by file, so that
// each analysis can rank its findings by measured cost.
import type { FileCosts } from '../cost/ranking';
import { indexByFile } from '../cost/ranking';
import { PathKeys } from '../cost/paths';
import type { ProfileCosts } from '../protocol';
import { uriToPath } from './uri';

export class ProfileCostStore {
  private files: Map<string, FileCosts> | undefined;
  /** Path keys (realpath, case) of the profile's files and of the open documents, made once per profile. */
  private keys = new PathKeys();

  get loaded(): boolean {
    return this.files !== undefined;
  }

  /** Replaces the profile; `null` clears it. */
  set(profile: ProfileCosts | null): void {
    this.keys = new PathKeys();
    this.files = profile ? indexByFile(profile, (path) => this.keys.keyOf(path)) : undefined;
  }

  /** The costs the profile measured in the file behind `uri`; none for unsaved documents and notebook cells. */
  forUri(uri: string): FileCosts | undefined {
    if (!this.files || !uri.startsWith('file:')) return undefined;
    const path = uriToPath(uri);
    return path === undefined ? undefined : this.files.get(this.keys.keyOf(path));
  }
}
