// How many items a loop runs over, when the code says: literals, module constants, small ranges.
import { type AstNode, child, COMPREHENSION_TYPES, descendantsInScope, operatorBetween, SCOPE_TYPES, unparen } from '../ast';
import type { Scope, Semantics } from './semantics';

/**
 * An iterable of at most `limit` items: a literal, a module constant collection, a `range(4)` (or a
 * range up to a constant or a parameter's default), a `[:10]` slice, `[0] * order`, a comprehension
 * or `zip` over one of those, or a local bound once to one of those (`keys = list(GRID)`). With
 * `literalOnly`, only literals and constant collections count (not ranges, slices or repeats).
 */
export function isSmallCollection(iterable: AstNode, sem: Semantics, scope: Scope, limit: number, literalOnly = false, followLocal = true): boolean {
  const small = (n: AstNode) => isSmallCollection(n, sem, scope, limit, literalOnly, followLocal);
  let it = unparen(iterable);
  if (it.type === 'call') {
    const name = sem.bareCallee(it);
    const args = child(it, 'arguments')?.children.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment') ?? [];
    if (name === 'range' && !literalOnly && args.length === 1) {
      const stop = integerValue(args[0], sem, scope);
      return stop !== undefined && stop <= limit;
    }
    // `zip` stops at its shortest argument.
    if (name === 'zip') return args.some(small);
    if ((name === 'enumerate' || name === 'sorted' || name === 'reversed' || name === 'list') && args[0]) it = unparen(args[0]);
    const m = sem.methodCall(it);
    if (m && (m.method === 'items' || m.method === 'keys' || m.method === 'values')) it = unparen(m.receiver);
  }
  if (it.type === 'subscript' && !literalOnly) {
    const slice = it.children.find((c) => c.field === 'subscript');
    const stop = slice?.type === 'slice' && /^\s*:/.test(sem.text(slice)) ? slice.children.find((c) => c.type !== ':') : undefined;
    const value = stop && integerValue(stop, sem, scope);
    if (value !== undefined && value <= TOP_K) return true;
  }
  if (['list', 'tuple', 'set', 'dictionary'].includes(it.type)) return it.children.length <= limit;
  if (!literalOnly && COMPREHENSION_TYPES.has(it.type)) {
    const clauses = it.children.filter((c) => c.type === 'for_in_clause');
    const source = clauses.length === 1 ? child(clauses[0], 'right') : undefined;
    return !!source && small(source);
  }
  const [left, right] = it.type === 'binary_operator' ? [child(it, 'left'), child(it, 'right')] : [];
  if (!literalOnly && left && right && operatorBetween(sem.source, left, right) === '*') {
    // `[0] * order`: the literal's items, repeated.
    const [list, times] = unparen(left).type === 'list' ? [unparen(left), right] : [unparen(right), left];
    const count = list.type === 'list' ? integerValue(times, sem, scope) : undefined;
    return count !== undefined && list.children.length * count <= limit;
  }
  if (it.type === 'identifier') {
    const name = sem.text(it);
    if (!scope.isModule && (scope.bound.has(name) || scope.params.has(name))) {
      // `keys = list(GRID)` and then `for k in keys`: as many items as the collection it copies.
      const value = followLocal && !scope.params.has(name) ? onlyAssignment(scope.node, name, sem) : undefined;
      return !!value && isSmallCollection(value, sem, scope, limit, literalOnly, false);
    }
    const size = sem.collectionSizes.get(name);
    return size !== undefined && size <= limit;
  }
  return false;
}

/** The most items a `[:k]` cut-off is taken to keep when its bound is known. */
const TOP_K = 50;

/**
 * The value of an integer bound: a literal, a module constant (`CUTOFF = 10`), a parameter that
 * defaults to one of those and is never re-bound (`k: int = CUTOFF`), or a local bound once to one
 * of those (`order = MAX_ORDER`).
 */
export function integerValue(node: AstNode, sem: Semantics, scope: Scope, followLocal = true): number | undefined {
  const n = unparen(node);
  if (n.type === 'integer') return Number(sem.text(n).replace(/_/g, ''));
  if (n.type !== 'identifier') return undefined;
  const name = sem.text(n);
  if (!scope.isModule && scope.params.has(name)) {
    const fallback = parameterDefault(scope.node, name, sem);
    if (fallback?.type === 'identifier') return sem.integerConstants.get(sem.text(fallback));
    return fallback?.type === 'integer' ? integerValue(fallback, sem, scope) : undefined;
  }
  if (scope.isModule || !scope.bound.has(name)) return sem.integerConstants.get(name);
  const value = followLocal ? onlyAssignment(scope.node, name, sem) : undefined;
  return value && integerValue(value, sem, scope, false);
}

/** `k` in `def f(xs, k: int = 10)`, when the body never assigns it: its default value. */
function parameterDefault(fn: AstNode, name: string, sem: Semantics): AstNode | undefined {
  const params = child(fn, 'parameters');
  const p = params?.children.find((c) => (c.type === 'default_parameter' || c.type === 'typed_default_parameter') && sem.text(child(c, 'name') ?? c) === name);
  if (!p || onlyAssignment(fn, name, sem, true)) return undefined;
  return child(p, 'value');
}

/** The value of the one plain assignment to `name` in a function's scope. */
export function onlyAssignment(scopeNode: AstNode, name: string, sem: Semantics, anyBinding = false): AstNode | undefined {
  let value: AstNode | undefined;
  for (const n of descendantsInScope(scopeNode)) {
    if (n === scopeNode || !SCOPE_TYPES.has(n.type)) {
      const target = n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement' || n.type === 'for_in_clause' ? child(n, 'left') : n.type === 'named_expression' ? child(n, 'name') : undefined;
      if (!target || !bindsName(target, name, sem)) continue;
      if (anyBinding) return n;
      if (value || n.type !== 'assignment') return undefined;
      value = assignedPart(target, child(n, 'right'), name, sem);
      if (!value) return undefined;
    }
  }
  return value;
}

/** Whether an assignment target binds `name` (`counts[i] = ...` and `self.x = ...` bind no name). */
function bindsName(target: AstNode, name: string, sem: Semantics): boolean {
  const t = unparen(target);
  if (t.type === 'identifier') return sem.text(t) === name;
  if (t.type === 'subscript' || t.type === 'attribute') return false;
  return t.children.some((c) => bindsName(c, name, sem));
}

/** What `name` gets in `name = value`, or in `a, name = x, y` (undefined for other unpacking). */
function assignedPart(target: AstNode, value: AstNode | undefined, name: string, sem: Semantics): AstNode | undefined {
  if (target.type === 'identifier') return value;
  const values = value?.type === 'expression_list' || value?.type === 'tuple' ? value.children : undefined;
  const at = target.type === 'pattern_list' || target.type === 'tuple_pattern' ? target.children.findIndex((t) => t.type === 'identifier' && sem.text(t) === name) : -1;
  return at >= 0 && values?.length === target.children.length ? values[at] : undefined;
}
