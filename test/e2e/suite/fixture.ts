// Helpers for the fixture workspace (test/e2e/workspace) and Hotpath's diagnostics in it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './harness';

export const EXTENSION_ID = 'hotpath.hotpath';

export function fixtureUri(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workbench has no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

/** Opens a fixture file in an editor, as a person would. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(relativePath));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The 0-based line of the only line containing `text`. */
export function lineOf(document: vscode.TextDocument, text: string): number {
  const lines = document.getText().split(/\r?\n/);
  const found = lines.flatMap((line, i) => (line.includes(text) ? [i] : []));
  assert.equal(found.length, 1, `expected exactly one line containing ${JSON.stringify(text)}, found ${found.length}`);
  return found[0];
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

export function hotpathDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'hotpath');
}

export function describe(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${codeOf(diagnostic)} ${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${diagnostic.message}`;
}

/** Waits until Hotpath reports `code` on `line` (0-based) and returns that diagnostic. */
export async function waitForDiagnostic(uri: vscode.Uri, code: string, line: number, timeoutMs = 30_000): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(() => hotpathDiagnostics(uri).find((d) => codeOf(d) === code && d.range.start.line === line), {
      timeoutMs,
      what: `Hotpath's ${code} on line ${line + 1}`,
    });
  } catch (err) {
    const reported = hotpathDiagnostics(uri).map(describe);
    throw new Error(`${(err as Error).message}; Hotpath reports: [${reported.join('; ')}]`);
  }
}
