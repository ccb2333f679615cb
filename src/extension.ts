// Activation only wires things together: the output channel, the language client, the commands.
import * as vscode from 'vscode';
import { createClient } from './client';
import { restartServer } from './commands';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Hotpath', { log: true });
  const client = createClient(context, output);
  context.subscriptions.push(
    output,
    { dispose: () => void client.dispose() },
    vscode.commands.registerCommand('hotpath.restartServer', restartServer(client, output)),
  );
  try {
    await client.start();
  } catch (err) {
    output.error(`The Hotpath language server did not start: ${String(err)}`);
  }
}

export function deactivate(): void {
  // The client is stopped by disposing the subscriptions registered in activate.
}
