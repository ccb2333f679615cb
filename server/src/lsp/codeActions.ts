// Quick fixes: each finding's fixes, and a suppression comment for its rule on its line.
import {
  type CodeAction,
  CodeActionKind,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { DocumentState } from './document';
import { DIAGNOSTIC_SOURCE, isDiagnosticData, toTextEdits } from './diagnostics';

export function codeActions(state: DocumentState, params: CodeActionParams, useDocumentChanges: boolean): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === CodeActionKind.Empty)) {
    return [];
  }
  const workspaceEdit = (edits: TextEdit[]): WorkspaceEdit =>
    useDocumentChanges
      ? { documentChanges: [{ textDocument: { uri: state.uri, version: state.version }, edits }] }
      : { changes: { [state.uri]: edits } };
  const actions: CodeAction[] = [];
  const ignored = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'string') continue;
    // Fixes are offered only while the text is the one they were computed for.
    const data = diagnostic.data;
    const published = isDiagnosticData(data) && data.version === state.version && state.published.version === state.version
      ? state.published.findings[data.index]?.finding
      : undefined;
    if (published?.rule === diagnostic.code) {
      published.fixes.forEach((fix, i) => {
        const edits = toTextEdits(state.textDocument, fix);
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: i === 0, edit: workspaceEdit(edits) });
      });
    }
    const key = `${diagnostic.code}:${diagnostic.range.start.line}`;
    if (ignored.has(key)) continue;
    ignored.add(key);
    const edit = ignoreComment(state, diagnostic);
    if (edit) {
      actions.push({ title: `Ignore ${diagnostic.code} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit([edit]) });
    }
  }
  return actions;
}

const IGNORE_LIST = /#\s*hotpath:\s*ignore\[([^\]]*)\]/i;

/**
 * `  # hotpath: ignore[HP201]` at the end of the diagnostic's first line, or the rule added to an
 * ignore list already there. None where a comment cannot go: after a line continuation or inside a
 * string that runs on past the line.
 */
function ignoreComment(state: DocumentState, diagnostic: Diagnostic): TextEdit | undefined {
  const rule = String(diagnostic.code);
  const document = state.textDocument;
  const line = diagnostic.range.start.line;
  if (line >= document.lineCount) return undefined;
  const lineStart = document.offsetAt({ line, character: 0 });
  const lineText = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$|\r$/, '');
  const existing = IGNORE_LIST.exec(lineText);
  if (existing) {
    const at = lineStart + existing.index + existing[0].length - 1;
    const separator = existing[1].trim() ? ', ' : '';
    return { range: { start: document.positionAt(at), end: document.positionAt(at) }, newText: `${separator}${rule}` };
  }
  const content = lineText.trimEnd();
  if (content.endsWith('\\')) return undefined;
  const end = lineStart + lineText.length;
  // Not known (the text was not analyzed): do not risk putting the comment inside a string.
  if (state.cache.insideString(state.text, end) ?? true) return undefined;
  const position = document.positionAt(end);
  return { range: { start: position, end: position }, newText: `  # hotpath: ignore[${rule}]` };
}
