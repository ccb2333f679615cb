// Which files `check` reads: the files named, and the `.py` files below the directories named.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError } from '../workspace/sourceFile';
import { UsageError } from './usage';

export interface SourcePath {
  /** The path as printed: the argument, joined with the path inside it for a directory. */
  display: string;
  /** The same file, absolute. */
  absolute: string;
}

/** Directory names never entered: version control, caches, installed packages, environments. */
const SKIPPED_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '__pycache__', 'site-packages', '.venv', 'venv', '.tox', '.nox']);

/**
 * Expands the command line's paths into source files, in argument order and, inside a directory,
 * in name order. A path that does not exist is a usage error; an unreadable directory a warning.
 */
export function collectSourceFiles(args: readonly string[], warn: (message: string) => void): SourcePath[] {
  const seen = new Set<string>();
  const out: SourcePath[] = [];
  const add = (display: string, absolute: string) => {
    if (seen.has(absolute)) return;
    seen.add(absolute);
    out.push({ display, absolute });
  };
  for (const arg of args) {
    const absolute = path.resolve(arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch (err) {
      throw new UsageError(`${arg}: ${describeFsError(err)}`);
    }
    if (stat.isDirectory()) walk(arg, absolute, add, warn);
    else add(arg, absolute);
  }
  return out;
}

function walk(display: string, absolute: string, add: (display: string, absolute: string) => void, warn: (message: string) => void): void {
  // An explicit stack keeps deep trees off the call stack.
  const stack: Array<[string, string]> = [[display, absolute]];
  while (stack.length) {
    const [dirDisplay, dirAbsolute] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dirAbsolute, { withFileTypes: true });
    } catch (err) {
      warn(`${dirDisplay}: skipped: ${describeFsError(err)}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Array<[string, string]> = [];
    for (const entry of entries) {
      const entryDisplay = joinDisplay(dirDisplay, entry.name);
      const entryAbsolute = path.join(dirAbsolute, entry.name);
      // Symbolic links to directories are not followed (they can form cycles); links to files are.
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !isVirtualEnv(entryAbsolute)) subdirs.push([entryDisplay, entryAbsolute]);
      } else if (entry.name.endsWith('.py') && (entry.isFile() || (entry.isSymbolicLink() && isFile(entryAbsolute)))) {
        add(entryDisplay, entryAbsolute);
      }
    }
    // Files of a directory come before those of its subdirectories, each in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]);
  }
}

function isVirtualEnv(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'pyvenv.cfg'));
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** `examples/` + `a.py` -> `examples/a.py`: the argument as typed, one separator, the name. */
function joinDisplay(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}
