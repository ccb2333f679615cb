// A light, plain-JavaScript copy of the tree-sitter tree: named nodes only, with their field names
// and string offsets. One cursor walk builds it; rules then read plain objects, which is far
// cheaper than asking the WASM tree for every node (see tech notes: node objects are the cost).
import type { Tree, TreeCursor } from 'web-tree-sitter';

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
    const types = typeNames(cursor);
    const root = makeNode(cursor, types, null);
    root.children = [];
    if (!cursor.gotoFirstChild()) return root;
    do {
      if (!cursor.nodeIsNamed && !cursor.nodeIsMissing) continue;
      const start = cursor.startIndex;
      const candidates = reusable.size ? reusable.get(source.slice(start, cursor.endIndex)) : undefined;
      // Error recovery inside a statement can differ between two parses of the same text: only clean ones are reused.
      let node = candidates?.length && !cursor.currentNode.hasError ? candidates.pop() : undefined;
      if (node && !root.error) {
        shift(node, start - node.start);
        node.parent = root;
      } else {
        node = buildFromCursor(cursor, types, root);
      }
      root.children.push(node);
    } while (cursor.gotoNextSibling());
    return root;
  } finally {
    cursor.delete();
  }
}

/**
 * Builds the light root of `tree` (its children left to the caller) and the subtrees of the
 * top-level statements that end after `from` and start before `until` (the first may start before
 * `from`); `next` is the span of the statement that follows them.
 */
export function buildChanged(
  tree: Tree,
  from: number,
  until: number,
): { root: AstNode; changed: AstNode[]; next: { type: string; start: number; end: number } | undefined } {
  const cursor = tree.walk();
  try {
    const types = typeNames(cursor);
    const root = makeNode(cursor, types, null);
    root.children = [];
    const changed: AstNode[] = [];
    // (TreeCursor.gotoFirstChildForIndex finds nothing in web-tree-sitter 0.25; the Node method works.)
    let node = tree.rootNode.firstNamedChildForIndex(from);
    while (node && node.endIndex <= from) node = node.nextNamedSibling;
    for (; node; node = node.nextNamedSibling) {
      if (node.startIndex >= until) return { root, changed, next: { type: node.type, start: node.startIndex, end: node.endIndex } };
      const statement = node.walk();
      try {
        changed.push(buildFromCursor(statement, types, root));
      } finally {
        statement.delete();
      }
    }
    return { root, changed, next: undefined };
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
function buildFromCursor(cursor: TreeCursor, types: string[], parent: AstNode): AstNode {
  const root = makeNode(cursor, types, parent);
  const stack: AstNode[] = [root];
  const depthLimit = 100_000;
  if (!cursor.gotoFirstChild()) return root;
  root.children = [];
  for (;;) {
    const top = stack[stack.length - 1];
    let node: AstNode | null = null;
    // Comments and `\` continuations sit between a call's arguments: rules must not count them.
    if ((cursor.nodeIsNamed || cursor.nodeIsMissing) && !SKIPPED.has(types[cursor.nodeTypeId] ?? '')) {
      node = makeNode(cursor, types, top);
      top.children.push(node);
    }
    // Descend into named nodes only: anonymous ones (punctuation, keywords) have no named children.
    if (node && stack.length < depthLimit && cursor.gotoFirstChild()) {
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

const SKIPPED = new Set(['comment', 'line_continuation']);

// Not frozen: a frozen array has its own elements kind, which would make every loop over children polymorphic.
const NO_CHILDREN: AstNode[] = [];

/** A node's children are all in: its array is copied to its exact length (pushing over-allocates). */
function finish(node: AstNode): void {
  node.children = node.children.length ? node.children.slice() : NO_CHILDREN;
}

const fieldNames = new WeakMap<object, (string | null)[]>();
const typeNameCache = new WeakMap<object, string[]>();

function typeNames(cursor: TreeCursor): string[] {
  const language = (cursor as unknown as { tree: Tree }).tree.language;
  let names = typeNameCache.get(language);
  if (!names) {
    names = [];
    for (let i = 0; i < language.nodeTypeCount; i++) names.push(language.nodeTypeForId(i) ?? '');
    typeNameCache.set(language, names);
    const fields: (string | null)[] = [];
    for (let i = 0; i <= language.fieldCount; i++) fields.push(language.fieldNameForId(i));
    fieldNames.set(language, fields);
  }
  return names;
}

function makeNode(cursor: TreeCursor, types: string[], parent: AstNode | null): AstNode {
  const typeId = cursor.nodeTypeId;
  const type = cursor.nodeIsMissing ? 'MISSING' : typeId === 65535 ? 'ERROR' : types[typeId];
  const fieldId = cursor.currentFieldId;
  const language = (cursor as unknown as { tree: Tree }).tree.language;
  const field = fieldId ? (fieldNames.get(language)![fieldId] ?? null) : null;
  return {
    type,
    field,
    start: cursor.startIndex,
    end: cursor.endIndex,
    children: NO_CHILDREN,
    parent,
    error: type === 'ERROR' || type === 'MISSING' || (parent !== null && parent.error),
  };
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
export function* descendants(node: AstNode): Generator<AstNode> {
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}

/** Like `descendants`, but does not enter nested function, lambda and class bodies. */
export function* descendantsInScope(node: AstNode): Generator<AstNode> {
  const stack: AstNode[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n !== node && SCOPE_TYPES.has(n.type)) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
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

/** Strips parentheses: `(a)` -> `a`. */
export function unparen(node: AstNode): AstNode {
  let n = node;
  while (n.type === 'parenthesized_expression' && n.children.length === 1) n = n.children[0];
  return n;
}
