// A minimal LSP client for tests: spawns the real built server over stdio and records what it sends.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  type ConfigurationParams,
  createProtocolConnection,
  type Diagnostic,
  type InitializeParams,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { hotpathBin } from '../support/dist';

export type SettingsFor = (scopeUri: string | undefined) => unknown;

export class TestClient {
  readonly connection: ProtocolConnection;
  readonly logs: string[] = [];
  private readonly process: ChildProcess;
  private readonly published: PublishDiagnosticsParams[] = [];
  private readonly waiters = new Set<() => void>();
  private exited: Promise<number | null>;
  stderr = '';
  settingsFor: SettingsFor = () => ({});

  constructor() {
    this.process = spawn(process.execPath, [hotpathBin, 'server', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      for (const wake of this.waiters) wake();
    });
    this.connection.onNotification('window/logMessage', (params: { message: string }) => {
      this.logs.push(params.message);
    });
    this.connection.onRequest('workspace/configuration', (params: ConfigurationParams) =>
      params.items.map((item) => (item.section === 'hotpath' ? this.settingsFor(item.scopeUri) : null)),
    );
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** `pull: false` plays a client that cannot answer `workspace/configuration` (it pushes settings). */
  async initialize({ pull = true, initializationOptions }: { pull?: boolean; initializationOptions?: unknown } = {}): Promise<void> {
    const params: InitializeParams = {
      initializationOptions,
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        workspace: {
          configuration: pull,
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true },
        },
        textDocument: {
          publishDiagnostics: { versionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    };
    await this.connection.sendRequest('initialize', params);
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Every publication for `uri` so far, oldest first. */
  publications(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /**
   * Waits until the newest publication for `uri` satisfies `accept`, re-checking on every new
   * publication (no fixed sleeps); fails after `timeoutMs` with what was last published.
   */
  async diagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const latest = () => this.publications(uri).at(-1);
    const ok = () => {
      const p = latest();
      return p !== undefined && accept(p);
    };
    if (!ok()) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.waiters.delete(wake);
          reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(latest())}\nserver log: ${this.logs.join('\n')}`));
        }, timeoutMs);
        const wake = () => {
          if (!ok()) return;
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        this.waiters.add(wake);
      });
    }
    return latest()!.diagnostics;
  }

  /** Diagnostics published for exactly `version` of `uri`. */
  diagnosticsAt(uri: string, version: number, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.diagnostics(uri, (p) => p.version === version, timeoutMs);
  }

  /** Shuts the server down politely and returns its exit code. */
  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.process.kill();
  }
}
