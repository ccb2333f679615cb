// A typed reader of the `hotpath.*` settings, answering the server's `workspace/configuration`
// requests. Rule settings are resource-scoped: each document gets those of its folder.
import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type HotpathSettings, SETTINGS_SECTION } from '../server/src/protocol';

export { SETTINGS_SECTION };

export function readSettings(scope: vscode.Uri | undefined): HotpathSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, settingsScope(scope));
  const list = (key: string) => (config.get<unknown[]>(key) ?? []).filter((v): v is string => typeof v === 'string');
  return {
    enable: config.get<boolean>('enable', DEFAULT_SETTINGS.enable),
    rules: {
      select: list('rules.select'),
      ignore: list('rules.ignore'),
      severity: { ...config.get<HotpathSettings['rules']['severity']>('rules.severity', {}) },
    },
    profile: {
      hotThreshold: config.get<number>('profile.hotThreshold', DEFAULT_SETTINGS.profile.hotThreshold),
      coldThreshold: config.get<number>('profile.coldThreshold', DEFAULT_SETTINGS.profile.coldThreshold),
      hideColdFindings: config.get<boolean>('profile.hideColdFindings', DEFAULT_SETTINGS.profile.hideColdFindings),
    },
  };
}

/** A notebook cell takes the settings of its notebook file. */
function settingsScope(uri: vscode.Uri | undefined): vscode.Uri | undefined {
  return uri?.scheme === 'vscode-notebook-cell' ? uri.with({ scheme: 'file', fragment: '' }) : uri;
}
