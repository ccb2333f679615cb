// Inline cost and the Hot paths view: everything that shows the loaded profile in the editor, and
// the link that lets the language server rank findings by it. `registerHeat` is the one entry point.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ProfileStore } from '../profile/store';
import { FunctionCostLenses, HOT_PATHS_VIEW } from './codeLens';
import { HeatDecorations } from './decorations';
import { LineCostHover } from './hover';
import { APPLY_FIX_COMMAND, applyFix, HotPathsView } from './hotPathsView';
import { type FileHeat, HeatModel } from './model';
import { syncProfileToServer } from './profileSync';
import { INLINE_COST_SECTION, type InlineCostSettings, readInlineCostSettings, toggleInlineCost } from './settings';

export const TOGGLE_INLINE_COST_COMMAND = 'hotpath.toggleInlineCost';
/** True while a profile is loaded (the Hot paths view shows its welcome text otherwise). */
const PROFILE_LOADED_CONTEXT = 'hotpath.profileLoaded';
/** Files of the listed lines opened in the background so that their findings are known; at most this many. */
const FILES_OPENED_FOR_FINDINGS = 10;

const PYTHON_FILES: vscode.DocumentSelector = { scheme: 'file', language: 'python' };

export function registerHeat(context: vscode.ExtensionContext, profiles: ProfileStore, client: LanguageClient): void {
  const heat = new InlineCost(context.extensionUri, profiles);
  const view = new HotPathsView(() => heat.model);
  const tree = vscode.window.createTreeView(HOT_PATHS_VIEW, { treeDataProvider: view, showCollapseAll: true });
  const update = () => {
    heat.update();
    view.refresh();
    void vscode.commands.executeCommand('setContext', PROFILE_LOADED_CONTEXT, profiles.current !== undefined);
  };
  context.subscriptions.push(
    heat,
    view,
    tree,
    syncProfileToServer(client, profiles, (message) => client.outputChannel.appendLine(message)),
    profiles.onDidChange(() => {
      update();
      openListedFiles(view);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(INLINE_COST_SECTION)) update();
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => heat.paint(e))),
    vscode.workspace.onDidOpenTextDocument(() => view.refresh()),
    vscode.languages.registerCodeLensProvider(PYTHON_FILES, heat.lenses),
    vscode.languages.registerHoverProvider(PYTHON_FILES, heat.hover),
    vscode.commands.registerCommand(TOGGLE_INLINE_COST_COMMAND, toggleInlineCost),
    vscode.commands.registerCommand(APPLY_FIX_COMMAND, applyFix),
  );
  update();
}

/** The loaded profile as heat, CodeLenses and hovers in Python editors; hidden by `hotpath.inlineCost.enable`. */
class InlineCost implements vscode.Disposable {
  model: HeatModel | undefined;
  private settings: InlineCostSettings = readInlineCostSettings();
  private readonly decorations: HeatDecorations;
  readonly lenses: FunctionCostLenses;
  readonly hover: LineCostHover;

  constructor(
    extensionUri: vscode.Uri,
    private readonly profiles: ProfileStore,
  ) {
    this.decorations = new HeatDecorations(extensionUri);
    const fileOf = (document: vscode.TextDocument) => this.fileOf(document);
    this.lenses = new FunctionCostLenses(fileOf);
    this.hover = new LineCostHover(fileOf, () => this.profiles.current);
  }

  /** Re-reads the profile and the settings, and repaints every visible editor. */
  update(): void {
    this.settings = readInlineCostSettings();
    const summary = this.profiles.current?.summary;
    if (summary !== this.model?.summary || this.settings.metric !== this.model?.metric) {
      this.model = summary ? new HeatModel(summary, this.settings.metric) : undefined;
    }
    for (const editor of vscode.window.visibleTextEditors) this.paint(editor);
    this.lenses.refresh();
  }

  paint(editor: vscode.TextEditor): void {
    this.decorations.paint(editor, this.fileOf(editor.document));
  }

  private fileOf(document: vscode.TextDocument): FileHeat | undefined {
    if (!this.settings.enable || !this.model || document.uri.scheme !== 'file') return undefined;
    return this.model.forFile(document.uri.fsPath);
  }

  dispose(): void {
    this.decorations.dispose();
    this.lenses.dispose();
  }
}

/** Opens (without showing) the files of the listed lines, so that the server reports their findings. */
function openListedFiles(view: HotPathsView): void {
  const uris = new Map(view.lines().map(({ uri }) => [uri.toString(), uri]));
  for (const uri of [...uris.values()].slice(0, FILES_OPENED_FOR_FINDINGS)) {
    vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
  }
}
