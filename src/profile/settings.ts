// The `hotpath.profile.*` settings and `hotpath.pythonPath`, typed (declared in package.json).
import * as vscode from 'vscode';
import type { BackendChoice, ModeChoice } from './core';

export interface ProfileSettings {
  readonly pythonPath: string;
  readonly backend: BackendChoice;
  readonly mode: ModeChoice;
  /** Samples per second. */
  readonly rate: number;
  /** Seconds to sample a process attached to; 0 samples until Stop Profiling. */
  readonly attachDuration: number;
  readonly openFlameGraph: boolean;
}

const BACKENDS: readonly BackendChoice[] = ['auto', 'builtin', 'py-spy', 'torch'];

export function readProfileSettings(scope: vscode.Uri | undefined): ProfileSettings {
  const config = vscode.workspace.getConfiguration('hotpath', scope);
  const backend = config.get<string>('profile.backend', 'auto');
  const rate = config.get<number>('profile.rate', 100);
  return {
    pythonPath: config.get<string>('pythonPath', '').trim(),
    backend: (BACKENDS as readonly string[]).includes(backend) ? (backend as BackendChoice) : 'auto',
    mode: config.get<string>('profile.mode', 'wall') === 'cpu' ? 'cpu' : 'wall',
    rate: Number.isFinite(rate) && rate > 0 ? rate : 100,
    attachDuration: Math.max(0, config.get<number>('profile.attachDuration', 0)),
    openFlameGraph: config.get<boolean>('profile.openFlameGraph', true),
  };
}
