// Saved profiles open as a flame graph: a read-only custom editor for `*.speedscope.json` (what
// `hotpath profile --format speedscope` and py-spy's `--format speedscope` write). Opening one also
// makes it the profile on show (ProfileStore), so inline cost and ranked findings follow it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadProfileFile } from '../profile/core';
import type { ProfileStore } from '../profile/store';
import { FlameGraph, type FlameGraphEvents } from './flameGraph';

export const PROFILE_EDITOR_VIEW_TYPE = 'hotpath.profileViewer';

export class ProfileEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly profiles: ProfileStore,
    private readonly events: FlameGraphEvents,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const graph = new FlameGraph(panel.webview, this.extensionUri, this.events, this.output, () => panel.viewColumn);
    panel.onDidDispose(() => graph.dispose());
    const file = document.uri;
    const name = path.basename(file.fsPath);
    // Not awaited: VS Code shows the page only once this method returns. A file that cannot be read
    // shows why in the page.
    void graph.show({ name, file, baseFolder: path.dirname(file.fsPath) }).then(() => loadIntoStore(file, this.profiles, this.output));
  }
}

/**
 * Reads the per-line summary of a profile file into the store. A file speedscope can draw but the
 * core cannot summarize (no Python frames, say) still shows as a flame graph; the log says why.
 */
export async function loadIntoStore(file: vscode.Uri, profiles: ProfileStore, output: vscode.LogOutputChannel): Promise<boolean> {
  try {
    const { summary, format } = await loadProfileFile(file.fsPath);
    profiles.set({ title: `${path.basename(file.fsPath)} (${format})`, summary, file });
    return true;
  } catch (err) {
    output.warn(`No per-line costs from ${file.fsPath}: ${(err as Error).message}`);
    return false;
  }
}

export function registerProfileEditor(
  extensionUri: vscode.Uri,
  profiles: ProfileStore,
  events: FlameGraphEvents,
  output: vscode.LogOutputChannel,
): vscode.Disposable {
  return vscode.window.registerCustomEditorProvider(
    PROFILE_EDITOR_VIEW_TYPE,
    new ProfileEditorProvider(extensionUri, profiles, events, output),
    { webviewOptions: { retainContextWhenHidden: true }, supportsMultipleEditorsPerDocument: true },
  );
}
