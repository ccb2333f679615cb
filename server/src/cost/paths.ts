// Profile paths and editor paths name the same file in different ways (symbolic links, the case of
// letters on Windows and macOS): both sides compare keys made here.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The key of a file path: resolved, through symbolic links when the file exists, case-folded where file names are. */
export function pathKey(file: string, platform: NodeJS.Platform = process.platform): string {
  let resolved = path.resolve(file);
  try {
    resolved = fs.realpathSync.native(resolved);
  } catch {
    // A file that is gone (or never was on this machine) keeps its resolved path.
  }
  return platform === 'win32' || platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

/** `pathKey`, remembering each answer: one file-system call per distinct path. */
export class PathKeys {
  private readonly keys = new Map<string, string>();

  keyOf(file: string): string {
    let key = this.keys.get(file);
    if (key === undefined) {
      key = pathKey(file);
      this.keys.set(file, key);
    }
    return key;
  }
}
