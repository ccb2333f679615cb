// What to profile, from what the person picked: a command line typed as one string, a launch.json
// Python configuration, a running Python process.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parsePythonProcesses, type PythonProcess, splitArgs } from './commandLine';

export { type PythonProcess, splitArgs };

/** A launch.json configuration Hotpath can profile: a Python program or module. */
export interface LaunchTarget {
  readonly name: string;
  readonly program?: string;
  readonly module?: string;
  readonly args: string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
}

interface RawLaunchConfiguration {
  name?: unknown;
  type?: unknown;
  request?: unknown;
  program?: unknown;
  module?: unknown;
  args?: unknown;
  cwd?: unknown;
  env?: unknown;
}

/** The Python launch configurations of a folder, with the common ${...} variables substituted. */
export function pythonLaunchTargets(folder: vscode.WorkspaceFolder, activeFile: string | undefined): LaunchTarget[] {
  const configurations = vscode.workspace.getConfiguration('launch', folder.uri).get<RawLaunchConfiguration[]>('configurations') ?? [];
  const expand = (value: string) => substituteVariables(value, folder, activeFile);
  return configurations
    .filter((c) => (c.type === 'python' || c.type === 'debugpy') && c.request === 'launch')
    .filter((c) => typeof c.program === 'string' || typeof c.module === 'string')
    .map((c) => ({
      name: typeof c.name === 'string' ? c.name : '(unnamed)',
      program: typeof c.program === 'string' ? path.resolve(folder.uri.fsPath, expand(c.program)) : undefined,
      module: typeof c.module === 'string' ? expand(c.module) : undefined,
      args: (Array.isArray(c.args) ? c.args.map(String) : typeof c.args === 'string' ? splitArgs(c.args) : []).map(expand),
      cwd: typeof c.cwd === 'string' ? path.resolve(folder.uri.fsPath, expand(c.cwd)) : folder.uri.fsPath,
      env: Object.fromEntries(
        Object.entries(typeof c.env === 'object' && c.env !== null ? (c.env as Record<string, unknown>) : {})
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => [k, expand(String(v))]),
      ),
    }));
}

/** ${workspaceFolder}, ${file} and their relatives, ${env:NAME}; anything else is left as written. */
export function substituteVariables(value: string, folder: vscode.WorkspaceFolder, activeFile: string | undefined): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    if (name.startsWith('env:')) return process.env[name.slice(4)] ?? '';
    const root = folder.uri.fsPath;
    switch (name) {
      case 'workspaceFolder':
      case 'workspaceRoot':
        return root;
      case 'workspaceFolderBasename':
        return path.basename(root);
      case 'cwd':
        return root;
      case 'pathSeparator':
        return path.sep;
    }
    if (!activeFile) return whole;
    switch (name) {
      case 'file':
        return activeFile;
      case 'relativeFile':
        return path.relative(root, activeFile);
      case 'fileBasename':
        return path.basename(activeFile);
      case 'fileBasenameNoExtension':
        return path.basename(activeFile, path.extname(activeFile));
      case 'fileDirname':
        return path.dirname(activeFile);
      case 'fileExtname':
        return path.extname(activeFile);
      default:
        return whole;
    }
  });
}

export function listPythonProcesses(): Promise<PythonProcess[]> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-eo', 'pid=,args='], { maxBuffer: 8 * 2 ** 20 }, (err, stdout) => {
      if (err) reject(new Error(`ps failed: ${err.message}`));
      else resolve(parsePythonProcesses(stdout, [process.pid]));
    });
  });
}
