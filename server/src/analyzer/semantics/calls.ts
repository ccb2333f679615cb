// How costly and how pure a call is: what the loop-invariant and repeated-call rules hinge on.
import { type AstNode, child, descendants, descendantsInScope, methodsOf, unparen } from '../ast';
import { isArrayKind, type Kind } from './kinds';
import { isMutatingMethod } from './loops';
import { classOfMethod, instanceParameter, isNumberExpression, type Scope, type Semantics } from './semantics';

/**
 * - `costly`: pure work worth computing once (allocation from constants, copying, reductions,
 *   linear algebra, compiling a regex, building a tensor).
 * - `allocation`: a fresh buffer (`np.zeros`, `torch.empty`): the same arguments give distinct objects.
 * - `random`, `clock`, `effect` (side effects, I/O, in-place methods), `constructor` (models,
 *   estimators, optimizers), `cheap` (scalar builtins, `len`, shape queries), `unknown`.
 */
export type CallClass = 'costly' | 'allocation' | 'random' | 'clock' | 'effect' | 'constructor' | 'cheap' | 'unknown';

const NUMPY_ALLOCATIONS = /^numpy\.(zeros|empty|ones|full|zeros_like|empty_like|ones_like|full_like)$/;
const TORCH_ALLOCATIONS = /^torch\.(zeros|empty|ones|full|zeros_like|empty_like|ones_like|full_like)$/;
const TORCH_RANDOM = /^torch\.(rand|randn|randint|randperm|rand_like|randn_like|randint_like|normal|bernoulli|multinomial|poisson|manual_seed|seed)$/;
const EFFECT_FUNCTIONS = /^(numpy\.(save|savez|savez_compressed|savetxt|copyto|put|place|putmask|fill_diagonal|seterr|set_printoptions)|torch\.(save|load|set_grad_enabled|no_grad|enable_grad|inference_mode|set_num_threads|use_deterministic_algorithms|cuda\..*|distributed\..*|compile)|pandas\.(read_\w+|to_pickle|set_option)|os\..*|shutil\..*|subprocess\..*|logging\..*|json\.(dump|load)|pickle\..*|sys\..*|warnings\..*)$/;
const CLOCK_FUNCTIONS = /^(time\.\w+|datetime\.\w+(\.now|\.today|\.utcnow)?|timeit\.\w+)$/;
const CONSTRUCTORS = /^(torch\.nn\.(?!functional)\w+|torch\.optim\..*|torch\.utils\.data\..*|sklearn\..*|xgboost\..*|lightgbm\..*|transformers\..*)$/;
const COSTLY_MODULES = /^(numpy|torch|pandas|scipy|re|json\.loads|copy\.deepcopy|itertools\.(product|permutations|combinations)|collections\.Counter)\b/;

/** Builtins that copy or build a container: costly when their argument is not trivial. */
const COPYING_BUILTINS = new Set(['list', 'dict', 'set', 'frozenset', 'tuple', 'sorted']);
/** Scalar builtins and queries: never worth a warning. */
const CHEAP_BUILTINS = new Set([
  'len', 'int', 'float', 'bool', 'str', 'abs', 'round', 'min', 'max', 'sum', 'isinstance', 'range', 'enumerate',
  'zip', 'iter', 'next', 'hash', 'id', 'type', 'ord', 'chr', 'divmod', 'pow', 'repr', 'format', 'getattr',
  'hasattr', 'callable', 'reversed', 'map', 'filter', 'any', 'all', 'complex',
]);

/** Array/frame methods that compute over the data (reductions, copies, algebra). */
const COSTLY_METHODS = new Set([
  'mean', 'sum', 'std', 'var', 'min', 'max', 'median', 'quantile', 'prod', 'cumsum', 'cumprod', 'argmax',
  'argmin', 'copy', 'astype', 'dot', 'sort_values', 'unique', 'nunique', 'value_counts', 'to_numpy', 'tolist',
  'describe', 'corr', 'cov', 'norm', 'inverse', 'pinv', 'clone', 'to', 'groupby', 'agg', 'aggregate',
  'transpose', 'ptp', 'nonzero', 'count', 'mode', 'rank', 'cumcount', 'diff', 'pct_change', 'transform',
  // Reshapes that build a new frame from all of the data.
  'unstack', 'stack', 'pivot', 'pivot_table', 'melt',
  // Diagonals, traces and (sparse) format conversions: a pass over or a copy of the matrix.
  'diagonal', 'trace', 'toarray', 'todense', 'tocsr', 'tocsc', 'tocoo',
  // Flattening that always copies; clipping into a new array.
  'flatten', 'clip',
]);
/** Methods of iterators/generators and views: hoisting them gains nothing or breaks the loop. */
const ITERATOR_METHODS = new Set(['keys', 'values', 'items', 'parameters', 'named_parameters', 'children', 'modules', 'iterrows', 'itertuples', '__iter__']);
const RANDOM_METHOD_RECEIVER = /^(rng|random|rand|gen|generator|np_rng|random_state|rs)$/i;

export function classifyCall(call: AstNode, scope: Scope, sem: Semantics): CallClass {
  // `with f(...):` enters a context: an effect, whatever f is.
  if (isContextManager(call)) return 'effect';
  const callee = sem.calleeName(call, scope);
  if (callee && SCALAR_MATH.test(callee) && scalarArguments(call, scope, sem)) return 'cheap';
  if (callee && AS_ARRAY.test(callee) && isPlainView(call)) return 'cheap';
  if (callee) return classifyModuleCall(callee, call);
  const bare = sem.bareCallee(call);
  if (bare && sem.isBuiltin(bare, scope)) {
    if (bare === 'print' || bare === 'open' || bare === 'input') return 'effect';
    if (COPYING_BUILTINS.has(bare)) return hasNonTrivialArgument(call) ? 'costly' : 'cheap';
    return CHEAP_BUILTINS.has(bare) ? 'cheap' : 'unknown';
  }
  const m = sem.methodCall(call);
  if (!m) return 'unknown';
  if (isMutatingMethod(m.method)) return 'effect';
  const receiver = unparen(m.receiver);
  const recvKind = sem.kindOf(receiver, scope);
  if (recvKind === 'rng' || RANDOM_METHOD_RECEIVER.test(receiverName(receiver, sem))) return 'random';
  if (recvKind === 'model' || recvKind === 'optimizer' || recvKind === 'loader') return 'effect';
  if (ITERATOR_METHODS.has(m.method)) return 'cheap';
  if (m.method === 'size' || m.method === 'dim' || m.method === 'numel') return 'cheap';
  // A column's `.to_numpy()` is a view of its data unless a dtype or a copy is asked for.
  if (m.method === 'to_numpy' && isPlainView(call) && (recvKind === 'series' || isColumn(receiver, scope, sem))) return 'cheap';
  if ((COSTLY_METHODS.has(m.method) || isCopyingRavel(call, m.method, sem)) && (isArrayKind(recvKind) || receiverLooksLikeData(receiver, scope, sem))) {
    return 'costly';
  }
  return 'unknown';
}

/** The name a receiver goes by: `rng` for `rng` and for `self.rng`. */
function receiverName(receiver: AstNode, sem: Semantics): string {
  if (receiver.type === 'identifier') return sem.text(receiver);
  const attr = receiver.type === 'attribute' ? child(receiver, 'attribute') : undefined;
  return attr ? sem.text(attr) : '';
}

/** `a.ravel(order="F")`: a C-ordered array flattened in Fortran order is copied, not viewed. */
function isCopyingRavel(call: AstNode, method: string, sem: Semantics): boolean {
  if (method !== 'ravel' && method !== 'reshape') return false;
  const order = child(call, 'arguments')?.children.find((a) => a.type === 'keyword_argument' && sem.text(child(a, 'name') ?? a) === 'order');
  const value = order && child(order, 'value');
  return !!value && /^['"]F['"]$/.test(sem.text(value));
}

/** Conversions that hand back their argument (or a view of it) when it already is an array or tensor. */
const AS_ARRAY = /^(numpy\.(asarray|asanyarray)|torch\.as_tensor)$/;

/** `np.asarray(x)`, `s.to_numpy()`: a name, no dtype, device or copy asked for: no data is copied. */
function isPlainView(call: AstNode): boolean {
  const args = child(call, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  return args.every((a) => a.type !== 'keyword_argument') && args.length <= 1 && args.every((a) => unparen(a).type === 'identifier');
}

/** `df["col"]` of a frame. */
function isColumn(receiver: AstNode, scope: Scope, sem: Semantics): boolean {
  const r = unparen(receiver);
  const value = r.type === 'subscript' ? child(r, 'value') : undefined;
  const key = r.children.find((c) => c.field === 'subscript');
  return !!value && key?.type === 'string' && sem.kindOf(value, scope) === 'frame';
}

/** NumPy's element-wise math: as cheap as `math.*` when given plain numbers. */
const SCALAR_MATH = /^numpy\.(sqrt|cbrt|exp|exp2|expm1|log|log2|log10|log1p|sin|cos|tan|arcsin|arccos|arctan|arctan2|sinh|cosh|tanh|abs|absolute|fabs|floor|ceil|trunc|rint|round|power|float_power|square|hypot|maximum|minimum|fmax|fmin|sign|deg2rad|rad2deg|radians|degrees|isnan|isinf|isfinite)$/;
const SCALAR_NAMES = /^(numpy|math)\.(pi|e|tau|inf|nan|euler_gamma)$/;

/** Every argument is a plain number: literals, module constants, number parameters, `len(x)`, `math.pi`. */
function scalarArguments(call: AstNode, scope: Scope, sem: Semantics): boolean {
  const args = child(call, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  return args.length > 0 && args.every((a) => a.type !== 'keyword_argument' && isNumberExpression(a, (leaf) => isScalarLeaf(leaf, scope, sem)));
}

function isScalarLeaf(n: AstNode, scope: Scope, sem: Semantics): boolean {
  if (n.type === 'identifier') {
    const name = sem.text(n);
    if (scope.numberParams.has(name) && !scope.bound.has(name)) return true;
    return !scope.bound.has(name) && !scope.params.has(name) && sem.scalarConstants.has(name);
  }
  if (n.type === 'attribute') return SCALAR_NAMES.test(sem.qualifiedName(n, scope) ?? '');
  if (n.type === 'call') {
    const bare = sem.bareCallee(n);
    if (bare && (bare === 'len' || bare === 'float' || bare === 'int') && sem.isBuiltin(bare, scope)) return true;
    const callee = sem.calleeName(n, scope);
    return !!callee && /^math\.\w+$/.test(callee);
  }
  return false;
}

function classifyModuleCall(callee: string, call: AstNode): CallClass {
  if (callee.startsWith('numpy.random.') || callee.startsWith('random.') || TORCH_RANDOM.test(callee)) return 'random';
  if (CLOCK_FUNCTIONS.test(callee)) return 'clock';
  if (EFFECT_FUNCTIONS.test(callee)) return 'effect';
  // A metric (`roc_auc_score(y, p)`) is a pure computation over its arguments; sklearn's classes are estimators.
  if (/^sklearn\.metrics\.[a-z_0-9]+$/.test(callee)) return 'costly';
  if (CONSTRUCTORS.test(callee)) return 'constructor';
  if (NUMPY_ALLOCATIONS.test(callee) || TORCH_ALLOCATIONS.test(callee)) return 'allocation';
  if (callee.startsWith('math.') || callee.startsWith('operator.') || callee.startsWith('cmath.')) return 'cheap';
  if (/^numpy\.(shape|ndim|size|isscalar|result_type|dtype|float\d*|int\d*|bool_)$/.test(callee)) return 'cheap';
  if (callee === 'torch.device' || callee === 'torch.Size' || callee === 'torch.is_tensor') return 'cheap';
  if (COSTLY_MODULES.test(callee)) return hasNonTrivialArgument(call) || /^(numpy|torch)\./.test(callee) ? 'costly' : 'cheap';
  return 'unknown';
}

/** A name that holds data: an array-kind local, a parameter, or a frame column (`df[c]`). */
function receiverLooksLikeData(receiver: AstNode, scope: Scope, sem: Semantics): boolean {
  const r = unparen(receiver);
  if (r.type === 'subscript') {
    const value = child(r, 'value');
    return !!value && isArrayKind(sem.kindOf(value, scope));
  }
  if (r.type === 'identifier') {
    const name = sem.text(r);
    return scope.params.has(name) || isArrayKind(sem.nameKind(name, scope));
  }
  if (r.type === 'attribute') return isArrayKind(instanceAttributeKind(r, scope, sem));
  return false;
}

/**
 * A call there to make a buffer of its own from its argument's data: `x.copy()`, `t.clone()`,
 * `a.astype(...)`, `np.copy(x)`, `np.array(x)`, `copy.deepcopy(x)`, `torch.clone(t)`.
 */
export function makesCopy(call: AstNode, scope: Scope, sem: Semantics): boolean {
  const callee = sem.calleeName(call, scope);
  if (callee) return /^(numpy\.(copy|array)|copy\.(copy|deepcopy)|torch\.clone)$/.test(callee);
  const m = sem.methodCall(call);
  return m?.method === 'copy' || m?.method === 'clone' || m?.method === 'astype';
}

/**
 * Whether a call in `nodes` may change an attribute of the method's instance that `call` reads
 * (`np.arange(self.n_items)` while the loop calls `self.scores(u)`): a method of the class changes
 * the attributes it assigns or changes in place, and those of the methods it calls on the instance;
 * a method the class does not define, or a function handed the instance, may change any.
 */
export function changesInstanceRead(call: AstNode, nodes: Iterable<AstNode>, scope: Scope, sem: Semantics): boolean {
  const self = scope.isModule ? undefined : instanceParameter(scope.node, sem);
  const cls = self ? classOfMethod(scope.node) : undefined;
  if (!self || !cls) return false;
  const read = attributesRead(call, self, sem);
  if (!read.size) return false;
  const changed = new Set<string>();
  const seen = new Set<AstNode>();
  // False when anything may change.
  const follow = (nodes: Iterable<AstNode>, self: string): boolean => {
    for (const n of nodes) {
      if (n.type !== 'call') continue;
      if (child(n, 'arguments')?.children.some((a) => isName(a, self, sem))) return false;
      const m = sem.methodCall(n);
      if (!m || !isName(m.receiver, self, sem)) continue;
      const method = methodsOf(cls).find((fn) => sem.text(child(fn, 'name') ?? fn) === m.method);
      // `self.model(ids)`: a callable the instance holds, not one of its methods.
      if (!method && changedByMethods(cls, sem).has(m.method)) continue;
      if (!method) return false;
      const own = instanceParameter(method, sem);
      if (seen.has(method) || !own) continue;
      seen.add(method);
      for (const name of changedAttributes(method, own, sem)) changed.add(name);
      if (!follow(descendantsInScope(child(method, 'body') ?? method), own)) return false;
    }
    return true;
  };
  if (!follow(nodes, self)) return true;
  return [...read].some((name) => name === '*' || changed.has(name) || changed.has('*'));
}

/** The attributes of `self` that `call` reads (`self.metric`); `*` when `self` is used whole. */
function attributesRead(call: AstNode, self: string, sem: Semantics): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(call)) {
    if (n.type !== 'identifier' || sem.text(n) !== self || (n.field === 'attribute' && n.parent?.type === 'attribute')) continue;
    const attr = n.field === 'object' && n.parent?.type === 'attribute' ? child(n.parent, 'attribute') : undefined;
    names.add(attr ? sem.text(attr) : '*');
  }
  return names;
}

/**
 * The attributes of its instance `own` that a method assigns or changes in place (`self.x = ..`,
 * `self.x[i] += ..`, `self.x.append(..)`), as the loop facts of its body tell; `*`: the instance itself.
 */
function changedAttributes(method: AstNode, own: string, sem: Semantics): ReadonlySet<string> {
  return sem.loop(method).mutatedParts.get(own) ?? new Set();
}

/** The attributes any method of `cls` assigns or changes on its instance (`self.model = ...`). */
function changedByMethods(cls: AstNode, sem: Semantics): ReadonlySet<string> {
  return sem.memo('changed-attributes', cls, () => {
    const names = new Set<string>();
    for (const fn of methodsOf(cls)) {
      const own = instanceParameter(fn, sem);
      if (own) for (const name of changedAttributes(fn, own, sem)) names.add(name);
    }
    return names;
  });
}

function isName(node: AstNode, name: string, sem: Semantics): boolean {
  const n = unparen(node);
  return n.type === 'identifier' && sem.text(n) === name;
}

/**
 * The kind of `self.attr` in a method: what the class's methods assign to it
 * (`self.alphas_cumprod = cumprod` with `cumprod` a tensor in `__init__`), when they agree.
 */
export function instanceAttributeKind(node: AstNode, scope: Scope, sem: Semantics): Kind {
  const object = child(node, 'object');
  const attr = child(node, 'attribute');
  if (scope.isModule || object?.type !== 'identifier' || !attr || sem.text(object) !== instanceParameter(scope.node, sem)) return undefined;
  const cls = classOfMethod(scope.node);
  if (!cls) return undefined;
  const kinds = sem.memo('instance-attribute-kinds', cls, () => {
    const found = new Map<string, Kind | null>();
    for (const fn of methodsOf(cls)) {
      const self = instanceParameter(fn, sem);
      if (!self) continue;
      const own = sem.scopeOf(fn);
      for (const a of descendantsInScope(child(fn, 'body') ?? fn)) {
        if (a.type !== 'assignment') continue;
        const left = child(a, 'left');
        const right = child(a, 'right');
        const base = left?.type === 'attribute' ? child(left, 'object') : undefined;
        if (!left || !right || base?.type !== 'identifier' || sem.text(base) !== self) continue;
        const name = sem.text(child(left, 'attribute') ?? left);
        const kind = sem.kindOf(right, own);
        const old = found.get(name);
        // Like a name, it holds an array when an assignment gives it one; known kinds that disagree leave it unknown.
        if (kind) found.set(name, old === undefined || old === kind ? kind : null);
      }
    }
    return found;
  });
  return kinds.get(sem.text(attr)) ?? undefined;
}

function hasNonTrivialArgument(call: AstNode): boolean {
  const args = child(call, 'arguments');
  return !!args && args.children.some((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
}

function isContextManager(call: AstNode): boolean {
  for (let p = call.parent; p; p = p.parent) {
    if (p.type === 'with_item') return true;
    if (p.type !== 'as_pattern' && p.type !== 'parenthesized_expression') return false;
  }
  return false;
}
