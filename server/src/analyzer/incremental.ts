// What an open document keeps between analyses, so that after an edit only the top-level
// statements the edit touched are walked and checked again. The rest of the light tree is kept
// (moved when the edit shifted it), findings are kept per statement, and when the edit changed only
// function or class bodies the module's imports and globals are not worked out again. Between
// analyses the inner nodes of every top-level statement are held packed (a sixth of the memory);
// they are made again for the statements an analysis reads.
import type { Node, Range, Tree } from 'web-tree-sitter';
import { type AstNode, buildAst, buildAstReusing, buildChanged, child, descendants, dropChildren, NodePacker, type PackedSubtree, SCOPE_TYPES, shift, undecorated } from './ast';
import { lineStart } from './edits';
import type { Finding } from './finding';
import type { ModuleFacts } from './semantics/semantics';

/**
 * The part of the text that changed since the last analysis, in the current text's offsets:
 * text before `start` is as it was, and text from `end` on is the old text from `end - delta` on.
 */
interface Dirty {
  start: number;
  end: number;
  delta: number;
}

/** A statement's findings with offsets relative to its start, which was `base` when they were found. */
export interface KeptFindings {
  /** Relative to the statement's start, which was `base`; an import edit before it is negative. */
  findings: Finding[];
  base: number;
  /** Where the module's opening imports ended (their fixes add imports there). */
  header: number;
  /** Other top-level statements the findings looked into: they hold while those are unchanged. */
  dependsOn: AstNode[];
  /** The findings placed at the statement's start `at` and that import point, as last used. */
  placed?: { at: number; header: number; findings: Finding[] };
}

/** What one build of the light tree kept from the last one. */
export interface TreeUpdate {
  root: AstNode;
  /** True when only function and class bodies changed: the module's names are as they were. */
  moduleUnchanged: boolean;
}

export class AnalysisCache {
  /** The last analysis's light tree and text. */
  private last: { root: AstNode; source: string } | undefined;
  /** What changed since then; undefined when the changes are not known (a whole-text replace). */
  private dirty: Dirty | undefined;
  /**
   * Where a reparse changed the syntax since the last analysis (current offsets), beyond the edits:
   * error recovery, and edits analyzed without the whole tree since it was last parsed.
   */
  private recovered: { start: number; end: number }[] = [];
  private changesKnown = false;
  /** The module's imports and globals as of the last analysis, and their fingerprint. */
  module: ModuleFacts | undefined;
  moduleFingerprint: string | undefined;
  /** The facts inherited from outside the text (earlier notebook cells) at the last analysis. */
  inherited: ModuleFacts | undefined;
  /**
   * Top-level statements moved by edits whose inner nodes have not been moved yet, with how far:
   * moving every node after an edit would cost more than the rest of the analysis, and most of
   * those statements are never looked into again. `settle` moves them before anyone reads them.
   */
  private unsettled = new Map<AstNode, number>();
  /**
   * Definitions' bodies left behind by `settle(statement, false)`, by statement, with how far they
   * still have to move: a module-level loop's checks read the whole module scope, which stops at a
   * def or class, and the bodies are most of a module's nodes.
   */
  private unsettledBodies = new Map<AstNode, { body: AstNode; delta: number }>();
  /** The inner nodes of top-level statements, packed (see `compact`), and the statements whose nodes are unpacked now. */
  private packed = new Map<AstNode, PackedSubtree>();
  private readonly unpacked = new Set<AstNode>();
  private readonly packer = new NodePacker();
  /** Findings by statement node, valid for `context`. */
  private context = '';
  private findings = new Map<AstNode, KeptFindings>();
  private nextFindings = new Map<AstNode, KeptFindings>();

  /**
   * Records an edit, with the offsets `Tree.edit` takes (start and old end in the text before it).
   * A caller that changes the text must report every edit here, or call `replaced`.
   */
  edit(start: number, oldEnd: number, newEnd: number): void {
    if (!this.changesKnown) return;
    const diff = newEnd - oldEnd;
    const d = this.dirty;
    this.dirty = d
      ? { start: Math.min(d.start, start), end: d.end >= oldEnd ? d.end + diff : newEnd, delta: d.delta + diff }
      : { start, end: newEnd, delta: diff };
  }

  /** Records where a reparse changed the syntax beyond the edits themselves (`Tree.getChangedRanges`). */
  reparsed(ranges: readonly Range[]): void {
    if (!this.changesKnown) return;
    for (const range of ranges) this.recovered.push({ start: range.startIndex, end: range.endIndex });
  }

  /** Forgets what changed: the next analysis rebuilds the tree, reusing statements by their text. */
  replaced(): void {
    this.changesKnown = false;
    this.dirty = undefined;
    this.recovered = [];
  }

  /** The light tree of `tree`, reusing what the changes since the last analysis left alone. */
  buildTree(tree: Tree, source: string): TreeUpdate {
    const last = this.last;
    const edited = this.edited(source);
    let update: TreeUpdate | undefined;
    if (edited) {
      update = this.splice(tree, edited.last.root, source, edited.last.source, edited.dirty);
    } else if (last && this.changesKnown && !this.dirty && source === last.source) {
      update = { root: last.root, moduleUnchanged: true };
    }
    if (!update) {
      this.moveAll();
      update = { root: last ? buildAstReusing(tree, source, this.statementsByText(last.root, last.source)) : buildAst(tree), moduleUnchanged: false };
    }
    return this.built(update, source);
  }

  /**
   * The light tree of `source` without the document's whole tree: the text between the statements
   * the edits left alone is parsed on its own. (Tree-sitter's incremental reparse of a long module
   * costs time in proportion to the statements after the edit: 10-50 ms for one character in a
   * 10k-line file.) Undefined when a parse of that text alone cannot be trusted to give what the
   * whole parse gives: it has errors, or it starts indented (it could belong to the statement
   * above), or the statement after it does. (A comment at the left margin is outside any block.)
   */
  buildTreeAlone(parse: (text: string) => Tree, source: string): TreeUpdate | undefined {
    const edited = this.edited(source);
    if (!edited || edited.last.root.error) return undefined;
    const { last, dirty } = edited;
    const statements = last.root.children;
    const kept = untouched(statements, dirty);
    const after = kept.after;
    let before = kept.before;
    const suffix = statements.slice(after);
    const next = suffix[0];
    const atLineStart = (text: string, offset: number) => lineStart(text, offset) === offset;
    if (next && (next.error || !atLineStart(last.source, next.start))) return undefined;
    // Start at the first touched statement, or at the line of the edit when it is between statements;
    // a line the statement before ends on (a trailing comment) or an indented line goes with that statement.
    const editLine = lineStart(source, dirty.start);
    const inside = statements[before] && statements[before].start <= dirty.start;
    if (!inside && before > 0 && (statements[before - 1].end > editLine || startsIndented(source, editLine))) before--;
    const touched = statements[before];
    let from = touched && touched.start <= dirty.start ? touched.start : editLine;
    // A statement that starts mid-line (a trailing comment) goes with the one its line starts with.
    while (before > 0 && !atLineStart(source, from)) from = statements[--before].start;
    if ((before && from < statements[before - 1].end) || !atLineStart(source, from)) return undefined;
    // Text the whole parse recovered from an error in, or that follows such recovery, can parse
    // differently alone (a function whose body the error above took away parses whole here).
    if (statements.slice(0, after).some((s, i) => s.type === 'ERROR' || (i >= before && this.hasError(s)))) return undefined;
    const until = next ? next.start + dirty.delta : source.length;
    const text = source.slice(from, until);
    if (startsIndented(text, 0)) return undefined;
    // A statement at the left margin follows, as in the document: a block left without a body, or
    // a bracket left open, is then an error here as it is there.
    const tree = parse(next ? `${text}pass\n` : text);
    try {
      if (tree.rootNode.hasError) return undefined;
      const built = buildChanged(tree, 0, text.length);
      for (const s of built.changed) shift(s, from);
      const root = built.root;
      root.end = source.length;
      return this.built(this.assemble(root, statements, before, after, built.statements, built.changed, dirty, last.source, source), source);
    } finally {
      tree.delete();
    }
  }

  /**
   * Whether `offset` lies inside a string literal (one that may run over several lines), read from
   * the light tree; undefined when `source` is not the text last analyzed.
   */
  insideString(source: string, offset: number): boolean | undefined {
    if (this.last?.source !== source) return undefined;
    for (let node = this.last.root; ; ) {
      const inner = node.children.find((c) => c.start < offset && offset < c.end);
      if (!inner) return false;
      if (inner.type === 'string') return true;
      this.settle(inner);
      node = inner;
    }
  }

  /**
   * Makes the inner nodes of a top-level statement readable: unpacked, and where the statement is
   * now; with `bodies` false, a def's or class's body may stay where it was (only the module scope
   * is read: the name, decorators, parameters and bases).
   */
  settle(statement: AstNode, bodies = true): void {
    this.move(statement, bodies);
    const packed = this.packed.get(statement);
    if (packed && !this.unpacked.has(statement)) {
      this.packer.unpack(statement, packed);
      this.unpacked.add(statement);
    }
  }

  settleAll(): void {
    for (const statement of this.last?.root.children ?? []) this.settle(statement);
  }

  /**
   * Packs the inner nodes of every top-level statement of the last analysis (those packed before
   * are kept as they were) and drops the unpacked ones: the next analysis unpacks what it reads.
   * The language server does this once a document has rested a while, not after every edit: while
   * someone types, the statements the analyses read stay unpacked (making all of a 10k-line
   * module's nodes again takes several milliseconds).
   */
  compact(): void {
    const packed = new Map<AstNode, PackedSubtree>();
    for (const statement of this.last?.root.children ?? []) {
      let subtree = this.packed.get(statement);
      if (!subtree) {
        this.move(statement);
        subtree = this.packer.pack(statement);
      }
      packed.set(statement, subtree);
      dropChildren(statement);
    }
    this.packed = packed;
    this.unpacked.clear();
    this.unsettled.clear();
    this.unsettledBodies.clear();
  }

  /** Moves the inner nodes of a top-level statement to where the statement is now (see `settle`). */
  private move(statement: AstNode, bodies = true): void {
    const delta = this.unsettled.get(statement);
    if (delta !== undefined) {
      this.unsettled.delete(statement);
      const definition = bodies ? undefined : undecorated(statement);
      const body = definition && SCOPE_TYPES.has(definition.type) ? child(definition, 'body') : undefined;
      if (body && definition) {
        if (definition !== statement) {
          // The decorators; then the definition itself.
          for (const c of statement.children) if (c !== definition) shift(c, delta);
          definition.start += delta;
          definition.end += delta;
        }
        for (const c of definition.children) if (c !== body) shift(c, delta);
        const before = this.unsettledBodies.get(statement)?.delta ?? 0;
        this.unsettledBodies.set(statement, { body, delta: before + delta });
      } else {
        for (const c of statement.children) shift(c, delta);
      }
    }
    const pending = bodies ? this.unsettledBodies.get(statement) : undefined;
    if (pending) {
      this.unsettledBodies.delete(statement);
      shift(pending.body, pending.delta);
    }
  }

  private moveAll(): void {
    for (const statement of [...this.unsettled.keys(), ...this.unsettledBodies.keys()]) this.move(statement);
  }

  /** Whether a top-level statement holds an ERROR or MISSING node. */
  private hasError(statement: AstNode): boolean {
    const packed = this.packed.get(statement);
    // A packed statement's own flag counts as well as its inner nodes' (an ERROR statement).
    if (packed) return statement.error || packed.hasError;
    for (const n of descendants(statement)) if (n.error) return true;
    return false;
  }

  /**
   * Rebuilds only the top-level statements that overlap the dirty range, or the range a reparse
   * changed: the ones before it are kept as they are, the ones after it are moved by the edit's
   * length change, and so are the ones within the reparsed range that are still there as they were
   * (after analyses without the whole tree, that range can reach from the oldest such edit to the
   * newest). Undefined when the new tree does not line up with that (then the caller rebuilds
   * everything).
   */
  private splice(tree: Tree, old: AstNode, source: string, oldSource: string, dirty: Dirty): TreeUpdate | undefined {
    // Under a root that is itself an ERROR node every node is marked as an error: nothing carries over.
    if (old.error) return undefined;
    const statements = old.children;
    const recovered = this.recovered;
    const reach = { ...dirty };
    for (const r of recovered) {
      reach.start = Math.min(reach.start, r.start);
      reach.end = Math.max(reach.end, r.end);
    }
    const kept = untouched(statements, reach);
    const after = kept.after;
    let before = kept.before;
    const suffix = statements.slice(after);
    const from = before ? statements[before - 1].end : 0;
    const until = suffix.length ? suffix[0].start + dirty.delta : source.length + 1;
    const reuse = recovered.length ? this.unchangedStatement(statements.slice(before, after), dirty) : undefined;
    const built = buildChanged(tree, from, until, reuse);
    if (built.root.error) return undefined;
    // A statement that now reaches back over kept ones (a line indented into the function above) replaces them.
    const first = built.statements[0];
    while (first && before && statements[before - 1].end > first.start) before--;
    // The first kept statement after the edit must be where it was, as it was: in a clean parse the
    // parser is then back in its top-level state there, and every statement after it parsed as before
    // (an unclosed string or bracket, or a new indented block, would have swallowed or moved it).
    // Error recovery can reach further; the caller reports that through `reparsed`.
    const next = suffix[0];
    if (next && (built.next?.start !== next.start + dirty.delta || built.next.end !== next.end + dirty.delta || built.next.type !== next.type)) {
      return undefined;
    }
    return this.assemble(built.root, statements, before, after, built.statements, built.changed, dirty, oldSource, source);
  }

  /**
   * Finds, for a top-level statement of the new tree, the old statement among `candidates` that it
   * is: at the same place outside the edited text (so with the same text; moved by the edit when
   * after it), of the same kind, and either without syntax errors in both parses (the parse of a
   * clean top-level statement depends on its text alone) or outside what the reparse changed.
   */
  private unchangedStatement(candidates: AstNode[], dirty: Dirty): (node: Node) => AstNode | undefined {
    const byStart = new Map(candidates.map((s) => [s.start, s]));
    return (node) => {
      const start = node.startIndex;
      const end = node.endIndex;
      const oldStart = end < dirty.start ? start : start > dirty.end ? start - dirty.delta : undefined;
      const s = oldStart === undefined ? undefined : byStart.get(oldStart);
      if (!s || s.end - s.start !== end - start || s.type !== node.type) return undefined;
      if (!node.hasError && !this.hasError(s)) return s;
      return this.recovered.some((r) => r.start <= end && start <= r.end) ? undefined : s;
    };
  }

  /**
   * The new root: the old statements before `before` as they are, `middle` (what was rebuilt, in
   * `changed`, and old statements kept), and those from `after` on, moved.
   */
  private assemble(
    root: AstNode,
    statements: AstNode[],
    before: number,
    after: number,
    middle: AstNode[],
    changed: AstNode[],
    dirty: Dirty,
    oldSource: string,
    source: string,
  ): TreeUpdate {
    const suffix = statements.slice(after);
    const rebuilt = new Set(changed);
    const reused = new Set(middle.filter((s) => !rebuilt.has(s)));
    // Kept statements after the edit (those in the middle start at or after the edit) move with it.
    for (const s of reused) if (s.start >= dirty.start) this.moveBy(s, dirty.delta);
    for (const s of suffix) this.moveBy(s, dirty.delta);
    root.children.push(...statements.slice(0, before), ...middle, ...suffix);
    for (const s of root.children) s.parent = root;
    const replaced = statements.slice(before, after);
    for (const s of replaced) if (!reused.has(s)) this.settle(s);
    // Compared between the statements kept in the middle, so that the order of binding sites counts.
    let moduleUnchanged = true;
    let from = 0;
    let added: AstNode[] = [];
    for (const s of [...middle, undefined]) {
      if (s && !reused.has(s)) {
        added.push(s);
        continue;
      }
      const to = s ? replaced.indexOf(s, from) : replaced.length;
      moduleUnchanged &&= sameModuleFacts(replaced.slice(from, to), oldSource, added, source);
      from = to + 1;
      added = [];
    }
    return { root, moduleUnchanged };
  }

  /** Moves a top-level statement; its inner nodes follow when they are next read (`settle`). */
  private moveBy(statement: AstNode, delta: number): void {
    if (!delta) return;
    statement.start += delta;
    statement.end += delta;
    // Packed nodes are relative to their statement: only nodes made from them need moving.
    if (!this.packed.has(statement) || this.unpacked.has(statement)) this.unsettled.set(statement, (this.unsettled.get(statement) ?? 0) + delta);
  }

  /**
   * The last analysis and the edits since, when they are known and account for `source` (the
   * length check catches a caller that changed the text without telling `edit`).
   */
  private edited(source: string): { last: { root: AstNode; source: string }; dirty: Dirty } | undefined {
    const { last, dirty } = this;
    if (!last || !this.changesKnown || !dirty || source.length !== last.source.length + dirty.delta) return undefined;
    return { last, dirty };
  }

  /** Records the tree just built as the last one: the changes since are all accounted for. */
  private built(update: TreeUpdate, source: string): TreeUpdate {
    this.last = { root: update.root, source };
    this.dirty = undefined;
    this.recovered = [];
    this.changesKnown = true;
    return update;
  }

  /** The clean statements of the last tree by their text, for reuse when the changes are not known. */
  private statementsByText(root: AstNode, source: string): Map<string, AstNode[]> {
    const byText = new Map<string, AstNode[]>();
    if (root.error) return byText;
    for (const s of root.children) {
      if (this.hasError(s)) continue;
      const key = source.slice(s.start, s.end);
      const list = byText.get(key);
      if (list) list.push(s);
      else byText.set(key, [s]);
    }
    return byText;
  }

  /** Starts checking statements under `context` (module names and rules); another context drops every entry. */
  begin(context: string): void {
    if (context !== this.context) {
      this.context = context;
      this.findings = new Map();
    }
    this.nextFindings = new Map();
  }

  findingsOf(statement: AstNode): KeptFindings | undefined {
    const hit = this.findings.get(statement);
    if (hit) this.nextFindings.set(statement, hit);
    return hit;
  }

  setFindings(statement: AstNode, findings: KeptFindings): void {
    this.nextFindings.set(statement, findings);
  }

  /** Keeps only the entries the last analysis used. */
  sweep(): void {
    this.findings = this.nextFindings;
    this.nextFindings = new Map();
  }
}

/**
 * The statements the edits left alone: those before `before` end strictly before the dirty range,
 * those from `after` on start strictly after it (a statement the edit merely touches may have grown).
 */
function untouched(statements: AstNode[], dirty: Dirty): { before: number; after: number } {
  let before = 0;
  while (before < statements.length && statements[before].end < dirty.start) before++;
  let after = statements.length;
  while (after > before && statements[after - 1].start > dirty.end - dirty.delta) after--;
  return { before, after };
}

/**
 * Whether the first line with code at or after `offset` (a line start) is indented: it continues a
 * block above. Blank lines and comments do not count: they do not end a block.
 */
function startsIndented(text: string, offset: number): boolean {
  const blankOrCommentLinesThenIndent = /(?:[ \t]*(?:#[^\r\n]*)?(?:\r\n|\n|\r))*[ \t]+[^\s#]/y;
  blankOrCommentLinesThenIndent.lastIndex = offset;
  return blankOrCommentLinesThenIndent.test(text);
}

/**
 * Whether the statements an edit replaced bound and imported what their replacements do, so the
 * module's facts (imports, bound names, their kinds, collection sizes) still hold: the same binding
 * sites in the same order. A function or class counts by its name (its body is not the module's);
 * in other statements the sites are the imports, assignments, loop targets and `as` names at module
 * level, each by its text. Comments, docstrings, calls, conditions and prints bind nothing.
 */
function sameModuleFacts(removed: AstNode[], oldSource: string, added: AstNode[], source: string): boolean {
  const was = bindingSites(removed, oldSource);
  const now = bindingSites(added, source);
  return was !== undefined && was === now;
}

function bindingSites(statements: AstNode[], text: string): string | undefined {
  const out: string[] = [];
  const slice = (n: AstNode | undefined) => (n ? text.slice(n.start, n.end) : '');
  const stack = [...statements].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.error) return undefined;
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      // A function's return annotation gives its calls a kind (a module fact too).
      out.push(`${n.type} ${slice(child(n, 'name'))} -> ${slice(child(n, 'return_type'))}`);
      // A class's method names are module facts too (rules look methods up by name).
      if (n.type === 'class_definition') {
        for (const member of child(n, 'body')?.children ?? []) {
          const fn = undecorated(member);
          if (fn?.type === 'function_definition') out.push(`method ${slice(child(fn, 'name'))}`);
        }
      }
      continue;
    }
    if (n.type === 'lambda') continue;
    if (BINDING_SITES.has(n.type)) {
      out.push(codeText(n, text));
      continue;
    }
    if (n.type === 'for_statement' || n.type === 'for_in_clause') out.push(`for ${codeText(child(n, 'left'), text)} in ${codeText(child(n, 'right'), text)}`);
    for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]);
  }
  return out.join('\n');
}

/**
 * A node's text as far as it can mean anything: comments dropped and every run of whitespace one
 * space, outside string literals (kept as written). A comment or a re-indented line inside a long
 * literal then leaves the module's facts as they were.
 */
function codeText(node: AstNode | undefined, text: string): string {
  if (!node) return '';
  let out = '';
  let at = node.start;
  const stack = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'string') {
      out += squeeze(text.slice(at, n.start)) + text.slice(n.start, n.end);
      at = n.end;
      continue;
    }
    for (let k = n.children.length - 1; k >= 0; k--) stack.push(n.children[k]);
  }
  return out + squeeze(text.slice(at, node.end));
}

function squeeze(code: string): string {
  return code.replace(/#[^\n\r]*/g, '').replace(/\s+/g, ' ');
}

/** Nodes whose whole text decides what they bind and how (an assignment's value gives the name its kind). */
const BINDING_SITES = new Set([
  'assignment',
  'augmented_assignment',
  'named_expression',
  'as_pattern',
  'import_statement',
  'import_from_statement',
  'future_import_statement',
  'global_statement',
  'nonlocal_statement',
]);
