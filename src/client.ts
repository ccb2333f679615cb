// The language client: starts `dist/hotpath.js server` over Node IPC for Python files, untitled
// Python buffers and notebooks' Python cells, and answers its settings requests.
import * as vscode from 'vscode';
import {
  type ConfigurationParams,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { readSettings, SETTINGS_SECTION } from './config';

export const CLIENT_ID = 'hotpath';

export function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/hotpath.js');
  const serverOptions: ServerOptions = {
    run: { module, args: ['server'], transport: TransportKind.ipc },
    debug: { module, args: ['server'], transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
      { notebook: '*', language: 'python' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    middleware: {
      workspace: {
        configuration: (params: ConfigurationParams, token, next) =>
          params.items.some((item) => item.section === SETTINGS_SECTION)
            ? params.items.map((item) =>
                item.section === SETTINGS_SECTION ? readSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : null,
              )
            : next(params, token),
      },
    },
  };
  // The id makes the client read `hotpath.trace.server`.
  return new LanguageClient(CLIENT_ID, 'Hotpath', serverOptions, clientOptions);
}
