// Runs one profile at a time: finds the interpreter (and py-spy when it is asked for), shows
// progress with cancel (cancel and Stop Profiling stop the target and keep what was measured),
// and puts the result in the ProfileStore and the flame graph.
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FlameGraphPanel } from '../webview/flameGraphPanel';
import { type BackendChoice, findPySpy, type ProfileResult, type ProfileTarget, runProfile } from './core';
import { findInterpreter, installPySpy, NoInterpreterError } from './interpreter';
import { readProfileSettings } from './settings';
import type { ProfileStore } from './store';

/** The context key that shows Stop Profiling in the editor title while a profile runs. */
export const PROFILING_CONTEXT = 'hotpath.profiling';

export interface ProfileRun {
  /** Shown in the progress notification and the profile's title, e.g. `train.py`. */
  readonly title: string;
  readonly target: ProfileTarget;
  /** Settings and the interpreter are those of this file's folder. */
  readonly resource: vscode.Uri | undefined;
  readonly cwd: string;
  readonly env?: Record<string, string>;
  /** Overrides `hotpath.profile.backend` (attach needs py-spy, Profile CUDA Job torch). */
  readonly backend?: BackendChoice;
}

export interface ProfilerDeps {
  readonly profiles: ProfileStore;
  readonly panel: FlameGraphPanel;
  readonly output: vscode.LogOutputChannel;
  /** The target's own standard output and error. */
  readonly programOutput: vscode.OutputChannel;
  /** Where profiles are written (the extension's storage). */
  readonly storage: vscode.Uri;
}

export class Profiler implements vscode.Disposable {
  private running: { title: string; controller: AbortController } | undefined;

  constructor(private readonly deps: ProfilerDeps) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Stops the running profile (keeping what was measured); false when none runs. */
  stop(): boolean {
    if (!this.running) return false;
    this.running.controller.abort();
    return true;
  }

  /** Resolves with the outcome, or undefined when nothing was profiled (the reason was shown). */
  async run(run: ProfileRun): Promise<ProfileResult | undefined> {
    const { output } = this.deps;
    if (this.running) {
      const choice = await vscode.window.showWarningMessage(`Hotpath is already profiling ${this.running.title}.`, 'Stop Profiling');
      if (choice) this.stop();
      return undefined;
    }
    const settings = readProfileSettings(run.resource);
    let python: string;
    try {
      const interpreter = await findInterpreter(run.resource, settings.pythonPath);
      python = interpreter.path;
      output.info(`Profiling ${run.title} with ${python} (from ${interpreter.source}).`);
    } catch (err) {
      if (!(err instanceof NoInterpreterError)) throw err;
      const choice = await vscode.window.showErrorMessage(`Hotpath: ${err.message}`, 'Open Settings');
      if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'hotpath.pythonPath');
      return undefined;
    }
    const backend = run.backend ?? settings.backend;
    if (backend === 'py-spy' && !findPySpy(python) && !(await this.offerPySpy(python))) return undefined;

    const folder = path.join(this.deps.storage.fsPath, 'profiles');
    mkdirSync(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const base = run.title.replace(/[^\w.-]+/g, '_').replace(/\.py$/, '');
    const profilePath = path.join(folder, `${base}-${stamp}.speedscope.json`);

    const controller = new AbortController();
    this.running = { title: run.title, controller };
    await vscode.commands.executeCommand('setContext', PROFILING_CONTEXT, true);
    const started = Date.now();
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Hotpath: profiling ${run.title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          progress.report({ message: 'starting…' });
          return runProfile(
            {
              python,
              target: run.target,
              cwd: run.cwd,
              env: run.env,
              backend,
              mode: settings.mode,
              rateHz: settings.rate,
              outputPath: profilePath,
              // The target's output goes to the "Hotpath: Program Output" channel; its stdin is closed.
              stdio: 'pipe',
            },
            {
              signal: controller.signal,
              onProgress: ({ samples, elapsedSeconds }) =>
                progress.report({ message: `${samples.toLocaleString('en')} samples · ${elapsedSeconds.toFixed(1)} s (cancel keeps them)` }),
              onOutput: (_stream, text) => this.deps.programOutput.append(text),
            },
          );
        },
      );
      await this.show(run, outcome, controller.signal.aborted);
      return outcome;
    } catch (err) {
      const message = (err as Error).message;
      output.error(`Profiling ${run.title} failed after ${((Date.now() - started) / 1000).toFixed(1)} s: ${message}`);
      const text = controller.signal.aborted
        ? `Hotpath: profiling ${run.title} stopped before anything was measured.`
        : `Hotpath: profiling ${run.title} failed: ${message}`;
      void vscode.window.showErrorMessage(text, 'Show Log').then((choice) => choice && output.show());
      return undefined;
    } finally {
      this.running = undefined;
      await vscode.commands.executeCommand('setContext', PROFILING_CONTEXT, false);
    }
  }

  private async show(run: ProfileRun, outcome: ProfileResult, stopped: boolean): Promise<void> {
    const { profiles, panel, output, programOutput } = this.deps;
    const { summary } = outcome;
    for (const warning of outcome.warnings) output.warn(warning);
    if (outcome.warnings.length > 0) {
      void vscode.window.showWarningMessage(`Hotpath: ${outcome.warnings[0]}`, 'Show Log').then((choice) => choice && output.show());
    }
    const title = `${run.title} (${outcome.backend}, ${summary.mode})`;
    profiles.set({ title, summary, file: vscode.Uri.file(outcome.profilePath) });
    output.info(`Profiled ${title}: ${summary.sampleCount} samples over ${summary.durationSeconds.toFixed(2)} s; ${outcome.profilePath}`);
    if (readProfileSettings(run.resource).openFlameGraph) await panel.show({ title, file: vscode.Uri.file(outcome.profilePath) });
    if (summary.sampleCount === 0) {
      void vscode.window.showWarningMessage(`Hotpath: ${run.title} ended before the first sample; nothing was measured.`);
    } else if (outcome.exitCode !== null && outcome.exitCode !== 0 && !stopped) {
      void vscode.window
        .showWarningMessage(`Hotpath: ${run.title} exited with code ${outcome.exitCode}; the profile shows what ran until then.`, 'Show Output')
        .then((choice) => choice && programOutput.show(true));
    }
  }

  /** Offers to install py-spy into the interpreter's environment; true once it is there. */
  private async offerPySpy(python: string): Promise<boolean> {
    const choice = await vscode.window.showErrorMessage(
      `Hotpath: py-spy is not installed for ${python}. Install it there (python -m pip install py-spy), or set hotpath.profile.backend to "builtin".`,
      'Install py-spy',
    );
    if (choice !== 'Install py-spy') return false;
    const ok = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Hotpath: installing py-spy', cancellable: true },
      (_progress, token) => installPySpy(python, this.deps.output, token),
    );
    if (ok && findPySpy(python)) return true;
    void vscode.window.showErrorMessage('Hotpath: py-spy did not install; see the Hotpath output.', 'Show Log').then((c) => c && this.deps.output.show());
    return false;
  }

  dispose(): void {
    this.stop();
  }
}
