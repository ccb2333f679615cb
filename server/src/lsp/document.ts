// One open document: its text, its tree-sitter tree kept up to date by incremental edits while the
// document is being edited, the analyzer's per-document cache, and what the last analysis published.
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
  /** The last parse, already `edit`ed for every change since; null before the first parse and once released. */
  private tree: Tree | null = null;
  private treeIsCurrent = false;
  /** Whether the tree last released had syntax errors (a fresh parse cannot say what recovery moved then). */
  private releasedWithErrors = false;
  readonly cache = new AnalysisCache();
  /** The findings last published, and the version they describe. */
  published: { version: number; findings: PublishedFinding[] } = { version: -1, findings: [] };
  /** When the oldest change not yet published reached the server (performance.now()), for PUBLISH_LATENCY. */
  changedAt: number | undefined;
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
      // Without the old tree nobody can say: the cache then matches statements by their text.
      const errors = next.rootNode.hasError;
      if (this.tree && (this.tree.rootNode.hasError || errors)) this.cache.reparsed(this.tree.getChangedRanges(next));
      else if (!this.tree && (this.releasedWithErrors || errors)) this.cache.replaced();
      this.releasedWithErrors = false;
      this.tree?.delete();
      this.tree = next;
      this.treeIsCurrent = true;
    }
    return this.tree;
  }

  /**
   * Frees the tree-sitter tree (about 13 MB per 10k lines) of a document nobody is editing; the
   * analyzer's light tree stays. Its next edit parses only what it touches, or the whole text anew.
   */
  releaseTree(): void {
    if (this.tree) this.releasedWithErrors = this.tree.rootNode.hasError;
    this.dropTree();
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

/**
 * The documents edited last, which keep their tree-sitter trees for the next incremental reparse;
 * any other document releases its tree once analyzed, so open files cost only their light trees.
 */
export class RecentlyEdited {
  private readonly states: DocumentState[] = [];

  constructor(private readonly capacity: number) {}

  touch(state: DocumentState): void {
    this.forget(state);
    this.states.unshift(state);
    for (const evicted of this.states.splice(this.capacity)) evicted.releaseTree();
  }

  has(state: DocumentState): boolean {
    return this.states.includes(state);
  }

  forget(state: DocumentState): void {
    const at = this.states.indexOf(state);
    if (at >= 0) this.states.splice(at, 1);
  }
}

/**
 * Packs the light trees of the documents analyzed since it last ran, once no analysis has run for
 * `restMs` (see `AnalysisCache.compact`): a document someone is typing in keeps the nodes its
 * analyses read, and any document left alone holds its statements packed.
 */
export class IdleCompaction {
  private readonly waiting = new Set<DocumentState>();
  private readonly timer: NodeJS.Timeout;

  constructor(restMs: number) {
    this.timer = setTimeout(() => this.run(), restMs);
    // Pending compaction must not keep the process alive.
    this.timer.unref();
  }

  schedule(state: DocumentState): void {
    this.waiting.add(state);
    this.timer.refresh();
  }

  forget(state: DocumentState): void {
    this.waiting.delete(state);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.waiting.clear();
  }

  private run(): void {
    for (const state of this.waiting) state.cache.compact();
    this.waiting.clear();
  }
}

function point(position: { line: number; character: number }) {
  return { row: position.line, column: position.character };
}
