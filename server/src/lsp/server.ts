// The language server: one context made at start, handlers that each do one thing with it.
import {
  type ClientCapabilities,
  CodeActionKind,
  type Connection,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type InitializeResult,
  ProposedFeatures,
  type TextDocumentContentChangeEvent,
  type TextDocumentItem,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import type { Parser } from 'web-tree-sitter';
import { analyzeEdited } from '../analyzer/analyze';
import { createParser } from '../analyzer/parse';
import { rankFindings } from '../cost/ranking';
import { readProfileCosts } from '../cost/readCosts';
import { DID_CHANGE_PROFILE, type DidChangeProfileParams, PUBLISH_LATENCY, SETTINGS_SECTION } from '../protocol';
import { toAnalyzeOptions } from '../workspace/options';
import { checkSourceText } from '../workspace/sourceFile';
import { codeActions } from './codeActions';
import { toDiagnostics } from './diagnostics';
import { DocumentState, IdleCompaction, type PublishedFinding, RecentlyEdited } from './document';
import { hover } from './hover';
import { LatencyLog } from './latency';
import { NotebookCells } from './notebooks';
import { ProfileCostStore } from './profileCosts';
import { connectionLogger, guard, type Logger } from './logger';
import { AnalysisScheduler } from './scheduler';
import { SettingsStore } from './settings';
import { warmUp } from './warmUp';

export interface ServerContext {
  readonly connection: Connection;
  readonly log: Logger;
  readonly documents: Map<string, DocumentState>;
  /** The documents that keep their tree-sitter trees: the ones being edited. */
  readonly editing: RecentlyEdited;
  /** Packs the light trees of documents left alone for a while. */
  readonly compaction: IdleCompaction;
  readonly settings: SettingsStore;
  readonly scheduler: AnalysisScheduler;
  /** The profile the client has on show: findings are ranked by its costs. */
  readonly profileCosts: ProfileCostStore;
  readonly notebooks: NotebookCells;
  readonly publishLatency: LatencyLog;
  capabilities: ClientCapabilities;
  parser: Parser | undefined;
}

/** How long the server rests before it packs the light trees of the documents it analyzed. */
const COMPACT_AFTER_MS = 1000;

/** Two: a notebook's cell and the one next to it, or a module and its test, edited in turn. */
const EDITED_DOCUMENTS_WITH_TREES = 2;

/** Starts the server on the transport named on the command line (`--stdio`, `--node-ipc`, ...). */
export function startServer(version: string): void {
  const connection = createConnection(ProposedFeatures.all);
  const log = connectionLogger(connection);
  const ctx: ServerContext = {
    connection,
    log,
    documents: new Map(),
    editing: new RecentlyEdited(EDITED_DOCUMENTS_WITH_TREES),
    compaction: new IdleCompaction(COMPACT_AFTER_MS),
    settings: new SettingsStore(connection, log, () => ctx.capabilities.workspace?.configuration === true),
    scheduler: new AnalysisScheduler(guard(log, 'analysis', undefined, (uri: string) => analyzeDocument(ctx, uri))),
    profileCosts: new ProfileCostStore(),
    notebooks: new NotebookCells(),
    publishLatency: new LatencyLog(),
    capabilities: {},
    parser: undefined,
  };
  // Whatever slips past a handler's guard is logged; the server keeps serving.
  process.on('uncaughtException', (err) => log.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (reason) => log.error(`unhandled rejection: ${String(reason)}`));
  registerHandlers(ctx, version);
  connection.listen();
}

function registerHandlers(ctx: ServerContext, version: string): void {
  const { connection, log, documents } = ctx;

  connection.onInitialize(
    guard(log, 'initialize', { capabilities: {} }, async (params): Promise<InitializeResult> => {
      ctx.capabilities = params.capabilities;
      ctx.settings.setPushed(params.initializationOptions);
      try {
        ctx.parser = await createParser();
      } catch (err) {
        log.error(`Could not load the Python grammar; no diagnostics will be published: ${String(err)}`);
      }
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          notebookDocumentSync: { notebookSelector: [{ notebook: '*', cells: [{ language: 'python' }] }] },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          hoverProvider: true,
        },
        serverInfo: { name: 'hotpath', version },
      };
    }),
  );

  connection.onInitialized(
    guard(log, 'initialized', undefined, async () => {
      // Before the client's documents arrive (their messages wait for this handler to return).
      if (ctx.parser) await guard(log, 'warm-up', undefined, warmUp)(ctx.parser);
      const workspace = ctx.capabilities.workspace;
      if (workspace?.didChangeConfiguration?.dynamicRegistration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      if (workspace?.didChangeWatchedFiles?.dynamicRegistration) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/pyproject.toml' }] });
      }
    }),
  );

  const reanalyzeAll = () => {
    ctx.settings.clear();
    for (const uri of documents.keys()) ctx.scheduler.schedule(uri);
  };
  connection.onDidChangeConfiguration(
    guard(log, 'didChangeConfiguration', undefined, (params) => {
      const settings = params.settings as Record<string, unknown> | null | undefined;
      ctx.settings.setPushed(settings?.[SETTINGS_SECTION]);
      reanalyzeAll();
    }),
  );
  connection.onDidChangeWatchedFiles(guard(log, 'didChangeWatchedFiles', undefined, reanalyzeAll));

  connection.onNotification(
    DID_CHANGE_PROFILE,
    guard(log, 'didChangeProfile', undefined, (params: DidChangeProfileParams | undefined) => {
      ctx.profileCosts.set(readProfileCosts(params?.profile));
      for (const uri of documents.keys()) ctx.scheduler.schedule(uri);
    }),
  );

  connection.onDidOpenTextDocument(guard(log, 'didOpen', undefined, ({ textDocument }) => openDocument(ctx, textDocument)));
  connection.onDidChangeTextDocument(
    guard(log, 'didChange', undefined, ({ textDocument, contentChanges }) => changeDocument(ctx, textDocument.uri, textDocument.version, contentChanges)),
  );
  connection.onDidCloseTextDocument(guard(log, 'didClose', undefined, ({ textDocument }) => closeDocument(ctx, textDocument.uri)));

  // Notebook cells arrive through notebook sync, so that their order is known.
  const notebookSync = connection.notebooks.synchronization;
  notebookSync.onDidOpenNotebookDocument(
    guard(log, 'notebookDidOpen', undefined, ({ notebookDocument, cellTextDocuments }) => {
      ctx.notebooks.open(notebookDocument.uri, notebookDocument.cells);
      // In notebook order, so each cell is analyzed after the ones above it.
      const byUri = new Map(cellTextDocuments.map((d) => [d.uri, d]));
      for (const cell of notebookDocument.cells) {
        const item = byUri.get(cell.document);
        if (item) openDocument(ctx, item);
      }
    }),
  );
  notebookSync.onDidChangeNotebookDocument(
    guard(log, 'notebookDidChange', undefined, ({ notebookDocument, change }) => {
      const structure = change.cells?.structure;
      if (structure) {
        for (const closed of structure.didClose ?? []) closeDocument(ctx, closed.uri);
        ctx.notebooks.splice(notebookDocument.uri, structure.array.start, structure.array.deleteCount, structure.array.cells);
        for (const opened of structure.didOpen ?? []) openDocument(ctx, opened);
        // Cells moved or removed: what each cell inherits from the ones above may have changed.
        for (const cell of structure.array.cells ?? []) for (const uri of [cell.document, ...ctx.notebooks.following(cell.document)]) ctx.scheduler.schedule(uri);
      }
      for (const content of change.cells?.textContent ?? []) changeDocument(ctx, content.document.uri, content.document.version, content.changes);
    }),
  );
  notebookSync.onDidCloseNotebookDocument(
    guard(log, 'notebookDidClose', undefined, ({ notebookDocument, cellTextDocuments }) => {
      ctx.notebooks.close(notebookDocument.uri);
      for (const cell of cellTextDocuments) closeDocument(ctx, cell.uri);
    }),
  );

  connection.onCodeAction(
    guard(log, 'codeAction', [], (params) => {
      const state = documents.get(params.textDocument.uri);
      if (!state) return [];
      return codeActions(state, params, ctx.capabilities.workspace?.workspaceEdit?.documentChanges === true);
    }),
  );

  connection.onRequest(PUBLISH_LATENCY, guard(log, 'publishLatency', ctx.publishLatency.summary(), () => ctx.publishLatency.summary()));

  connection.onHover(
    guard(log, 'hover', null, (params) => {
      const state = documents.get(params.textDocument.uri);
      return state ? hover(state, params.position) : null;
    }),
  );

  connection.onShutdown(
    guard(log, 'shutdown', undefined, () => {
      ctx.scheduler.dispose();
      ctx.compaction.dispose();
      for (const state of documents.values()) state.dispose();
      documents.clear();
      ctx.parser?.delete();
      ctx.parser = undefined;
    }),
  );
}

function openDocument(ctx: ServerContext, d: TextDocumentItem): void {
  const replaced = ctx.documents.get(d.uri);
  if (replaced) {
    ctx.editing.forget(replaced);
    ctx.compaction.forget(replaced);
    replaced.dispose();
  }
  ctx.documents.set(d.uri, new DocumentState(d.uri, d.languageId, d.version, d.text));
  // Ask for the settings now, so that they are known by the time the first analysis runs.
  void ctx.settings.get(d.uri).catch(() => undefined);
  ctx.scheduler.schedule(d.uri);
}

function changeDocument(ctx: ServerContext, uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
  const state = ctx.documents.get(uri);
  if (!state) return;
  state.changedAt ??= performance.now();
  state.applyChanges(changes, version);
  ctx.editing.touch(state);
  ctx.scheduler.schedule(uri);
}

function closeDocument(ctx: ServerContext, uri: string): void {
  const state = ctx.documents.get(uri);
  ctx.documents.delete(uri);
  if (state) {
    ctx.editing.forget(state);
    ctx.compaction.forget(state);
  }
  state?.dispose();
  ctx.scheduler.cancel(uri);
  ctx.settings.forget(uri);
  void ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
}

/** Analyzes the newest text of one document and publishes its diagnostics. */
async function analyzeDocument(ctx: ServerContext, uri: string): Promise<void> {
  const state = ctx.documents.get(uri);
  if (!state) return;
  const settings = ctx.settings.peek(uri) ?? (await ctx.settings.get(uri));
  // The document may have been closed (or reopened) while the settings were on their way.
  if (ctx.documents.get(uri) !== state) return;
  let findings: PublishedFinding[] = [];
  if (settings.enable && ctx.parser) {
    const problem = checkSourceText(state.text);
    if (problem && problem !== state.skippedReason) ctx.log.warn(`${uri}: not analyzed: ${problem}`);
    state.skippedReason = problem;
    if (!problem) {
      const previousCell = ctx.notebooks.previous(uri);
      const options = { ...toAnalyzeOptions(settings.options, settings.path), inherited: previousCell ? ctx.documents.get(previousCell)?.cache.module : undefined };
      const before = state.cache.module;
      const parser = ctx.parser;
      const found = analyzeEdited(parser, () => state.currentTree(parser), state.text, options, state.cache);
      // The module's names changed: the next cell, which sees them, is analyzed again (and so on down).
      const next = ctx.notebooks.following(uri)[0];
      if (next && state.cache.module !== before) ctx.scheduler.schedule(next);
      findings = toDiagnostics(state.textDocument, rankFindings(found, state.text, ctx.profileCosts.forUri(uri), settings.ranking));
    }
  }
  if (!ctx.editing.has(state)) state.releaseTree();
  ctx.compaction.schedule(state);
  state.published = { version: state.version, findings };
  const changedAt = state.changedAt;
  state.changedAt = undefined;
  await ctx.connection.sendDiagnostics({ uri, version: state.version, diagnostics: findings.map((f) => f.diagnostic) });
  if (changedAt !== undefined) ctx.publishLatency.record(performance.now() - changedAt);
}
