// The "Hotpath: Flame Graph" panel: one panel, reused, showing the profile of the ProfileStore.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FlameGraph, type FlameGraphEvents } from './flameGraph';

export const FLAME_GRAPH_VIEW_TYPE = 'hotpath.flameGraph';

export class FlameGraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private graph: FlameGraph | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly events: FlameGraphEvents,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  /** Opens (or reveals) the panel on a profile file (the ProfileStore's, or one opened by name); resolves once it is drawn. */
  async show(profile: { readonly title: string; readonly file?: vscode.Uri }): Promise<void> {
    const file = profile.file;
    if (!file) {
      void vscode.window.showInformationMessage(`Hotpath: ${profile.title} has no profile file to draw a flame graph from.`);
      return;
    }
    const graph = this.open(profile.title);
    await graph.show({ name: path.basename(file.fsPath), file, baseFolder: path.dirname(file.fsPath) });
  }

  close(): void {
    this.panel?.dispose();
  }

  private open(title: string): FlameGraph {
    if (this.panel && this.graph) {
      this.panel.title = `Flame Graph: ${title}`;
      this.panel.reveal(undefined, true);
      return this.graph;
    }
    const panel = vscode.window.createWebviewPanel(
      FLAME_GRAPH_VIEW_TYPE,
      `Flame Graph: ${title}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      // speedscope's view (zoom, selection) survives switching tabs.
      { retainContextWhenHidden: true },
    );
    const graph = new FlameGraph(panel.webview, this.extensionUri, this.events, this.output, () => panel.viewColumn);
    panel.onDidDispose(() => {
      graph.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.graph = undefined;
      }
    });
    this.panel = panel;
    this.graph = graph;
    return graph;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
