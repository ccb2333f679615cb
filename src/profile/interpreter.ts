// Which Python runs the profile: the interpreter selected in the Python extension (through its
// public API package) when that extension is installed, else `hotpath.pythonPath`, else `python3`
// (or `python`) on PATH. Also finds and installs py-spy for that interpreter.
import { spawn } from 'node:child_process';
import { PythonExtension, PVSC_EXTENSION_ID } from '@vscode/python-extension';
import * as vscode from 'vscode';
import { isExecutable, onPath } from '../../server/src/profile/executables';

export interface Interpreter {
  readonly path: string;
  /** Where it came from, for messages. */
  readonly source: 'the Python extension' | 'hotpath.pythonPath' | 'PATH';
}

export class NoInterpreterError extends Error {}

async function fromPythonExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension(PVSC_EXTENSION_ID)) return undefined;
  try {
    const api = await PythonExtension.api();
    const environment = await api.environments.resolveEnvironment(api.environments.getActiveEnvironmentPath(resource));
    return environment?.executable.uri?.fsPath;
  } catch {
    return undefined;
  }
}

/** Throws NoInterpreterError with a message that says what was tried. */
export async function findInterpreter(resource: vscode.Uri | undefined, pythonPath: string): Promise<Interpreter> {
  const selected = await fromPythonExtension(resource);
  if (selected && isExecutable(selected)) return { path: selected, source: 'the Python extension' };
  if (pythonPath) {
    if (isExecutable(pythonPath)) return { path: pythonPath, source: 'hotpath.pythonPath' };
    throw new NoInterpreterError(`hotpath.pythonPath is "${pythonPath}", which is not an executable file.`);
  }
  const found = onPath(['python3', 'python']);
  if (found) return { path: found, source: 'PATH' };
  throw new NoInterpreterError(
    'No Python interpreter found: select one with the Python extension, set hotpath.pythonPath, or put python3 on PATH.',
  );
}

/** `python -m pip install py-spy` into the interpreter's environment, its output in the log. */
export function installPySpy(python: string, output: vscode.LogOutputChannel, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    output.info(`Installing py-spy: ${python} -m pip install py-spy`);
    const child = spawn(python, ['-m', 'pip', 'install', '--disable-pip-version-check', 'py-spy'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = (chunk: Buffer) => output.info(chunk.toString().trimEnd());
    child.stdout.on('data', log);
    child.stderr.on('data', log);
    const cancel = token.onCancellationRequested(() => child.kill());
    child.on('error', (err) => {
      output.error(`pip did not start: ${err.message}`);
      cancel.dispose();
      resolve(false);
    });
    child.on('close', (code) => {
      cancel.dispose();
      resolve(code === 0);
    });
  });
}
