// The `hotpath.inlineCost.*` settings: how the loaded profile is shown in the editor.
import * as vscode from 'vscode';
import type { HeatMetric } from './model';

export const INLINE_COST_SECTION = 'hotpath.inlineCost';

export interface InlineCostSettings {
  enable: boolean;
  metric: HeatMetric;
}

export function readInlineCostSettings(): InlineCostSettings {
  const config = vscode.workspace.getConfiguration(INLINE_COST_SECTION);
  return {
    enable: config.get<boolean>('enable', true),
    metric: config.get<string>('metric') === 'self' ? 'self' : 'total',
  };
}

/** Flips `hotpath.inlineCost.enable` where it is set (the workspace's settings when set there, else the user's). */
export async function toggleInlineCost(): Promise<void> {
  const config = vscode.workspace.getConfiguration(INLINE_COST_SECTION);
  const inspected = config.inspect<boolean>('enable');
  const target =
    inspected?.workspaceFolderValue !== undefined
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  const next = !config.get<boolean>('enable', true);
  // Back to the default in the user's settings: remove the entry rather than write the default.
  const value = next === inspected?.defaultValue && target === vscode.ConfigurationTarget.Global ? undefined : next;
  await config.update('enable', value, target);
}
