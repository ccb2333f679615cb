// Commands, each a factory taking what it acts on and returning the handler.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export function restartServer(client: LanguageClient, output: vscode.LogOutputChannel): () => Promise<void> {
  return async () => {
    output.info('Restarting the Hotpath language server.');
    try {
      await (client.isRunning() ? client.restart() : client.start());
    } catch (err) {
      output.error(`The Hotpath language server did not restart: ${String(err)}`);
      void vscode.window.showErrorMessage('Hotpath: the language server did not restart; see the Hotpath output.');
    }
  };
}
