// What a loop (or a function body) binds and mutates: the basis of every "is this really invariant?" question.
import { type AstNode, child, descendantsInScope, SCOPE_TYPES, unparen } from '../ast';
import type { Scope, Semantics } from './semantics';

export interface LoopFacts {
  readonly node: AstNode;
  /** Names bound by the loop: its targets and every assignment in its body. */
  readonly assigned: Set<string>;
  /** Names whose object the loop changes in place (`a[i] = ..`, `a += ..`, `a.append(..)`, `a.x = ..`). */
  readonly mutated: Set<string>;
  /** For each of those, the attributes it was changed through (`x` for `a.x = ..`), `*` for the object itself or its items. */
  readonly mutatedParts: Map<string, Set<string>>;
  /** Attribute chains assigned in the loop (`self.count`). */
  readonly assignedAttributes: Set<string>;
  /** Whether the loop body calls something that may change any state (an unknown function). */
  readonly callsUnknown: boolean;
}

/** Methods that change their receiver. Torch's in-place methods end in `_` and are matched apart. */
export const MUTATING_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'update', 'add', 'discard', 'sort', 'reverse',
  'setdefault', 'popitem', 'fill', 'resize', 'put', 'itemset', 'partition', 'step', 'backward', 'zero_grad',
  'write', 'send', 'push', 'appendleft', 'extendleft', 'rotate', 'setflags', 'load_state_dict', 'train', 'eval',
]);

/** Functions and methods that change their first argument in place. */
const ARGUMENT_MUTATING = new Set(['shuffle', 'copyto', 'put', 'place', 'putmask', 'fill_diagonal', 'put_along_axis']);

/** `range(...)`, or `reversed(range(...))` (a backward sweep: discounted returns, smoothers). */
export function isRange(node: AstNode, scope: Scope, sem: Semantics): boolean {
  const n = unparen(node);
  if (n.type !== 'call') return false;
  const name = sem.bareCallee(n);
  if (name === 'reversed' && sem.isBuiltin(name, scope)) {
    const args = child(n, 'arguments')?.children ?? [];
    return args.length === 1 && isRange(args[0], scope, sem);
  }
  return name === 'range' && sem.isBuiltin(name, scope);
}

/** Wrappers that hand on what their arguments yield: `enumerate(loader)`, `tqdm(df.iterrows())`. */
const ITERATION_WRAPPERS = /^(enumerate|zip|iter|islice|itertools\.islice|(\w+\.)?tqdm)$/;

/** The iterables a loop's iterable draws from: itself, or the arguments of the wrappers around them. */
export function iterationSources(node: AstNode, sem: Semantics): AstNode[] {
  const n = unparen(node);
  const fn = n.type === 'call' ? child(n, 'function') : undefined;
  if (!fn || !ITERATION_WRAPPERS.test(sem.text(fn))) return [n];
  const args = child(n, 'arguments')?.children.filter((a) => a.type !== 'comment' && a.type !== 'keyword_argument') ?? [];
  return args.flatMap((a) => iterationSources(a, sem));
}

export function isMutatingMethod(name: string): boolean {
  return MUTATING_METHODS.has(name) || (name.endsWith('_') && !name.startsWith('_'));
}

export function loopFacts(loop: AstNode, sem: Semantics): LoopFacts {
  const facts: LoopFacts = {
    node: loop,
    assigned: new Set(),
    mutated: new Set(),
    mutatedParts: new Map(),
    assignedAttributes: new Set(),
    callsUnknown: false,
  };
  let callsUnknown = false;
  const changed = (node: AstNode) => {
    const base = baseName(node, sem);
    if (!base) return;
    facts.mutated.add(base);
    const parts = facts.mutatedParts.get(base) ?? new Set<string>();
    parts.add(changedPart(node, sem));
    facts.mutatedParts.set(base, parts);
  };
  const bind = (target: AstNode | undefined, augmented: boolean) => {
    if (!target) return;
    const t = unparen(target);
    switch (t.type) {
      case 'identifier': {
        const name = sem.text(t);
        facts.assigned.add(name);
        if (augmented) changed(t);
        break;
      }
      case 'subscript':
      case 'attribute': {
        changed(t);
        if (t.type === 'attribute') facts.assignedAttributes.add(sem.text(t));
        break;
      }
      default:
        for (const c of t.children) bind(c, augmented);
    }
  };
  for (const n of descendantsInScope(loop)) {
    if (n !== loop && SCOPE_TYPES.has(n.type)) continue;
    switch (n.type) {
      case 'for_statement':
      case 'for_in_clause':
        bind(child(n, 'left'), false);
        break;
      case 'assignment':
        bind(child(n, 'left'), false);
        break;
      case 'augmented_assignment':
        bind(child(n, 'left'), true);
        break;
      case 'named_expression':
        bind(child(n, 'name'), false);
        break;
      case 'as_pattern':
        bind(child(n, 'alias'), false);
        break;
      case 'delete_statement':
        for (const c of n.children) bind(c, true);
        break;
      case 'call': {
        const m = sem.methodCall(n);
        const callee = sem.calleeName(n);
        // `np.append(...)` is a module's function, not a list's method; a method called on what a
        // module's function returns (`torch.zeros_like(x).scatter_(...)`) changes that new object.
        const receiver = m && unparen(m.receiver);
        const fresh = receiver?.type === 'call' && !!sem.calleeName(receiver);
        if (m && !callee && !fresh && isMutatingMethod(m.method)) {
          changed(m.receiver);
        }
        // `rng.shuffle(x)`, `np.copyto(x, ...)`, `nn.init.normal_(w)`: the first argument is changed.
        const fn = callee ? callee.split('.').pop()! : m?.method;
        const first = child(n, 'arguments')?.children.find((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
        if (fn && first && (ARGUMENT_MUTATING.has(fn) || (!!callee && isMutatingMethod(fn) && fn.endsWith('_')))) {
          changed(first);
        }
        // Arguments passed as `out=` are written to.
        const args = child(n, 'arguments');
        for (const a of args?.children ?? []) {
          if (a.type === 'keyword_argument' && sem.text(child(a, 'name') ?? a) === 'out') {
            const v = child(a, 'value');
            if (v) changed(v);
          }
        }
        if (!sem.calleeName(n) && !m) {
          const name = sem.bareCallee(n);
          if (!name || !PURE_BUILTINS.has(name)) callsUnknown = true;
        } else if (m && !sem.calleeName(n)) {
          callsUnknown = true;
        }
        break;
      }
    }
  }
  return { ...facts, callsUnknown };
}

/** `a` for `a`, `a[i]`, `a.b.c`, `a[i].b`. */
export function baseName(node: AstNode, sem: Semantics): string | undefined {
  let n = unparen(node);
  for (;;) {
    if (n.type === 'identifier') return sem.text(n);
    if (n.type === 'subscript') n = child(n, 'value') ?? n;
    else if (n.type === 'attribute') n = child(n, 'object') ?? n;
    else if (n.type === 'call') n = child(n, 'function') ?? n;
    else return undefined;
    n = unparen(n);
    if (n.type !== 'identifier' && n.type !== 'subscript' && n.type !== 'attribute' && n.type !== 'call') return undefined;
  }
}

/** The attribute of its base name that a changed expression goes through (`x` in `a.x[i]`), or `*`. */
function changedPart(node: AstNode, sem: Semantics): string {
  let part = '*';
  for (let n = unparen(node); n.type !== 'identifier'; n = unparen(n)) {
    if (n.type === 'attribute') {
      part = sem.text(child(n, 'attribute') ?? n);
      n = child(n, 'object') ?? n;
    } else if (n.type === 'subscript') {
      part = '*';
      n = child(n, 'value') ?? n;
    } else {
      return '*';
    }
  }
  return part;
}

export const PURE_BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'chr', 'complex', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'format',
  'frozenset', 'hash', 'int', 'isinstance', 'len', 'list', 'map', 'max', 'min', 'ord', 'pow', 'range', 'repr',
  'reversed', 'round', 'set', 'sorted', 'str', 'sum', 'tuple', 'zip', 'getattr', 'hasattr', 'iter', 'type',
]);
