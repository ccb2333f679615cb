// The profiling commands (category "Hotpath"), each a factory taking what it acts on and returning
// the handler. Those that run user code refuse in an untrusted workspace and say why.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadIntoStore } from '../webview/profileEditor';
import type { FlameGraphPanel } from '../webview/flameGraphPanel';
import type { Profiler, ProfileRun } from '../profile/profiler';
import type { ProfileStore } from '../profile/store';
import { listPythonProcesses, pythonLaunchTargets, splitArgs } from '../profile/targets';
import { readProfileSettings } from '../profile/settings';

export interface ProfileCommandDeps {
  readonly profiler: Profiler;
  readonly profiles: ProfileStore;
  readonly panel: FlameGraphPanel;
  readonly output: vscode.LogOutputChannel;
  readonly workspaceState: vscode.Memento;
}

function trusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage('Hotpath does not run code in an untrusted workspace, so it cannot profile here. Static analysis still works.', 'Manage Workspace Trust')
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

/** The Python file to profile: the argument (editor title button, explorer) or the active editor's, saved. */
async function pythonFile(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
  const document = uri
    ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())
    : vscode.window.activeTextEditor?.document;
  const target = uri ?? document?.uri;
  if (!target || (document && document.languageId !== 'python') || (!document && !target.fsPath.endsWith('.py'))) {
    void vscode.window.showErrorMessage('Hotpath: open a Python file to profile it.');
    return undefined;
  }
  if (target.scheme !== 'file') {
    void vscode.window.showErrorMessage('Hotpath: save the file to disk first; only files on disk can be profiled.');
    return undefined;
  }
  if (document?.isDirty && !(await document.save())) return undefined;
  return target;
}

function scriptRun(file: vscode.Uri, args: string[], backend?: ProfileRun['backend']): ProfileRun {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return {
    title: path.basename(file.fsPath),
    target: { script: file.fsPath, args },
    resource: file,
    cwd: folder?.uri.fsPath ?? path.dirname(file.fsPath),
    backend,
  };
}

export function profileCurrentFile({ profiler }: ProfileCommandDeps) {
  return async (uri?: vscode.Uri) => {
    if (!trusted()) return;
    const file = await pythonFile(uri instanceof vscode.Uri ? uri : undefined);
    if (file) await profiler.run(scriptRun(file, []));
  };
}

const argsKey = (file: vscode.Uri) => `hotpath.profile.args:${file.toString()}`;

export function profileWithArguments({ profiler, workspaceState }: ProfileCommandDeps) {
  return async (uri?: vscode.Uri) => {
    if (!trusted()) return;
    const file = await pythonFile(uri instanceof vscode.Uri ? uri : undefined);
    if (!file) return;
    const line = await vscode.window.showInputBox({
      title: `Profile ${path.basename(file.fsPath)} with arguments`,
      prompt: 'Arguments for the script, as you would type them in a shell',
      value: workspaceState.get<string>(argsKey(file), ''),
      validateInput: (value) => {
        try {
          splitArgs(value);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (line === undefined) return;
    await workspaceState.update(argsKey(file), line);
    await profiler.run(scriptRun(file, splitArgs(line)));
  };
}

export function profileLaunchConfiguration({ profiler }: ProfileCommandDeps) {
  return async () => {
    if (!trusted()) return;
    const active = vscode.window.activeTextEditor?.document.uri;
    const folders = vscode.workspace.workspaceFolders ?? [];
    const targets = folders.flatMap((folder) =>
      pythonLaunchTargets(folder, active?.scheme === 'file' ? active.fsPath : undefined).map((target) => ({ folder, target })),
    );
    if (targets.length === 0) {
      void vscode.window.showErrorMessage('Hotpath: no Python launch configuration (type "debugpy" or "python", with a program or module) in launch.json.');
      return;
    }
    const picked =
      targets.length === 1
        ? targets[0]
        : (
            await vscode.window.showQuickPick(
              targets.map((t) => ({ label: t.target.name, description: t.target.program ?? `-m ${t.target.module}`, detail: t.folder.name, t })),
              { title: 'Profile Launch Configuration', placeHolder: 'Which configuration?' },
            )
          )?.t;
    if (!picked) return;
    const { target, folder } = picked;
    await profiler.run({
      title: target.name,
      target: target.program
        ? { script: target.program, args: target.args }
        : { module: target.module ?? '', args: target.args },
      resource: target.program ? vscode.Uri.file(target.program) : folder.uri,
      cwd: target.cwd,
      env: target.env,
    });
  };
}

export function attachProcess({ profiler }: ProfileCommandDeps) {
  return async () => {
    if (!trusted()) return;
    let processes;
    try {
      processes = await listPythonProcesses();
    } catch (err) {
      void vscode.window.showErrorMessage(`Hotpath: cannot list processes: ${(err as Error).message}`);
      return;
    }
    if (processes.length === 0) {
      void vscode.window.showInformationMessage('Hotpath: no running Python process found.');
      return;
    }
    const picked = await vscode.window.showQuickPick(
      processes.map((p) => ({ label: String(p.pid), description: p.command, p })),
      { title: 'Attach to Running Python Process', placeHolder: 'Sample which process? (py-spy; Stop Profiling ends it)', matchOnDescription: true },
    );
    if (!picked) return;
    const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
    const duration = readProfileSettings(resource).attachDuration;
    await profiler.run({
      title: `process ${picked.p.pid}`,
      // 0 means until Stop Profiling: a day, ended by the abort (which keeps what was measured).
      target: { pid: picked.p.pid, durationSeconds: duration > 0 ? duration : 24 * 60 * 60 },
      resource,
      cwd: resource?.fsPath ?? process.cwd(),
      // Only py-spy reads another process's stacks.
      backend: 'py-spy',
    });
  };
}

export function profileCudaJob({ profiler }: ProfileCommandDeps) {
  return async (uri?: vscode.Uri) => {
    if (!trusted()) return;
    const file = await pythonFile(uri instanceof vscode.Uri ? uri : undefined);
    if (file) await profiler.run(scriptRun(file, [], 'torch'));
  };
}

export function stopProfiling({ profiler }: ProfileCommandDeps) {
  return () => {
    if (!profiler.stop()) void vscode.window.showInformationMessage('Hotpath: no profile is running.');
  };
}

export function openProfile({ profiles, panel, output }: ProfileCommandDeps) {
  return async (uri?: vscode.Uri) => {
    const file =
      uri instanceof vscode.Uri
        ? uri
        : (
            await vscode.window.showOpenDialog({
              title: 'Open Profile',
              canSelectMany: false,
              openLabel: 'Open Profile',
              filters: { Profiles: ['json', 'txt', 'collapsed', 'folded', 'cpuprofile', 'trace'], 'All files': ['*'] },
            })
          )?.[0];
    if (!file) return;
    // The flame graph shows whatever speedscope reads; the per-line costs need the core's summary,
    // read once the flame graph is drawn (a large file would otherwise hold up handing it over).
    await panel.show({ title: path.basename(file.fsPath), file });
    const summarized = await loadIntoStore(file, profiles, output);
    if (!summarized) {
      output.info(`${file.fsPath}: shown as a flame graph only (no per-line costs).`);
    }
  };
}

export function showFlameGraph({ profiles, panel }: ProfileCommandDeps) {
  return async () => {
    const current = profiles.current;
    if (!current) {
      void vscode.window.showInformationMessage('Hotpath: no profile loaded. Run "Hotpath: Profile Current File" or "Hotpath: Open Profile…".');
      return;
    }
    await panel.show(current);
  };
}

export function clearProfile({ profiles, panel }: ProfileCommandDeps) {
  return () => {
    profiles.clear();
    panel.close();
  };
}
