// The shape of a numeric loop nest: which loops index arrays element by element, and whether
// array operations express the nest (an un-vectorized loop) or its state needs a compiler (Numba).
import { type AstNode, child, COMPREHENSION_TYPES, descendants, descendantsInScope, LOOP_TYPES, SCOPE_TYPES, unparen } from '../../ast';
import { instanceAttributeKind } from '../../semantics/calls';
import { isSmallCollection } from '../../semantics/collections';
import { isRange } from '../../semantics/loops';
import { isArrayKind, moduleUsesArrays, type Scope, type Semantics } from '../../semantics/semantics';

export interface NumericLoop {
  kind: 'vectorizable' | 'numba';
  /** Why, in a few words, for the message: "a running sum", "state that resets", ... */
  reason: string;
  /** The loops of the nest, outermost first; the finding is anchored on the first. */
  nest: AstNode[];
}

/** What element-wise work may call: math on scalars, NumPy/torch functions, reductions of slices. */
const NUMERIC_MODULES = /^(math|cmath|numpy|torch|scipy\.special)\./;
/** Whole-array work, constructors and I/O: not what an element loop does per element. */
const NON_NUMERIC_NUMPY = /^numpy\.(random|linalg\.(?!norm\b)|fft|save|load|savez|savetxt|loadtxt|genfromtxt|printoptions|set_printoptions|array|asarray|zeros|ones|empty|full|eye|identity|arange|linspace)\b/;
const SCALAR_BUILTINS = new Set(['abs', 'min', 'max', 'float', 'int', 'round', 'len', 'range', 'pow', 'bool', 'divmod']);
const ARRAY_METHODS = new Set([
  'sum', 'mean', 'std', 'var', 'min', 'max', 'prod', 'dot', 'argmax', 'argmin', 'any', 'all', 'item', 'cumsum', 'clip', 'astype', 'copy',
  // Tensors' element-wise methods (`probs[i].clamp_min(1e-12).log()`).
  'clamp', 'clamp_min', 'clamp_max', 'log', 'log1p', 'exp', 'sqrt', 'abs', 'pow', 'square', 'sigmoid', 'tanh',
]);

/**
 * Classifies `loop` as the head of a numeric nest. Undefined when it is not one: not numeric, not
 * indexing arrays element by element, or part of a larger nest (the outer loop then reports).
 */
export function classifyNumericLoop(loop: AstNode, sem: Semantics): NumericLoop | undefined {
  if ((loop.type !== 'for_statement' && loop.type !== 'while_statement') || sem.isCompiled(loop)) return undefined;
  const own = analyzeNest(loop, sem);
  if (!own) return undefined;
  // An enclosing element loop whose whole body is numeric makes this loop part of its nest.
  for (let p = loop.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if ((p.type === 'for_statement' || p.type === 'while_statement') && analyzeNest(p, sem)) return undefined;
  }
  return own;
}

function analyzeNest(loop: AstNode, sem: Semantics): NumericLoop | undefined {
  return sem.memo('numeric-nest', loop, () => {
    const scope = sem.enclosingScope(loop);
    const nest: AstNode[] = [];
    if (!collectNest(loop, scope, sem, nest)) return undefined;
    const indices = new Set(nest.flatMap((l) => loopTargets(l, sem)));
    if (!usesArraysByElement(nest, indices, scope, sem) || !doesElementWork(loop, sem)) return undefined;
    // Time steps whose inner loops work on the step before (`alpha[t, j]` from `alpha[t - 1, i]`):
    // a necessary outer loop, not part of the nest; its inner loops report on their own.
    const conflict = readsEarlierWrites(nest, sem);
    if (nest.length > 1 && (conflict === 'outer' || swapsBuffers(loop, scope, sem))) return undefined;
    const numba = numbaReason(nest, conflict, sem);
    return numba
      ? { kind: 'numba' as const, reason: numba, nest }
      : { kind: 'vectorizable' as const, reason: vectorReason(nest, sem), nest };
  });
}

/**
 * `alpha = new` at the end of each step, `new` filled by the inner loops from `alpha`: time steps
 * over double buffers, a necessary outer loop like `readsEarlierWrites`'s.
 */
function swapsBuffers(loop: AstNode, scope: Scope, sem: Semantics): boolean {
  const body = child(loop, 'body')!;
  for (const stmt of body.children) {
    const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
    const [left, right] = e?.type === 'assignment' ? [child(e, 'left'), child(e, 'right')] : [];
    if (left?.type !== 'identifier' || !right || unparen(right).type !== 'identifier' || !isArrayKind(sem.kindOf(right, scope))) continue;
    // Read earlier in the step (by the inner loops), replaced at its end.
    const name = sem.text(left);
    if (descendants(body).some((n) => n.end <= stmt.start && n.type === 'identifier' && sem.text(n) === name)) return true;
  }
  return false;
}

/** Checks that `loop` is an element loop with a numeric body; collects it and its inner loops. */
function collectNest(loop: AstNode, scope: Scope, sem: Semantics, nest: AstNode[]): boolean {
  if (loop.type === 'while_statement') {
    // A counting `while` walks its index as `for i in range(...)` does.
    const index = whileIndex(loop, sem);
    const block = child(loop, 'body');
    if (!block) return false;
    // Or a worklist: `while stack: i, j = stack.pop()`, positions taken off a list as they come.
    const items = index ? [index] : worklistItems(loop, sem);
    if (!items.some((item) => indexesElements(block, item, sem)) || slicesPerIteration(block, new Set(items), sem, scope)) return false;
    nest.push(loop);
    return numericBlock(block, scope, sem, nest);
  }
  const right = child(loop, 'right');
  const left = child(loop, 'left');
  const body = child(loop, 'body');
  if (!right || !left || !body || child(loop, 'alternative')) return false;
  if (!isElementIteration(loop, right, left, scope, sem)) return false;
  nest.push(loop);
  return numericBlock(body, scope, sem, nest);
}

function numericBlock(block: AstNode, scope: Scope, sem: Semantics, nest: AstNode[]): boolean {
  for (const stmt of block.children) {
    switch (stmt.type) {
      case 'comment':
      case 'pass_statement':
      case 'continue_statement':
      case 'break_statement':
        break;
      case 'return_statement':
        if (!stmt.children.every((c) => numericExpression(c, scope, sem, nest[0]))) return false;
        break;
      case 'expression_statement': {
        const e = stmt.children[0];
        if (!e) return false;
        if (e.type === 'assignment' || e.type === 'augmented_assignment') {
          const right = child(e, 'right');
          if (!right || child(e, 'type') || !numericTarget(child(e, 'left'), sem) || !numericExpression(right, scope, sem, nest[0])) return false;
        } else if (e.type === 'call') {
          // `out.append(expr)`: collecting results in a list.
          const m = sem.methodCall(e);
          const args = child(e, 'arguments');
          if (!m || m.method !== 'append' || unparen(m.receiver).type !== 'identifier' || !args) return false;
          if (!args.children.every((a) => numericExpression(a, scope, sem, nest[0]))) return false;
          // `segments.append((start, t, text_ids))` with `text_ids = []`: lists of lists, plain Python.
          if (descendants(args).some((d) => d.type === 'identifier' && listNames(scope, sem).has(sem.text(d)))) return false;
        } else return false;
        break;
      }
      case 'if_statement': {
        for (const c of stmt.children) {
          if (c.field === 'condition') {
            if (!numericExpression(c, scope, sem, nest[0])) return false;
          } else if (c.type === 'block') {
            if (!numericBlock(c, scope, sem, nest)) return false;
          } else if (c.type === 'elif_clause') {
            const cond = child(c, 'condition');
            const cons = child(c, 'consequence');
            if (!cond || !cons || !numericExpression(cond, scope, sem, nest[0]) || !numericBlock(cons, scope, sem, nest)) return false;
          } else if (c.type === 'else_clause') {
            const b = child(c, 'body');
            if (!b || !numericBlock(b, scope, sem, nest)) return false;
          } else if (c.type !== 'comment') return false;
        }
        break;
      }
      case 'for_statement':
        // `for di in (-1, 0, 1)`: a neighbourhood's offsets, part of the element's work.
        if (isOffsetLoop(stmt, sem)) {
          if (!numericBlock(child(stmt, 'body')!, scope, sem, nest)) return false;
        } else if (!collectNest(stmt, scope, sem, nest)) return false;
        break;
      case 'while_statement': {
        // Runs a data-dependent number of times (path compression, a search): the nest needs a compiler.
        const cond = child(stmt, 'condition');
        const b = child(stmt, 'body');
        if (!cond || !b || child(stmt, 'alternative') || !numericExpression(cond, scope, sem, nest[0]) || !numericBlock(b, scope, sem, nest)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

function numericTarget(target: AstNode | undefined, sem: Semantics): boolean {
  if (!target) return false;
  const t = unparen(target);
  if (t.type === 'identifier') return true;
  // `out[i]`, or an instance's array, `self.vel[k]`.
  if (t.type === 'subscript') return isNamePath(child(t, 'value')) && !hasString(t);
  if (t.type === 'pattern_list' || t.type === 'tuple_pattern') return t.children.every((c) => numericTarget(c, sem));
  return false;
}

/** `x` or `self.x`: a name, or an attribute of one. */
/** Names the scope binds to a list, dict or set display (`ids = []`): Python containers. */
function listNames(scope: Scope, sem: Semantics): Set<string> {
  return sem.memo('list-names', scope.node, () => {
    const names = new Set<string>();
    const body = scope.isModule ? scope.node : child(scope.node, 'body');
    for (const n of body ? descendantsInScope(body) : []) {
      if (n.type !== 'assignment') continue;
      const left = child(n, 'left');
      const right = child(n, 'right');
      const targets = left?.type === 'identifier' ? [left] : left?.type === 'pattern_list' ? left.children : [];
      const values = right?.type === 'expression_list' ? right.children : right ? [right] : [];
      targets.forEach((t, k) => {
        const v = values.length === targets.length ? unparen(values[k]) : undefined;
        if (t.type === 'identifier' && v && CONTAINER_DISPLAYS.has(v.type)) names.add(sem.text(t));
      });
    }
    return names;
  });
}

const CONTAINER_DISPLAYS = new Set(['list', 'dictionary', 'set', 'list_comprehension', 'dictionary_comprehension', 'set_comprehension']);

function isNamePath(node: AstNode | undefined): boolean {
  return node?.type === 'identifier' || (node?.type === 'attribute' && child(node, 'object')?.type === 'identifier');
}

function hasString(n: AstNode): boolean {
  for (const d of descendants(n)) if (d.type === 'string' || d.type === 'concatenated_string') return true;
  return false;
}

/** Arithmetic, comparisons, subscripts and numeric calls only (no strings, dicts, lambdas, unknown calls). */
function numericExpression(node: AstNode, scope: Scope, sem: Semantics, head: AstNode): boolean {
  for (const n of descendants(node)) {
    switch (n.type) {
      case 'string':
      case 'concatenated_string':
      case 'dictionary':
      case 'set':
      case 'lambda':
      case 'await':
      case 'yield':
        return false;
      case 'call':
        if (!numericCall(n, scope, sem) && !hoistable(n, head, scope, sem)) return false;
        break;
      default:
        if (COMPREHENSION_TYPES.has(n.type)) return false;
    }
  }
  return true;
}

/**
 * A library call that reads nothing the nest changes (`inv(cov)`, `np.hanning(n)`, `np.array([a, b])`,
 * `np.zeros(3)` for a row's accumulator): it does not make the loop's element work any less vectorizable.
 */
function hoistable(call: AstNode, head: AstNode, scope: Scope, sem: Semantics): boolean {
  const callee = sem.calleeName(call, scope);
  if (!callee || !NON_NUMERIC_NUMPY.test(callee) || /^numpy\.(random|save|load|savez|savetxt|loadtxt|genfromtxt|printoptions|set_printoptions)\b/.test(callee)) return false;
  const facts = sem.loop(head);
  for (const d of descendants(call)) {
    if (d.type === 'lambda' || (d.type === 'call' && d !== call) || COMPREHENSION_TYPES.has(d.type)) return false;
    if (d.type !== 'identifier' || (d.field === 'attribute' && d.parent?.type === 'attribute') || (d.field === 'name' && d.parent?.type === 'keyword_argument')) continue;
    if (facts.assigned.has(sem.text(d)) || facts.mutated.has(sem.text(d))) return false;
  }
  return true;
}

function numericCall(call: AstNode, scope: Scope, sem: Semantics): boolean {
  const callee = sem.calleeName(call, scope);
  if (callee) {
    if (!NUMERIC_MODULES.test(callee) || NON_NUMERIC_NUMPY.test(callee)) return false;
    if (/^torch\.(nn\.(?!functional)|optim|utils|cuda|save|load|manual_seed|rand)/.test(callee)) return false;
    return true;
  }
  const bare = sem.bareCallee(call);
  if (bare) return SCALAR_BUILTINS.has(bare) && sem.isBuiltin(bare, scope);
  const m = sem.methodCall(call);
  // Taking the next position off a worklist.
  if (m && TAKE_METHODS.has(m.method) && unparen(m.receiver).type === 'identifier' && !child(call, 'arguments')?.children.some((a) => a.type === 'keyword_argument')) return true;
  if (!m || !ARRAY_METHODS.has(m.method)) return false;
  const recv = unparen(m.receiver);
  // `(diff * diff).sum()`, `x[i:i + w].mean()`, `row.dot(w)`: reductions of array values.
  return recv.type === 'binary_operator' || recv.type === 'subscript' || recv.type === 'identifier' || recv.type === 'call';
}

/** `for i in range(...)`, or a walk over the elements of arrays (`for v in x`, `zip(a, b)`, `enumerate(x)`). */
function isElementIteration(loop: AstNode, right: AstNode, left: AstNode, scope: Scope, sem: Semantics): boolean {
  const it = unparen(right);
  const targets = loopTargetNodes(left);
  if (!targets) return false;
  const body = child(loop, 'body')!;
  if (slicesPerIteration(body, new Set(targets.map((t) => sem.text(t))), sem, scope) && !reducesEachSlice(loop, scope, sem)) return false;
  if (isRange(it, scope, sem)) {
    // The index must pick single elements somewhere, not only bound slices (batch loops do that),
    // or bound the range of an inner element loop (`for k in range(i, n)`: a ragged nest).
    return targets.length === 1 && (indexesElements(body, sem.text(targets[0]), sem) || boundsInnerElementLoop(body, sem.text(targets[0]), sem));
  }
  let sources: AstNode[] = [it];
  let elementTargets = targets;
  const method = it.type === 'call' ? sem.methodCall(it) : undefined;
  if (it.type === 'call' && !(method && SAME_ELEMENTS.has(method.method))) {
    const name = sem.bareCallee(it);
    const args = child(it, 'arguments')?.children.filter((a) => a.type !== 'keyword_argument') ?? [];
    if (name === 'zip') {
      sources = args;
      if (targets.length !== args.length) return false;
    } else if (name === 'enumerate') {
      sources = args.slice(0, 1);
      elementTargets = targets.slice(1);
      if (targets.length !== 2) return false;
    } else return false;
  }
  if (!sources.length || !sources.every((s) => isArraySource(s, scope, sem))) return false;
  // A column's items are scalars: unpacking each into several names means they are Python tuples.
  if (sources.length === 1 && elementTargets.length > 1 && sem.kindOf(unparen(sources[0]), scope) === 'series') return false;
  // So are those of a parameter that nothing shows to be an array (`for age, amount in policies`):
  // records, more often than the rows of a 2-D array; unless the items are positions into an array
  // (`for a, b in edges:` ... `parent[a]`), which come as integer arrays.
  if (sources.length === 1 && elementTargets.length > 1 && !isArrayKind(sem.kindOf(unparen(sources[0]), scope))) {
    if (!elementTargets.some((t) => positionsIntoArray(body, sem.text(t), scope, sem))) return false;
  }
  // The elements must be used as scalars: a row used as an array (`rec.shape`, `rec[i]`) makes
  // this an outer loop over a ragged collection, not an element loop.
  // ...and used at all: a loop that only counts its iterations does no element work.
  return elementTargets.every((t) => usedAsScalar(body, sem.text(t), sem, scope)) && elementTargets.some((t) => mentions(body, sem.text(t), sem));
}

/** `parent[a]` with `parent` an array: `name` is used as a position into an array. */
function positionsIntoArray(body: AstNode, name: string, scope: Scope, sem: Semantics): boolean {
  return descendants(body).some((n) => {
    if (n.type !== 'subscript' || !isArrayKind(sem.kindOf(child(n, 'value')!, scope))) return false;
    return n.children.some((c) => c.field === 'subscript' && c.type === 'identifier' && sem.text(c) === name);
  });
}

/** `for dy, dx in ((-1, 0), (1, 0), (0, -1), (0, 1))`: a few literal offsets or positions. */
function isOffsetLoop(loop: AstNode, sem: Semantics): boolean {
  const right = unparen(child(loop, 'right')!);
  const left = loopTargetNodes(child(loop, 'left')!);
  if (!left || child(loop, 'alternative') || (right.type !== 'tuple' && right.type !== 'list') || !right.children.length || right.children.length > 9) return false;
  const scalar = (n: AstNode) => !descendants(n).some((d) => d.type === 'call' || d.type === 'string' || d.type === 'subscript' || d.type === 'attribute');
  return right.children.every((item) => {
    const u = unparen(item);
    return u.type === 'tuple' ? u.children.length === left.length && u.children.every(scalar) : left.length === 1 && scalar(u);
  });
}

/** How a worklist gives up its next item: `stack.pop()`, `queue.popleft()`. */
const TAKE_METHODS = new Set(['pop', 'popleft']);

/**
 * `while stack:` (or `while queue:`) taking `i, j = stack.pop()` (`.popleft()`) off a local list each
 * time: the names each item is unpacked into, or none when the loop is not such a worklist.
 */
function worklistItems(loop: AstNode, sem: Semantics): string[] {
  const cond = unparen(child(loop, 'condition') ?? loop);
  const body = child(loop, 'body');
  if (cond.type !== 'identifier' || !body || child(loop, 'alternative')) return [];
  const list = sem.text(cond);
  for (const stmt of body.children) {
    const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
    const right = e?.type === 'assignment' ? unparen(child(e, 'right')!) : undefined;
    const m = right?.type === 'call' ? sem.methodCall(right) : undefined;
    if (!m || !TAKE_METHODS.has(m.method) || unparen(m.receiver).type !== 'identifier' || sem.text(unparen(m.receiver)) !== list) continue;
    const targets = loopTargetNodes(child(e!, 'left')!);
    return targets ? targets.map((t) => sem.text(t)) : [];
  }
  return [];
}

/**
 * The index of a counting loop, `while i < n: ...; i += 1`: compared with `<` or `<=`, stepped by a
 * constant as the body's last statement and changed nowhere else (no `continue` skips the step).
 */
function whileIndex(loop: AstNode, sem: Semantics): string | undefined {
  return sem.memo('while-index', loop, () => {
    const cond = child(loop, 'condition');
    const body = child(loop, 'body');
    if (!cond || !body || child(loop, 'alternative')) return undefined;
    const c = unparen(cond);
    if (c.type !== 'comparison_operator' || c.children.length !== 2) return undefined;
    const [left, right] = c.children;
    const op = sem.source.slice(left.end, right.start).trim();
    if (unparen(left).type !== 'identifier' || (op !== '<' && op !== '<=')) return undefined;
    const name = sem.text(unparen(left));
    // The step: `i += 1` last, or last in every branch of a closing `if`/`else` (`i += refractory`
    // after a peak, `i += 1` otherwise).
    const steps: AstNode[] = [];
    const lastSteps = (block: AstNode | undefined): boolean => {
      const stmts = block?.children.filter((st) => st.type !== 'comment') ?? [];
      const last = stmts[stmts.length - 1];
      if (last?.type === 'if_statement') {
        const branches = last.children.filter((c) => c.field === 'consequence' || c.type === 'elif_clause' || c.type === 'else_clause');
        if (!branches.some((c) => c.type === 'else_clause')) return false;
        return branches.every((c) => lastSteps(c.type === 'elif_clause' ? child(c, 'consequence') : c.type === 'else_clause' ? child(c, 'body') : c));
      }
      const step = last?.children[0];
      const target = step && child(step, 'left');
      const amount = step && child(step, 'right');
      if (step?.type !== 'augmented_assignment' || !target || !amount || sem.text(target) !== name) return false;
      if (sem.source.slice(target.end, amount.start).trim() !== '+=') return false;
      if (amount.type !== 'integer' && !(amount.type === 'identifier' && sem.text(amount) !== name)) return false;
      steps.push(step);
      return true;
    };
    if (!lastSteps(body)) return undefined;
    for (const d of descendants(body)) {
      if (d.type === 'continue_statement') return undefined;
      const bound = (d.type === 'assignment' || d.type === 'augmented_assignment') && !steps.includes(d) ? child(d, 'left') : undefined;
      if (bound && mentions(bound, name, sem)) return undefined;
    }
    return name;
  });
}

function loopTargetNodes(left: AstNode): AstNode[] | undefined {
  const l = unparen(left);
  if (l.type === 'identifier') return [l];
  if ((l.type === 'pattern_list' || l.type === 'tuple_pattern') && l.children.every((c) => c.type === 'identifier')) return l.children;
  return undefined;
}

function loopTargets(loop: AstNode, sem: Semantics): string[] {
  if (loop.type === 'while_statement') {
    const index = whileIndex(loop, sem);
    return index ? [index] : worklistItems(loop, sem);
  }
  const left = child(loop, 'left');
  return left ? (loopTargetNodes(left) ?? []).map((t) => sem.text(t)) : [];
}

/**
 * Whether each iteration works on whole slices picked by the loop's variables: a column or channel
 * (`X[:, j]`, `img[..., c]`), a mask (`X[labels == c]`), or a ragged piece whose bounds come from the data
 * (`idx[indptr[v]:indptr[v + 1]]`). Such a loop does vector work per iteration, not element work.
 * (A fixed-width window, `x[i:i + w]`, is still a sliding computation over elements.)
 */
function slicesPerIteration(body: AstNode, names: Set<string>, sem: Semantics, scope: Scope): boolean {
  const uses = (n: AstNode) => mentionsAny(n, names, sem);
  // `mask = (f >= lo) & (f < hi)`, then `pxx[mask]`.
  const masks = new Set<string>();
  for (const n of descendants(body)) {
    const left = n.type === 'assignment' ? child(n, 'left') : undefined;
    const right = n.type === 'assignment' ? child(n, 'right') : undefined;
    if (left?.type === 'identifier' && right && isMask(right, sem) && uses(right)) masks.add(sem.text(left));
  }
  for (const n of descendants(body)) {
    if (n.type === 'call' && variesWholeArrayWork(n, names, sem, scope) && !growsItsTarget(n, sem)) return true;
    if (n.type !== 'subscript') continue;
    const subs = n.children.filter((c) => c.field === 'subscript');
    const whole = subs.filter((c) => c.type === 'slice' || c.type === 'ellipsis');
    if (whole.length && subs.some((c) => !whole.includes(c) && uses(c))) return true;
    // `X[labels == c]`: a mask over the whole array, built again for each value of the loop.
    if (subs.some((c) => (isMask(c, sem) && uses(c)) || (unparen(c).type === 'identifier' && masks.has(sem.text(unparen(c)))))) return true;
    for (const slice of whole) {
      for (const d of descendants(slice)) if (d !== slice && d.type === 'subscript' && uses(d)) return true;
      // `field[m::12]`: every 12th item from the loop's offset on, a strided view of the whole array.
      const [start, stop, step] = sliceParts(slice, sem);
      if (start && uses(start) && !stop && step) return true;
    }
  }
  return false;
}

/**
 * `for j in range(K): s = alpha + trans[:, j]; new[j] = s.max() + ...`, or a row of a distance matrix
 * reduced under a mask for each anchor: every iteration reduces the loop's row or column to one value
 * and stores it at the loop's position (or appends it), carrying nothing to the next. Over a data
 * dimension that is the same reduction along an axis, for all rows at once; a per-group reduction
 * with `axis=` (a centroid per cluster) keeps a row per iteration and is left alone.
 */
function reducesEachSlice(loop: AstNode, scope: Scope, sem: Semantics): boolean {
  const right = unparen(child(loop, 'right')!);
  const left = unparen(child(loop, 'left')!);
  const body = child(loop, 'body')!;
  if (left.type !== 'identifier' || !isRange(right, scope, sem) || isSmallCollection(right, sem, scope, FEW_ITEMS)) return false;
  const index = sem.text(left);
  const statements = body.children.filter((c) => c.type !== 'comment');
  const last = statements[statements.length - 1];
  if (!last || carriedState(loop, sem).size) return false;
  for (const stmt of statements) {
    const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
    if (e?.type !== 'assignment' || child(e, 'type')) {
      // The result: collected in a list.
      const m = e?.type === 'call' && stmt === last ? sem.methodCall(e) : undefined;
      if (m?.method !== 'append' || unparen(m.receiver).type !== 'identifier') return false;
      continue;
    }
    const target = child(e, 'left')!;
    // Temporaries, and the result stored at the loop's position.
    const stored = target.type === 'subscript' && stmt === last && target.children.some((c) => c.field === 'subscript' && c.type !== 'slice' && mentions(c, index, sem));
    if (target.type !== 'identifier' && !stored) return false;
  }
  for (const n of descendants(body)) {
    if (n.type === 'keyword_argument' && /^(axis|dim|keepdims)$/.test(sem.text(child(n, 'name') ?? n))) return false;
    if (n.type === 'call' && !numericCall(n, scope, sem) && !(n.parent === last && sem.methodCall(n)?.method === 'append')) return false;
    if (LOOP_TYPES.has(n.type) || COMPREHENSION_TYPES.has(n.type)) return false;
  }
  return true;
}

/** A loop over this many items is a handful (classes, channels), not a data dimension. */
const FEW_ITEMS = 8;

/**
 * `acc = np.vstack([acc, [i, j]])`: growing an array by a piece (array growth, HP201), not work
 * on the whole array for each value of the loop.
 */
function growsItsTarget(call: AstNode, sem: Semantics): boolean {
  const assignment = call.parent?.type === 'assignment' && call.field === 'right' ? call.parent : undefined;
  const target = assignment && child(assignment, 'left');
  if (target?.type !== 'identifier') return false;
  const first = child(call, 'arguments')?.children.find((a) => a.type !== 'comment');
  const pieces = first && (unparen(first).type === 'list' || unparen(first).type === 'tuple') ? unparen(first).children : first ? [first] : [];
  return pieces.some((p) => unparen(p).type === 'identifier' && sem.text(unparen(p)) === sem.text(target));
}

/** A slice's start, stop and step (`a:b:c`), each absent when left out. */
function sliceParts(slice: AstNode, sem: Semantics): (AstNode | undefined)[] {
  const parts: (AstNode | undefined)[] = [undefined, undefined, undefined];
  let part = 0;
  let at = slice.start;
  for (const c of slice.children) {
    // The colons sit between the parts, outside them.
    part += (sem.source.slice(at, c.start).match(/:/g) ?? []).length;
    if (part < 3) parts[part] = c;
    at = c.end;
  }
  return parts;
}

/** A boolean array expression: a comparison, or comparisons joined by `&`, `|`, `~`, `and`, `not`. */
function isMask(node: AstNode, sem: Semantics): boolean {
  const n = unparen(node);
  if (n.type === 'comparison_operator' || n.type === 'boolean_operator' || n.type === 'not_operator') return true;
  if (n.type === 'unary_operator') return sem.source.slice(n.start, n.start + 1) === '~' && isMask(child(n, 'argument')!, sem);
  if (n.type !== 'binary_operator') return false;
  const l = child(n, 'left')!;
  const r = child(n, 'right')!;
  return ['&', '|', '^'].includes(sem.source.slice(l.end, r.start).trim()) && (isMask(l, sem) || isMask(r, sem));
}

/**
 * `np.roll(spins, r)`, `np.sum(x ** k)`: a NumPy call on a whole array with the loop's variable as
 * a parameter (a shift, a power), not as a position. Each iteration is whole-array work.
 */
function variesWholeArrayWork(call: AstNode, names: Set<string>, sem: Semantics, scope: Scope): boolean {
  const callee = sem.calleeName(call, scope) ?? '';
  if (!ARRAY_FUNCTIONS.test(callee)) return false;
  let args = child(call, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  // `np.interp(x, xp, fp)` works element by element on x: the loop's value varies whole-array work
  // only when x holds a whole array too (`np.interp(logw - np.log1p(z), xp, fp)`).
  const at = ELEMENTWISE_ARGUMENT[callee];
  if (at !== undefined) {
    const x = args.filter((a) => a.type !== 'keyword_argument')[at];
    if (!x) return false;
    args = [x];
  }
  // Its first argument is an array: a plain name there is a whole array.
  const first = args[0] && args[0].type !== 'keyword_argument' && at === undefined ? unparen(args[0]) : undefined;
  let whole = first?.type === 'identifier' && !names.has(sem.text(first));
  let parameter = false;
  // Positions (subscripts) are element reads; a nested call is judged on its own, but a value it
  // makes of the loop's variable (`np.log1p(z)`) is still a parameter of this call.
  const visit = (n: AstNode, inCall: boolean) => {
    if (n.type === 'subscript') return;
    if (n.type === 'identifier' && !(n.field === 'attribute' && n.parent?.type === 'attribute')) {
      if (names.has(sem.text(n))) parameter = true;
      else if (!inCall && isArrayKind(sem.kindOf(n, scope))) whole = true;
      return;
    }
    for (const c of n.children) visit(c, inCall || n.type === 'call');
  };
  for (const a of args) visit(a.type === 'keyword_argument' ? (child(a, 'value') ?? a) : a, false);
  return whole && parameter;
}

/** NumPy functions that take arrays, not scalars, as their first argument (reductions, reshaping, search, linear algebra). */
const ARRAY_FUNCTIONS =
  /^numpy\.(unique|sort|argsort|concatenate|stack|vstack|hstack|mean|sum|std|var|median|percentile|quantile|nan\w+|cumsum|cumprod|diff|histogram|bincount|ix_|dot|matmul|outer|inner|einsum|convolve|correlate|nonzero|argmax|argmin|amax|amin|max|min|any|all|prod|isin|in1d|searchsorted|take|reshape|ravel|transpose|tile|repeat|pad|roll|flip|trapz|trapezoid|polyfit|cov|corrcoef|count_nonzero|average|ptp|interp|linalg\.\w+|fft\.\w+)$/;

/**
 * Array functions with one argument that may be a single value, each computed on its own:
 * `np.interp(x, xp, fp)`, `np.searchsorted(edges, v)`, `np.digitize(x, bins)`.
 */
export const ELEMENTWISE_ARGUMENT: Readonly<Record<string, number>> = { 'numpy.interp': 0, 'numpy.searchsorted': 1, 'numpy.digitize': 0 };

function indexesElements(body: AstNode, index: string, sem: Semantics): boolean {
  // Positions computed from the index count too: `i = int(ox + s / n * dx)` then `grid[i, j]`.
  const derived = derivedNames(body, index, sem);
  for (const n of descendants(body)) {
    if (n.type !== 'subscript') continue;
    // `X[:, j]` picks a whole column: vector work per iteration, not element work.
    if (n.children.some((c) => c.field === 'subscript' && (c.type === 'slice' || c.type === 'ellipsis'))) continue;
    for (const c of n.children) {
      if (c.field !== 'subscript' || c.type === 'slice') continue;
      if (mentionsAny(c, derived, sem)) return true;
    }
  }
  return false;
}

/**
 * Whether `index`, or a name the body computes from it (`lo = int(j * width)`), is a bound of the
 * `range` of an inner loop that indexes elements.
 */
function boundsInnerElementLoop(body: AstNode, index: string, sem: Semantics): boolean {
  const derived = derivedNames(body, index, sem);
  return descendantsInScope(body).some((n) => {
    const right = n.type === 'for_statement' ? child(n, 'right') : undefined;
    const inner = right && loopTargetNodes(child(n, 'left')!);
    const innerBody = child(n, 'body');
    return !!right && inner?.length === 1 && !!innerBody && isRange(right, sem.enclosingScope(n), sem) && mentionsAny(right, derived, sem) && indexesElements(innerBody, sem.text(inner[0]), sem);
  });
}

/** `name`, and the names the body binds from it or from those (`lo = int(j * width)`, `p = x[i]`), in source order. */
function derivedNames(body: AstNode, name: string, sem: Semantics): Set<string> {
  const derived = new Set([name]);
  for (const n of descendants(body)) {
    const left = n.type === 'assignment' ? child(n, 'left') : undefined;
    const right = left && child(n, 'right');
    if (right && mentionsAny(right, derived, sem)) for (const t of loopTargetNodes(left) ?? []) derived.add(sem.text(t));
  }
  return derived;
}

function mentionsAny(node: AstNode, names: Set<string>, sem: Semantics): boolean {
  return descendants(node).some((d) => d.type === 'identifier' && names.has(sem.text(d)));
}

function mentions(node: AstNode, name: string, sem: Semantics): boolean {
  return descendants(node).some((d) => d.type === 'identifier' && sem.text(d) === name);
}

function usedAsScalar(body: AstNode, name: string, sem: Semantics, scope: Scope): boolean {
  // What the body computes from the element: a vector element makes vectors (`innov = d - H @ x`).
  // (Only plain `v = ...` bindings: `u, i = users[n], items[n]` are positions, not the element.)
  const derived = new Set([name]);
  for (const n of descendants(body)) {
    const left = n.type === 'assignment' ? child(n, 'left') : undefined;
    const right = left?.type === 'identifier' ? child(n, 'right') : undefined;
    if (right && mentionsAny(right, derived, sem)) derived.add(sem.text(left!));
  }
  for (const n of descendants(body)) {
    if (n.type !== 'identifier') continue;
    const text = sem.text(n);
    const p = n.parent;
    if (derived.has(text) && p?.type === 'binary_operator' && sem.source.slice(child(p, 'left')!.end, child(p, 'right')!.start).trim() === '@') return false;
    if (text !== name) continue;
    if (p?.type === 'subscript' && n.field === 'value') return false;
    if (p?.type === 'attribute' && n.field === 'object') return false;
    // Handed whole to a function that takes an array or a sequence (`np.unique(basket)`, `len(row)`).
    const call = p?.type === 'argument_list' ? p.parent : undefined;
    if (call?.type === 'call') {
      const bare = sem.bareCallee(call);
      const callee = sem.calleeName(call, scope) ?? '';
      const positional = p!.children.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
      if (ARRAY_FUNCTIONS.test(callee) && ELEMENTWISE_ARGUMENT[callee] !== positional.indexOf(n)) return false;
      if (bare && SEQUENCE_BUILTINS.has(bare) && sem.isBuiltin(bare, scope) && p!.children.length === 1) return false;
    }
  }
  return true;
}

/** Builtins that, given one argument, take a sequence: `len(v)`, `max(v)`. */
const SEQUENCE_BUILTINS = new Set(['len', 'sorted', 'set', 'list', 'tuple', 'sum', 'max', 'min', 'any', 'all']);

/** Methods that give the same elements as their array: walking the result walks the array. */
export const SAME_ELEMENTS = new Set(['ravel', 'flatten', 'reshape', 'astype', 'copy', 'squeeze']);

function isArraySource(node: AstNode, scope: Scope, sem: Semantics): boolean {
  const n = unparen(node);
  if (isArrayKind(sem.kindOf(n, scope))) return true;
  const m = n.type === 'call' ? sem.methodCall(n) : undefined;
  if (m && SAME_ELEMENTS.has(m.method)) return isArraySource(m.receiver, scope, sem);
  // A parameter with no other evidence, in a module that works with arrays.
  return n.type === 'identifier' && scope.params.has(sem.text(n)) && !scope.plainParams.has(sem.text(n)) && moduleUsesArrays(sem);
}


/** Some subscript reads or writes an array by a nest index, or the nest walks an array's elements. */
function usesArraysByElement(nest: AstNode[], indices: Set<string>, scope: Scope, sem: Semantics): boolean {
  const head = nest[0];
  const headRight = head.type === 'for_statement' ? unparen(child(head, 'right')!) : undefined;
  if (headRight && !isRange(headRight, scope, sem)) return true;
  for (const n of descendants(child(head, 'body')!)) {
    if (n.type !== 'subscript') continue;
    const value = child(n, 'value');
    if (!value || !n.children.some((c) => c.field === 'subscript' && mentionsAny(c, indices, sem))) continue;
    if (isArrayKind(sem.kindOf(value, scope))) return true;
    // `self.pos[k]`: an array the class's methods keep on the instance.
    if (value.type === 'attribute' && isArrayKind(instanceAttributeKind(value, scope, sem))) return true;
    if (value.type === 'identifier' && scope.params.has(sem.text(value)) && !scope.plainParams.has(sem.text(value)) && moduleUsesArrays(sem)) return true;
  }
  return false;
}

/** Arithmetic, comparisons or element stores beyond growing an accumulator (a loop of appends is array growth only). */
function doesElementWork(loop: AstNode, sem: Semantics): boolean {
  const skip = (n: AstNode) => {
    if (n.type !== 'assignment') return false;
    const right = child(n, 'right');
    const callee = right && unparen(right).type === 'call' ? sem.calleeName(unparen(right)) : undefined;
    return !!callee && /^(numpy\.(append|concatenate|vstack|hstack)|torch\.cat)$/.test(callee);
  };
  const targets = new Set(loopTargets(loop, sem));
  // A counting `while` loop's own step is not work.
  const isStep = (n: AstNode) => n.type === 'augmented_assignment' && targets.has(sem.text(child(n, 'left')!));
  const stack = [child(loop, 'body')!];
  while (stack.length) {
    const n = stack.pop()!;
    if (skip(n) || isStep(n)) continue;
    if (['binary_operator', 'comparison_operator', 'boolean_operator', 'augmented_assignment', 'unary_operator', 'conditional_expression'].includes(n.type)) return true;
    if (n.type === 'assignment' && child(n, 'left')?.type === 'subscript') return true;
    if (n.type === 'call' && sem.calleeName(n)) return true;
    stack.push(...n.children);
  }
  return false;
}

// --- Vectorizable or stateful ------------------------------------------------------------------

/** Why the nest needs a compiler rather than array operations, or undefined when it does not. */
function numbaReason(nest: AstNode[], conflict: ReturnType<typeof readsEarlierWrites>, sem: Semantics): string | undefined {
  const head = nest[0];
  if (head.type === 'while_statement' && worklistItems(head, sem).length) return 'a worklist that grows as it runs (a flood fill, a relaxation)';
  for (const n of descendants(child(head, 'body')!)) {
    if (n.type === 'break_statement' || n.type === 'return_statement') return 'an early exit';
    if (n.type === 'while_statement') return 'an inner loop that runs until a condition holds';
  }
  if (conflict) return 'updates that read values written earlier in the same sweep';
  if (boundsComputedInNest(nest, sem)) return 'inner loops whose ranges are computed as the nest runs';
  if (updatesRowsItReads(head, sem)) return 'updates at data-chosen positions that later iterations read back (sequential SGD)';
  for (const loop of nest) {
    const own = loopTargets(loop, sem);
    for (const [name, role] of carriedState(loop, sem)) {
      if (role === 'state' && !own.includes(name)) return `state carried from one iteration to the next (\`${name}\`)`;
    }
  }
  return undefined;
}

/** `lo, hi = int(j * width), ...` then `for k in range(lo, hi)`: each inner loop's extent is worked out in the nest. */
function boundsComputedInNest(nest: AstNode[], sem: Semantics): boolean {
  const assigned = new Set<string>();
  for (const n of descendants(child(nest[0], 'body')!)) {
    const left = n.type === 'assignment' ? child(n, 'left') : undefined;
    for (const t of (left && loopTargetNodes(left)) ?? []) assigned.add(sem.text(t));
  }
  return nest.slice(1).some((loop) => {
    const right = loop.type === 'for_statement' ? child(loop, 'right') : undefined;
    return !!right && descendants(right).some((d) => d.type === 'identifier' && assigned.has(sem.text(d)));
  });
}

/**
 * An array written at one position and read at another inside the nest (a stencil updated in
 * place, DTW): `'outer'` when the positions differ only along the outermost loop's index (each step
 * reads the one before), `'any'` otherwise, undefined when no read sees a write. Positions that differ
 * by a constant in an index fixed during the nest (`alpha[t, j]`, `alpha[t - 1, i]` inside a loop
 * over `t`) never meet.
 */
function readsEarlierWrites(nest: AstNode[], sem: Semantics): 'outer' | 'any' | undefined {
  const head = nest[0];
  const indices = new Set(nest.flatMap((l) => loopTargets(l, sem)));
  const headIndex = new Set(loopTargets(head, sem));
  const writes = new Map<string, AstNode[][]>();
  const reads = new Map<string, AstNode[][]>();
  const text = (n: AstNode) => sem.text(n).replace(/\s+/g, '');
  for (const n of descendants(child(head, 'body')!)) {
    if (n.type !== 'subscript') continue;
    const value = child(n, 'value');
    if (!value || !isNamePath(value)) continue;
    const name = text(value);
    const map = isAssignedTo(n) ? writes : reads;
    map.set(name, [...(map.get(name) ?? []), n.children.filter((c) => c.field === 'subscript')]);
  }
  const offsetOf = (n: AstNode) => /^([A-Za-z_]\w*)(?:([+-])(\d+))?$/.exec(text(n));
  const disjoint = (a: AstNode, b: AstNode) => {
    const [x, y] = [offsetOf(a), offsetOf(b)];
    return !!x && !!y && x[1] === y[1] && !indices.has(x[1]) && text(a) !== text(b);
  };
  let found: 'outer' | 'any' | undefined;
  // A read at one position and a write at another: a stencil updated in place, or error diffusion
  // (`f[y, x + 1] += e` here, `f[y, x]` read by the next iteration). Accumulating with `+=` alone
  // (a histogram) reads nothing else and commutes.
  for (const [name, written] of writes) {
    if (isScan(head, name, sem)) continue;
    for (const w of written) {
      for (const r of reads.get(name) ?? []) {
        // A row and an element of it (`alpha[t]`, `alpha[t, j]`) compare over the indices both give.
        const both = Math.min(w.length, r.length);
        if (w.slice(0, both).every((c, k) => text(c) === text(r[k]))) continue;
        if (w.slice(0, both).some((c, k) => disjoint(c, r[k]))) continue;
        // `t` against `t - 1`: written by one step of the outer loop, read by the next.
        const alongHead = w.slice(0, both).some((c, k) => {
          const [x, y] = [offsetOf(c), offsetOf(r[k])];
          return !!x && !!y && x[1] === y[1] && headIndex.has(x[1]) && text(c) !== text(r[k]);
        });
        if (!alongHead) return 'any';
        found = 'outer';
      }
    }
  }
  return found;
}

/**
 * `a[i] = a[i - 1] + e` (or `* e`, `e + a[i - 1]`) with `e` not reading `a`, the only store to `a`
 * in the loop, which reads `a` elsewhere only at `[i]`: a running sum or product written into the
 * array, which `np.cumsum`/`np.cumprod` computes.
 */
function isScan(head: AstNode, name: string, sem: Semantics): boolean {
  const key = (n: AstNode) => sem.text(n).replace(/\s+/g, '');
  const stores: AstNode[] = [];
  const others: AstNode[] = [];
  for (const n of descendants(child(head, 'body')!)) {
    if (n.type !== 'subscript' || key(child(n, 'value')!) !== name) continue;
    (isAssignedTo(n) ? stores : others).push(n);
  }
  const store = stores.length === 1 && stores[0].parent?.type === 'assignment' ? stores[0] : undefined;
  const value = store && unparen(child(store.parent!, 'right')!);
  if (!store || value?.type !== 'binary_operator') return false;
  // `a[i] = a[i - 1] ...`, or `a[i + 1] = a[i] ...`.
  const index = key(store).slice(name.length + 1, -1);
  const previousIndex = index.endsWith('+1') ? index.slice(0, -2) : `${index}-1`;
  const previous = (n: AstNode) => {
    const u = unparen(n);
    return u.type === 'subscript' && key(u) === `${name}[${previousIndex}]`;
  };
  const l = child(value, 'left')!;
  const r = child(value, 'right')!;
  const op = sem.source.slice(l.end, r.start).trim();
  const scan = (previous(l) && ['+', '-', '*'].includes(op) && !mentions(r, name, sem)) || (previous(r) && ['+', '*'].includes(op) && !mentions(l, name, sem));
  return scan && others.every((o) => previous(o) || key(o) === key(store));
}

/**
 * An array updated at a position taken from the data (`P[u] += ...` with `u = users[n]`) and read
 * at that position too (`pu = P[u]`): when the data repeats a position, a later iteration reads what
 * an earlier one wrote, so the order of the updates is the computation. A position only added to
 * (a histogram) commutes.
 */
function updatesRowsItReads(head: AstNode, sem: Semantics): boolean {
  const body = child(head, 'body')!;
  const fromData = new Set(head.type === 'for_statement' && !isRange(child(head, 'right')!, sem.enclosingScope(head), sem) ? loopTargets(head, sem) : []);
  const writes: AstNode[] = [];
  for (const n of descendants(body)) {
    if (n.type !== 'assignment' && n.type !== 'augmented_assignment') continue;
    const left = child(n, 'left')!;
    const right = child(n, 'right');
    if (left.type === 'subscript') writes.push(left);
    else if (right && descendants(right).some((d) => d.type === 'subscript' || (d.type === 'identifier' && fromData.has(sem.text(d))))) {
      for (const d of descendants(left)) if (d.type === 'identifier') fromData.add(sem.text(d));
    }
  }
  const key = (sub: AstNode) => sem.text(sub).replace(/\s+/g, '');
  const reads = new Set<string>();
  for (const n of descendants(body)) {
    if (n.type === 'subscript' && !isAssignedTo(n)) reads.add(key(n));
  }
  return writes.some((w) => {
    const position = w.children.filter((c) => c.field === 'subscript');
    return position.some((p) => mentionsAny(p, fromData, sem)) && reads.has(key(w));
  });
}

/** The whole left side of an assignment or augmented assignment (`a[i]` in `a[i] += e`). */
function isAssignedTo(n: AstNode): boolean {
  return (n.parent?.type === 'assignment' || n.parent?.type === 'augmented_assignment') && n.field === 'left';
}

type Role = 'sum' | 'minmax' | 'growth' | 'state';

/**
 * Names whose value flows from one iteration of `loop` to the next, with how they are updated:
 * `sum` (`s += e`, a running sum or product), `minmax` (`if e > m: m = e`, with companions such as
 * the argmax index), `growth` (`acc = np.append(acc, ...)`), or `state` (anything else: resets,
 * flags, linear recurrences).
 */
export function carriedState(loop: AstNode, sem: Semantics): Map<string, Role> {
  const body = child(loop, 'body')!;
  const first = new Map<string, 'read' | 'kill'>();
  const updates = new Map<string, AstNode[]>();
  // `killed`: names this path of the iteration has already assigned, whose reads are then its own.
  const visit = (n: AstNode, conditional: boolean, killed: Set<string>) => {
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const right = child(n, 'right');
      if (right) visit(right, conditional, killed);
      const left = child(n, 'left')!;
      // `y2, y1 = y1, y[n]` updates each name of the pattern (a shift register).
      const names = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
      if (names.length && names.every((t) => t.type === 'identifier')) {
        for (const target of names) {
          const name = sem.text(target);
          updates.set(name, [...(updates.get(name) ?? []), n]);
          // A conditional assignment neither reads the old value nor surely replaces it: keep looking.
          if (!first.has(name)) {
            if (n.type === 'augmented_assignment') {
              if (!killed.has(name)) first.set(name, 'read');
            } else if (!conditional) first.set(name, 'kill');
          }
          if (n.type === 'assignment') killed.add(name);
        }
      } else visit(left, conditional, killed);
      return;
    }
    if (n.type === 'identifier') {
      const name = sem.text(n);
      if (!(n.field === 'attribute' && n.parent?.type === 'attribute') && !first.has(name) && !killed.has(name)) first.set(name, 'read');
      return;
    }
    // An inner loop is its own loop of the nest, analyzed on its own.
    if (n.type === 'for_statement' || n.type === 'while_statement') return;
    // Each branch starts from what was assigned before the `if`.
    const branches = n.type === 'if_statement';
    for (const c of n.children) visit(c, conditional || branches, branches ? new Set(killed) : killed);
  };
  const killed = new Set<string>();
  for (const c of body.children) visit(c, false, killed);
  const carried = new Map<string, Role>();
  for (const [name, list] of updates) {
    if (first.get(name) !== 'read') continue;
    carried.set(name, roleOf(name, list, body, sem));
  }
  // Companions of a min/max update (`best = j` next to `best_val = v`) follow their leader.
  for (const [name, role] of carried) {
    if (role === 'state' && isCompanion(name, updates.get(name)!, carried, sem)) carried.set(name, 'minmax');
  }
  return carried;
}

function roleOf(name: string, updates: AstNode[], body: AstNode, sem: Semantics): Role {
  const kinds = updates.map((u) => updateKind(u, name, sem));
  if (kinds.every((k) => k === 'growth')) return 'growth';
  if (kinds.every((k) => k === 'sum')) {
    // A running sum read elsewhere is a scan (cumsum); read in a condition it steers control flow.
    return readInCondition(body, name, sem) ? 'state' : 'sum';
  }
  if (kinds.every((k) => k === 'minmax')) {
    // A running max feeding other arithmetic (drawdown from peak) is a scan (`np.maximum.accumulate`);
    // read in a condition other than its own update's it steers control flow.
    return readInCondition(body, name, sem, updates.map(enclosingCondition)) ? 'state' : 'minmax';
  }
  return 'state';
}

function updateKind(u: AstNode, name: string, sem: Semantics): Role {
  const right = child(u, 'right');
  const mentionsName = (n: AstNode | undefined) => !!n && mentions(n, name, sem);
  if (u.type === 'augmented_assignment') {
    const op = sem.source.slice(child(u, 'left')!.end, right!.start).trim();
    return ['+=', '-=', '*='].includes(op) && !mentionsName(right) ? 'sum' : 'state';
  }
  const r = right ? unparen(right) : undefined;
  if (!r) return 'state';
  if (r.type === 'binary_operator') {
    const l = child(r, 'left')!;
    const rr = child(r, 'right')!;
    const op = sem.source.slice(l.end, rr.start).trim();
    const isName = (x: AstNode) => unparen(x).type === 'identifier' && sem.text(unparen(x)) === name;
    if (['+', '-', '*'].includes(op) && isName(l) && !mentionsName(rr)) return 'sum';
    if (['+', '*'].includes(op) && isName(rr) && !mentionsName(l)) return 'sum';
  }
  if (r.type === 'call') {
    const callee = sem.bareCallee(r) ?? sem.calleeName(r);
    const args = child(r, 'arguments')?.children ?? [];
    if (callee && /^(max|min|numpy\.(maximum|minimum|fmax|fmin))$/.test(callee) && args.some((a) => sem.text(a) === name)) return 'minmax';
    if (callee && /^(numpy\.(append|concatenate|vstack|hstack)|torch\.cat)$/.test(callee)) return 'growth';
  }
  // `if v > m: m = v`
  const cond = enclosingCondition(u);
  if (cond && !mentionsName(right) && comparesWith(cond, name, right!, sem)) return 'minmax';
  if (!mentionsName(right) && cond && cond.type === 'comparison_operator' && cond.children.some((c) => sem.text(c) === name)) return 'minmax';
  return 'state';
}

function enclosingCondition(u: AstNode): AstNode | undefined {
  const stmt = u.parent;
  const block = stmt?.parent;
  const ifs = block?.parent;
  if (block?.type !== 'block' || ifs?.type !== 'if_statement' || block.field !== 'consequence') return undefined;
  if (ifs.children.some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return undefined;
  const cond = child(ifs, 'condition');
  return cond ? unparen(cond) : undefined;
}

/** `v > m`, `m < v` (and the `>=`/`<=` forms) where `v` is the value assigned. */
function comparesWith(cond: AstNode, name: string, value: AstNode, sem: Semantics): boolean {
  if (cond.type !== 'comparison_operator' || cond.children.length !== 2) return false;
  const [a, b] = cond.children.map((c) => sem.text(unparen(c)).replace(/\s+/g, ''));
  const v = sem.text(unparen(value)).replace(/\s+/g, '');
  // `M[i, j] > M[i, best]` with `best = j`: the comparison goes through the index (an argmax).
  const word = new RegExp(`\\b${name}\\b`, 'g');
  const substituted = (x: string) => x.replace(word, v);
  return (a === name && b === v) || (b === name && a === v) || (word.test(b) && substituted(b) === a) || (word.test(a) && substituted(a) === b);
}

function isCompanion(name: string, updates: AstNode[], carried: Map<string, Role>, sem: Semantics): boolean {
  return updates.every((u) => {
    if (u.type !== 'assignment') return false;
    const block = u.parent?.parent;
    if (block?.type !== 'block') return false;
    return block.children.some((s) => {
      const a = s.children[0];
      const left = a && a.type === 'assignment' ? child(a, 'left') : undefined;
      return left && left.type === 'identifier' && sem.text(left) !== name && carried.get(sem.text(left)) === 'minmax';
    });
  });
}

/** Whether `name` is read in a condition (other than `own`, its update's) or as an index. */
function readInCondition(body: AstNode, name: string, sem: Semantics, own: (AstNode | undefined)[] = []): boolean {
  for (const n of descendants(body)) {
    const cond = (n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'while_statement') && child(n, 'condition');
    if (cond && !own.includes(unparen(cond))) {
      for (const d of descendants(cond)) if (d.type === 'identifier' && sem.text(d) === name) return true;
    }
    if (n.type === 'conditional_expression' && n.children[1]) {
      for (const d of descendants(n.children[1])) if (d.type === 'identifier' && sem.text(d) === name) return true;
    }
    if (n.type === 'subscript' && !own.some((o) => o && n.start >= o.start && n.end <= o.end)) {
      // Used as an index: a data-dependent position (compaction, histogram cursor).
      for (const c of n.children) {
        if (c.field === 'subscript' && mentions(c, name, sem)) return true;
      }
    }
  }
  return false;
}

function vectorReason(nest: AstNode[], sem: Semantics): string {
  const roles = new Set(nest.flatMap((l) => [...carriedState(l, sem).values()]));
  if (roles.has('minmax')) return 'a running max/min (`np.max`, `np.argmax`)';
  if (roles.has('sum')) return 'a reduction or running sum (`np.sum`, `np.dot`, `np.cumsum`)';
  const stored = new Set<string>();
  for (const n of descendants(child(nest[0], 'body')!)) {
    const left = n.type === 'assignment' ? child(n, 'left') : undefined;
    const array = left?.type === 'subscript' ? child(left, 'value') : undefined;
    if (array?.type === 'identifier') stored.add(sem.text(array));
  }
  if ([...stored].some((name) => isScan(nest[0], name, sem))) return 'a running sum or product (`np.cumsum`, `np.cumprod`)';
  return 'element-wise arithmetic';
}
