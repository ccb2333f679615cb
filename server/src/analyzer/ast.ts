// A light, plain-JavaScript copy of the tree-sitter tree: named nodes only, with their field names
// and string offsets. One cursor walk builds it; rules then read plain objects, which is far
// cheaper than asking the WASM tree for every node (see tech notes: node objects are the cost).
import type { Node, Tree, TreeCursor } from 'web-tree-sitter';

export interface AstNode {
  readonly type: string;
  /** The field this node fills in its parent (`left`, `body`, ...), or null. */
  readonly field: string | null;
  /** Offsets into the source; moved when a cached subtree is reused at another place. */
  start: number;
  end: number;
  /** Exactly as long as needed (a large file has hundreds of thousands of nodes); leaves share one frozen empty array. */
  children: AstNode[];
  parent: AstNode | null;
  /** True for ERROR nodes and nodes under which tree-sitter recovered from a syntax error. */
  readonly error: boolean;
}

/** Builds the light tree of `tree`. */
export function buildAst(tree: Tree): AstNode {
  return buildAstReusing(tree, '', new Map());
}

/**
 * Builds the light tree, reusing the subtrees of top-level statements whose text is a key of
 * `reusable` (each subtree is used once, moved to where the statement is now). `reusable` must
 * hold only statements without syntax errors.
 */
export function buildAstReusing(tree: Tree, source: string, reusable: Map<string, AstNode[]>): AstNode {
  const cursor = tree.walk();
  try {
    const g = grammarOf(tree);
    const root = makeNode(cursor, g, null);
    root.children = [];
    if (!cursor.gotoFirstChild()) return root;
    do {
      const typeId = cursor.nodeTypeId;
      if (!g.named[typeId] && typeId !== ERROR_TYPE_ID && !(g.missingPossible && cursor.nodeIsMissing)) continue;
      const start = cursor.startIndex;
      const candidates = reusable.size ? reusable.get(source.slice(start, cursor.endIndex)) : undefined;
      // Error recovery inside a statement can differ between two parses of the same text: only clean ones are reused.
      let node = candidates?.length && !cursor.currentNode.hasError ? candidates.pop() : undefined;
      if (node && !root.error) {
        shift(node, start - node.start);
        node.parent = root;
      } else {
        node = buildFromCursor(cursor, g, root);
      }
      root.children.push(node);
    } while (cursor.gotoNextSibling());
    return root;
  } finally {
    cursor.delete();
  }
}

/**
 * Builds the light root of `tree` (its children left to the caller) and the top-level statements
 * that end after `from` and start before `until` (the first may start before `from`): `statements`
 * holds them in order, each either what `reuse` gives for it or built anew (those are also in
 * `changed`); `next` is the span of the statement that follows them.
 */
export function buildChanged(
  tree: Tree,
  from: number,
  until: number,
  reuse?: (node: Node) => AstNode | undefined,
): { root: AstNode; statements: AstNode[]; changed: AstNode[]; next: { type: string; start: number; end: number } | undefined } {
  const cursor = tree.walk();
  try {
    const g = grammarOf(tree);
    const root = makeNode(cursor, g, null);
    root.children = [];
    const statements: AstNode[] = [];
    const changed: AstNode[] = [];
    // (TreeCursor.gotoFirstChildForIndex finds nothing in web-tree-sitter 0.25; the Node method works.)
    let node = tree.rootNode.firstNamedChildForIndex(from);
    while (node && node.endIndex <= from) node = node.nextNamedSibling;
    for (; node; node = node.nextNamedSibling) {
      if (node.startIndex >= until) return { root, statements, changed, next: { type: node.type, start: node.startIndex, end: node.endIndex } };
      const kept = reuse?.(node);
      if (kept) {
        statements.push(kept);
        continue;
      }
      const statement = node.walk();
      try {
        const built = buildFromCursor(statement, g, root);
        statements.push(built);
        changed.push(built);
      } finally {
        statement.delete();
      }
    }
    return { root, statements, changed, next: undefined };
  } finally {
    cursor.delete();
  }
}

/** Moves a subtree by `delta` (the text before it grew or shrank). */
export function shift(node: AstNode, delta: number, depth = 0): void {
  if (delta === 0) return;
  node.start += delta;
  node.end += delta;
  const children = node.children;
  // Recursion is several times faster than an explicit stack here; very deep trees (10,000 nested
  // parentheses) continue on a stack instead, so they cannot overflow the call stack.
  if (depth < 1000) {
    for (let i = 0; i < children.length; i++) shift(children[i], delta, depth + 1);
    return;
  }
  const stack = [...children];
  while (stack.length) {
    const n = stack.pop()!;
    n.start += delta;
    n.end += delta;
    for (const c of n.children) stack.push(c);
  }
}

/** Builds the subtree of the node under the cursor (the cursor comes back to that node). */
function buildFromCursor(cursor: TreeCursor, g: Grammar, parent: AstNode): AstNode {
  const root = makeNode(cursor, g, parent);
  const stack: AstNode[] = [root];
  const depthLimit = 100_000;
  if (!cursor.gotoFirstChild()) return root;
  root.children = [];
  // Every property read is a call into WASM: each is read once, and only where it can matter.
  for (;;) {
    const top = stack[stack.length - 1];
    const typeId = cursor.nodeTypeId;
    const missing = g.missingPossible && cursor.nodeIsMissing;
    let node: AstNode | null = null;
    // Comments and `\` continuations sit between a call's arguments: rules must not count them.
    if ((g.named[typeId] || typeId === ERROR_TYPE_ID || missing) && !g.skipped[typeId]) {
      node = makeNode(cursor, g, top, typeId, missing);
      top.children.push(node);
    }
    // Descend into named nodes only: anonymous ones (punctuation, keywords) have no named children.
    if (node && !g.leaf[typeId] && stack.length < depthLimit && cursor.gotoFirstChild()) {
      node.children = [];
      stack.push(node);
      continue;
    }
    while (!cursor.gotoNextSibling()) {
      cursor.gotoParent();
      finish(stack.pop()!);
      if (!stack.length) return root;
    }
  }
}

// Not frozen: a frozen array has its own elements kind, which would make every loop over children polymorphic.
const NO_CHILDREN: AstNode[] = [];

/** Drops a node's children (a packed statement's, whose nodes are made again when read). */
export function dropChildren(node: AstNode): void {
  node.children = NO_CHILDREN;
}

/** A node's children are all in: its array is copied to its exact length (pushing over-allocates). */
function finish(node: AstNode): void {
  node.children = node.children.length ? node.children.slice() : NO_CHILDREN;
}

/** What the walk needs to know of the grammar, by type and field id, read from WASM once per language. */
interface Grammar {
  types: string[];
  named: boolean[];
  /** Types left out of the light tree. */
  skipped: boolean[];
  /** Tokens: no children to look for. */
  leaf: boolean[];
  fields: (string | null)[];
  /** Only a tree with syntax errors has MISSING nodes. */
  missingPossible: boolean;
}

const ERROR_TYPE_ID = 65535;
const SKIPPED = new Set(['comment', 'line_continuation']);
const LEAVES = new Set(['identifier', 'integer', 'float', 'true', 'false', 'none', 'string_start', 'string_content', 'string_end', 'escape_sequence', 'ellipsis']);
const grammars = new WeakMap<object, Omit<Grammar, 'missingPossible'>>();

function grammarOf(tree: Tree): Grammar {
  const language = tree.language;
  let g = grammars.get(language);
  if (!g) {
    const types: string[] = [];
    const named: boolean[] = [];
    for (let i = 0; i < language.nodeTypeCount; i++) {
      types.push(language.nodeTypeForId(i) ?? '');
      named.push(language.nodeTypeIsNamed(i));
    }
    const fields: (string | null)[] = [];
    for (let i = 0; i <= language.fieldCount; i++) fields.push(language.fieldNameForId(i));
    g = { types, named, skipped: types.map((t) => SKIPPED.has(t)), leaf: types.map((t) => LEAVES.has(t)), fields };
    grammars.set(language, g);
  }
  return { ...g, missingPossible: tree.rootNode.hasError };
}

function makeNode(cursor: TreeCursor, g: Grammar, parent: AstNode | null, typeId = cursor.nodeTypeId, missing = g.missingPossible && cursor.nodeIsMissing): AstNode {
  const type = missing ? 'MISSING' : typeId === ERROR_TYPE_ID ? 'ERROR' : g.types[typeId];
  const fieldId = cursor.currentFieldId;
  return newNode(type, fieldId ? (g.fields[fieldId] ?? null) : null, cursor.startIndex, cursor.endIndex, parent);
}

/** Every node is made here, so that all have one shape (one hidden class for the engine). */
function newNode(type: string, field: string | null, start: number, end: number, parent: AstNode | null): AstNode {
  return {
    type,
    field,
    start,
    end,
    children: NO_CHILDREN,
    parent,
    error: type === 'ERROR' || type === 'MISSING' || (parent !== null && parent.error),
  };
}

// --- Packed subtrees --------------------------------------------------------------------------

/**
 * The inner nodes of a statement as numbers, for a document's statements between analyses: an
 * object per node costs about 100 bytes, a packed node 16. Four numbers per node, in source order
 * (depth first): its type and field (an index into a `NodePacker`'s table), its start and end
 * relative to the statement's start (so a moved statement needs no update), and how many nodes its
 * subtree holds (itself included), which gives the tree's shape.
 */
export interface PackedSubtree {
  readonly data: Int32Array;
  /** Whether an ERROR or MISSING node is among them. */
  readonly hasError: boolean;
}

/** Packs and unpacks subtrees; its table of type and field pairs grows with what it meets. */
export class NodePacker {
  private readonly kinds: { type: string; field: string | null }[] = [];
  private readonly ids = new Map<string, number>();

  /** Packs the nodes below `statement` (not itself), whose offsets must be current. */
  pack(statement: AstNode): PackedSubtree {
    const values: number[] = [];
    const parents: number[] = [];
    let hasError = false;
    // Depth first in source order; each node's parent by its index, -1 for the statement's children.
    const stack: AstNode[] = [];
    const stackParents: number[] = [];
    for (let k = statement.children.length - 1; k >= 0; k--) {
      stack.push(statement.children[k]);
      stackParents.push(-1);
    }
    while (stack.length) {
      const n = stack.pop()!;
      const i = parents.length;
      parents.push(stackParents.pop()!);
      values.push(this.kindId(n.type, n.field), n.start - statement.start, n.end - statement.start, 1);
      if (n.type === 'ERROR' || n.type === 'MISSING') hasError = true;
      for (let k = n.children.length - 1; k >= 0; k--) {
        stack.push(n.children[k]);
        stackParents.push(i);
      }
    }
    // Children come after their parents: adding each subtree's size to its parent's, last first, sums them.
    for (let i = parents.length - 1; i >= 0; i--) if (parents[i] >= 0) values[parents[i] * 4 + 3] += values[i * 4 + 3];
    return { data: Int32Array.from(values), hasError };
  }

  /** Makes `statement`'s inner nodes anew from `packed`, at the statement's current start. */
  unpack(statement: AstNode, packed: PackedSubtree): void {
    const { data } = packed;
    const count = data.length / 4;
    const base = statement.start;
    // The open nodes and where their subtrees end (as node indexes).
    const open: AstNode[] = [statement];
    const ends: number[] = [count];
    statement.children = [];
    for (let i = 0; i < count; i++) {
      while (i >= ends[ends.length - 1]) {
        finish(open.pop()!);
        ends.pop();
      }
      const parent = open[open.length - 1];
      const kind = this.kinds[data[i * 4]];
      const node = newNode(kind.type, kind.field, base + data[i * 4 + 1], base + data[i * 4 + 2], parent);
      parent.children.push(node);
      if (data[i * 4 + 3] > 1) {
        node.children = [];
        open.push(node);
        ends.push(i + data[i * 4 + 3]);
      }
    }
    while (open.length) finish(open.pop()!);
  }

  private kindId(type: string, field: string | null): number {
    const key = field === null ? type : `${type}.${field}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.kinds.length;
      this.kinds.push({ type, field });
      this.ids.set(key, id);
    }
    return id;
  }
}

// --- Reading the light tree -------------------------------------------------------------------

export function child(node: AstNode, field: string): AstNode | undefined {
  for (const c of node.children) if (c.field === field) return c;
  return undefined;
}

export function childrenOf(node: AstNode, field: string): AstNode[] {
  return node.children.filter((c) => c.field === field);
}

export function firstOfType(node: AstNode, type: string): AstNode | undefined {
  for (const c of node.children) if (c.type === type) return c;
  return undefined;
}

/** Every node below `node` (itself included), depth first, in source order. */
export function descendants(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

/** Like `descendants`, but does not enter nested function, lambda and class bodies. */
export function descendantsInScope(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    if (n !== node && SCOPE_TYPES.has(n.type)) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return out;
}

export const SCOPE_TYPES = new Set(['function_definition', 'lambda', 'class_definition']);
export const LOOP_TYPES = new Set(['for_statement', 'while_statement']);
export const COMPREHENSION_TYPES = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);

export function isAncestor(ancestor: AstNode, node: AstNode): boolean {
  for (let n: AstNode | null = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

export function enclosing(node: AstNode, types: Set<string>): AstNode | undefined {
  for (let n = node.parent; n; n = n.parent) if (types.has(n.type)) return n;
  return undefined;
}

/** The function or class under a `decorated_definition`; any other node as it is. */
export function undecorated(node: AstNode): AstNode | undefined {
  return node.type === 'decorated_definition' ? child(node, 'definition') : node;
}

/** The functions defined in the body of the class `cls`, decorated or not. */
export function methodsOf(cls: AstNode): AstNode[] {
  return (child(cls, 'body')?.children ?? []).map((member) => undecorated(member)).filter((fn): fn is AstNode => fn?.type === 'function_definition');
}

/** A statement that is only a string literal: a docstring where it opens a module, class or function. */
export function isStringStatement(node: AstNode | undefined): boolean {
  return node?.type === 'expression_statement' && node.children.length === 1 && node.children[0].type === 'string';
}

/** The operator written between two operands (`+`, `@`, `<<`), without spaces or the parentheses of the operands. */
export function operatorBetween(source: string, left: AstNode, right: AstNode): string {
  return source.slice(left.end, right.start).replace(/[()\s]/g, '');
}

/** Strips parentheses: `(a)` -> `a`. */
export function unparen(node: AstNode): AstNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.children.length === 1) n = n.children[0];
  return n;
}
