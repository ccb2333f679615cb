// One open document: its text, its tree-sitter tree kept up to date by incremental edits, the
// analyzer's per-document cache, and what the last analysis published.
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from '../analyzer/incremental';
import type { Finding } from '../analyzer/finding';
import type { DiagnosticRegionData } from '../protocol';
import { parseSource, type Tree } from '../analyzer/parse';
import type { Parser } from 'web-tree-sitter';

/** A finding as published: its diagnostic, and its fixes in LSP ranges of the same version. */
export interface PublishedFinding {
  finding: Finding;
  diagnostic: Diagnostic;
}

/**
 * What a diagnostic carries in `data` (it comes back from the client with a code action request):
 * which published finding it is, the lines it is about and their measured cost. Its fixes stay on
 * the server, converted only when asked for, so a large file's diagnostics stay small to send.
 */
export interface DiagnosticData extends DiagnosticRegionData {
  /** The document version the finding was published for. */
  version: number;
  /** Its place in `DocumentState.published.findings`. */
  index: number;
}

export class DocumentState {
  private document: TextDocument;
  /** The last parse, already `edit`ed for every change since; null before the first parse. */
  private tree: Tree | null = null;
  private treeIsCurrent = false;
  readonly cache = new AnalysisCache();
  /** The findings last published, and the version they describe. */
  published: { version: number; findings: PublishedFinding[] } = { version: -1, findings: [] };
  /** The reason this document was last skipped (too large, binary), to log it once. */
  skippedReason: string | undefined;

  constructor(uri: string, languageId: string, version: number, text: string) {
    this.document = TextDocument.create(uri, languageId, version, text);
  }

  get uri(): string {
    return this.document.uri;
  }

  get version(): number {
    return this.document.version;
  }

  get text(): string {
    return this.document.getText();
  }

  get textDocument(): TextDocument {
    return this.document;
  }

  /** Applies the client's changes in order, editing the tree alongside so the next parse is incremental. */
  applyChanges(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if (!('range' in change)) {
        this.dropTree();
        this.cache.replaced();
        this.document = TextDocument.update(this.document, [change], version);
        continue;
      }
      const doc = this.document;
      const startIndex = doc.offsetAt(change.range.start);
      const oldEndIndex = Math.max(startIndex, doc.offsetAt(change.range.end));
      const startPosition = point(doc.positionAt(startIndex));
      const oldEndPosition = point(doc.positionAt(oldEndIndex));
      this.document = TextDocument.update(doc, [change], version);
      const newEndIndex = startIndex + change.text.length;
      this.cache.edit(startIndex, oldEndIndex, newEndIndex);
      this.tree?.edit({
        startIndex,
        oldEndIndex,
        newEndIndex,
        startPosition,
        oldEndPosition,
        newEndPosition: point(this.document.positionAt(newEndIndex)),
      });
    }
    this.treeIsCurrent = false;
  }

  /** The tree of the current text, reparsed incrementally when the text changed. */
  currentTree(parser: Parser): Tree {
    if (!this.tree || !this.treeIsCurrent) {
      let next: Tree;
      try {
        next = parseSource(parser, this.text, this.tree);
      } catch (err) {
        // A failed parse must not leave a tree that no longer matches the text.
        this.dropTree();
        throw err;
      }
      // Error recovery can restructure code far from the edit; ask the parser where (this costs a
      // tree walk, so only when there are errors: a clean parse changes only around the edit).
      if (this.tree && (this.tree.rootNode.hasError || next.rootNode.hasError)) this.cache.reparsed(this.tree.getChangedRanges(next));
      this.tree?.delete();
      this.tree = next;
      this.treeIsCurrent = true;
    }
    return this.tree;
  }

  dispose(): void {
    this.dropTree();
  }

  private dropTree(): void {
    this.tree?.delete();
    this.tree = null;
    this.treeIsCurrent = false;
  }
}

function point(position: { line: number; character: number }) {
  return { row: position.line, column: position.character };
}
