// Everything that produces or shows a whole profile: the profiling commands, the flame graph panel
// and the custom editor for saved profiles. One call from activate.
import * as vscode from 'vscode';
import * as commands from '../commands/profile';
import { FlameGraphEvents } from '../webview/flameGraph';
import { FlameGraphPanel } from '../webview/flameGraphPanel';
import { registerProfileEditor } from '../webview/profileEditor';
import { Profiler } from './profiler';
import type { ProfileStore } from './store';

export interface ProfilingApi {
  /** Flame graph reports (drawn, failed, frames opened), for the end-to-end tests. */
  readonly flameGraphs: FlameGraphEvents;
  readonly profiler: Profiler;
}

export function registerProfiling(
  context: vscode.ExtensionContext,
  profiles: ProfileStore,
  output: vscode.LogOutputChannel,
): ProfilingApi {
  const flameGraphs = new FlameGraphEvents();
  const panel = new FlameGraphPanel(context.extensionUri, flameGraphs, output);
  const programOutput = vscode.window.createOutputChannel('Hotpath: Program Output');
  const profiler = new Profiler({
    profiles,
    panel,
    output,
    programOutput,
    storage: context.storageUri ?? context.globalStorageUri,
  });
  const deps: commands.ProfileCommandDeps = { profiler, profiles, panel, output, workspaceState: context.workspaceState };
  const register = (id: string, handler: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, handler);
  context.subscriptions.push(
    flameGraphs,
    panel,
    programOutput,
    profiler,
    registerProfileEditor(context.extensionUri, profiles, flameGraphs, output),
    register('hotpath.profileCurrentFile', commands.profileCurrentFile(deps)),
    register('hotpath.profileWithArguments', commands.profileWithArguments(deps)),
    register('hotpath.profileLaunchConfiguration', commands.profileLaunchConfiguration(deps)),
    register('hotpath.attachProcess', commands.attachProcess(deps)),
    register('hotpath.profileCudaJob', commands.profileCudaJob(deps)),
    register('hotpath.stopProfiling', commands.stopProfiling(deps)),
    register('hotpath.openProfile', commands.openProfile(deps)),
    register('hotpath.showFlameGraph', commands.showFlameGraph(deps)),
    register('hotpath.clearProfile', commands.clearProfile(deps)),
  );
  return { flameGraphs, profiler };
}
