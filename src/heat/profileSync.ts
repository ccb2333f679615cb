// Tells the language server the per-line costs of the profile on show, so that it ranks findings:
// on every change of the profile, and again whenever the server (re)starts.
import * as vscode from 'vscode';
import { type LanguageClient, State } from 'vscode-languageclient/node';
import { DID_CHANGE_PROFILE, type DidChangeProfileParams } from '../../server/src/protocol';
import type { LoadedProfile, ProfileStore } from '../profile/store';

export function syncProfileToServer(client: LanguageClient, profiles: ProfileStore, logError: (message: string) => void): vscode.Disposable {
  const send = (loaded: LoadedProfile | undefined) => {
    if (!client.isRunning()) return; // Sent when it is running (below).
    const params: DidChangeProfileParams = {
      profile: loaded
        ? { durationSeconds: loaded.summary.durationSeconds, lines: loaded.summary.lines, functions: loaded.summary.functions }
        : null,
    };
    client.sendNotification(DID_CHANGE_PROFILE, params).catch((err: unknown) => logError(`Could not send the profile to the language server: ${String(err)}`));
  };
  return vscode.Disposable.from(
    profiles.onDidChange(send),
    client.onDidChangeState((e) => {
      if (e.newState === State.Running && profiles.current) send(profiles.current);
    }),
  );
}
