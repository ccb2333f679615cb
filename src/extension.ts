// Activation only wires things together: the output channel, the language client, the commands.
import * as vscode from 'vscode';
import { createClient } from './client';
import { restartServer } from './commands';
import { registerHeat } from './heat/register';
import { type ProfilingApi, registerProfiling } from './profile/register';
import { ProfileStore } from './profile/store';

/** What `activate` returns: the end-to-end tests reach the extension's state through it. */
export interface HotpathApi extends ProfilingApi {
  readonly profiles: ProfileStore;
}

export function activate(context: vscode.ExtensionContext): HotpathApi {
  const output = vscode.window.createOutputChannel('Hotpath', { log: true });
  const client = createClient(context, output);
  // The profile on show; profiling commands fill it, the flame graph, inline cost and ranking read it.
  const profiles = new ProfileStore();
  context.subscriptions.push(
    output,
    profiles,
    { dispose: () => void client.dispose() },
    vscode.commands.registerCommand('hotpath.restartServer', restartServer(client, output)),
  );
  registerHeat(context, profiles, client);
  const profiling = registerProfiling(context, profiles, output);
  // Not awaited: activation ends before the server has loaded its parser (activation < 100 ms,
  // bench/activation.bench.ts); diagnostics follow as soon as it answers.
  client.start().catch((err: unknown) => output.error(`The Hotpath language server did not start: ${String(err)}`));
  return { profiles, ...profiling };
}

export function deactivate(): void {
  // The client is stopped by disposing the subscriptions registered in activate.
}
