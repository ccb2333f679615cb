// Finding programs: shared by the profiler core (py-spy) and the extension (the Python interpreter).
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` found in a folder of PATH. */
export function onPath(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const suffixes = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const folder of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      for (const suffix of suffixes) {
        const candidate = path.join(folder, name + suffix);
        if (isExecutable(candidate)) return candidate;
      }
    }
  }
  return undefined;
}
