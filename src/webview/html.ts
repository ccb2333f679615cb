// The flame graph page for a VS Code webview: its options and its HTML (built in pageHtml.ts).
import * as vscode from 'vscode';
import { type ColorScheme, flameGraphHtml } from './pageHtml';

export type { ColorScheme };

export function colorScheme(theme: vscode.ColorTheme): ColorScheme {
  return theme.kind === vscode.ColorThemeKind.Light || theme.kind === vscode.ColorThemeKind.HighContrastLight ? 'light' : 'dark';
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    // The page loads speedscope and its own scripts from these two folders, nothing else.
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
  };
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, scheme: ColorScheme, page: string): string {
  return flameGraphHtml(
    extensionUri.fsPath,
    {
      cspSource: webview.cspSource,
      url: (relativePath) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...relativePath.split('/'))).toString(),
    },
    scheme,
    page,
  );
}
