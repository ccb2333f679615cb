// The "Hot paths" view: the loaded profile's costliest lines, each with the Hotpath findings on
// it (the language client's diagnostics) and their fixes, which apply from the view.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatCost } from '../../server/src/cost/format';
import type { DiagnosticRegionData } from '../../server/src/protocol';
import type { HeatModel, LineHeat } from './model';

export const APPLY_FIX_COMMAND = 'hotpath.hotPaths.applyFix';

/** How many lines the view lists. */
const LINE_LIMIT = 25;
const DIAGNOSTIC_SOURCE = 'hotpath';

type Node =
  | { kind: 'line'; heat: LineHeat; uri: vscode.Uri }
  | { kind: 'finding'; uri: vscode.Uri; diagnostic: vscode.Diagnostic }
  | { kind: 'fix'; uri: vscode.Uri; diagnostic: vscode.Diagnostic; title: string };

/** What a Hotpath diagnostic's `data` carries (the language client keeps it on the diagnostic). */
type HotpathData = Partial<DiagnosticRegionData>;

export class HotPathsView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly model: () => HeatModel | undefined) {
    this.subscriptions.push(
      this.changed,
      vscode.languages.onDidChangeDiagnostics((e) => {
        const listed = new Set(this.lines().map((l) => l.uri.toString()));
        if (e.uris.some((uri) => listed.has(uri.toString()))) this.refresh();
      }),
    );
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The listed lines, with the file each is in. */
  lines(): { heat: LineHeat; uri: vscode.Uri }[] {
    const model = this.model();
    if (!model) return [];
    // The open document of a file, whichever way the profile spelled its path (links, case), else the file.
    const open = new Map<string, vscode.Uri>();
    for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file') open.set(model.keyOf(d.uri.fsPath), d.uri);
    return model.topLines(LINE_LIMIT).map((heat) => ({ heat, uri: open.get(model.keyOf(heat.path)) ?? vscode.Uri.file(heat.path) }));
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.lines().map(({ heat, uri }) => ({ kind: 'line', heat, uri }));
    if (node.kind === 'line') {
      return findingsOn(node.uri, node.heat.line - 1).map((diagnostic) => ({ kind: 'finding', uri: node.uri, diagnostic }));
    }
    if (node.kind === 'finding') {
      const fixes = (node.diagnostic as { data?: HotpathData }).data?.fixes ?? [];
      return fixes.map((fix) => ({ kind: 'fix', uri: node.uri, diagnostic: node.diagnostic, title: fix.title }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'line') {
      const { heat, uri } = node;
      const findings = findingsOn(uri, heat.line - 1).length;
      const item = new vscode.TreeItem(
        `${path.basename(heat.path)}:${heat.line}`,
        findings ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      const document = openDocument(uri);
      const code = document && heat.line <= document.lineCount ? document.lineAt(heat.line - 1).text.trim() : undefined;
      item.description = [formatCost(heat.percent, heat.seconds), code ?? heat.function].join('  ');
      item.tooltip = `${heat.path}:${heat.line} in ${heat.function}\n${formatCost(heat.percent, heat.seconds)} of the run${
        findings ? `\n${findings} Hotpath finding${findings === 1 ? '' : 's'} on this line` : ''
      }`;
      item.iconPath = new vscode.ThemeIcon('flame', new vscode.ThemeColor('hotpath.heatMark'));
      item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(heat.line - 1, 0, heat.line - 1, 0) }] };
      item.contextValue = 'hotpath.hotLine';
      return item;
    }
    if (node.kind === 'finding') {
      const { diagnostic, uri } = node;
      const fixes = (diagnostic as { data?: HotpathData }).data?.fixes?.length ?? 0;
      const item = new vscode.TreeItem(
        diagnostic.message,
        fixes ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      item.description = codeOf(diagnostic);
      item.tooltip = `${codeOf(diagnostic)}: ${diagnostic.message}`;
      item.iconPath = severityIcon(diagnostic.severity);
      item.command = { command: 'vscode.open', title: 'Show', arguments: [uri, { selection: diagnostic.range }] };
      item.contextValue = 'hotpath.finding';
      return item;
    }
    const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.None);
    item.description = 'apply fix';
    item.tooltip = `Apply "${node.title}" (${codeOf(node.diagnostic)})`;
    item.iconPath = new vscode.ThemeIcon('lightbulb-autofix');
    item.command = { command: APPLY_FIX_COMMAND, title: 'Apply Fix', arguments: [node.uri, node.diagnostic, node.title] };
    item.contextValue = 'hotpath.fix';
    return item;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Hotpath's findings about a 0-based line: those whose code (the whole loop) covers it, or anchored on it. */
export function findingsOn(uri: vscode.Uri, line: number): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => {
    if (d.source !== DIAGNOSTIC_SOURCE) return false;
    const region = (d as { data?: HotpathData }).data?.region;
    return region ? region.startLine <= line && line <= region.endLine : d.range.start.line === line;
  });
}

/**
 * Applies the quick fix titled `title` of `diagnostic` through the code action provider, as the
 * light bulb would: the server computes the edit for the document's current version.
 */
export async function applyFix(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: string): Promise<boolean> {
  const actions =
    (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    )) ?? [];
  const action = actions.find(
    (a): a is vscode.CodeAction =>
      a.title === title && (!('diagnostics' in a) || !a.diagnostics || a.diagnostics.some((d) => codeOf(d) === codeOf(diagnostic))),
  );
  if (!action) {
    void vscode.window.showWarningMessage(`Hotpath: "${title}" is no longer offered here; the file changed since the finding was reported.`);
    return false;
  }
  if (action.edit && !(await vscode.workspace.applyEdit(action.edit))) return false;
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return true;
}

function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code ?? '');
}

function severityIcon(severity: vscode.DiagnosticSeverity): vscode.ThemeIcon {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    case vscode.DiagnosticSeverity.Warning:
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case vscode.DiagnosticSeverity.Information:
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    default:
      return new vscode.ThemeIcon('lightbulb');
  }
}

function openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}
