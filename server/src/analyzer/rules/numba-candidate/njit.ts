// The `@numba.njit` fix: for loops whose state needs a compiler (HP102), and for element loops the
// vectorizer has no rewrite for (HP101). Numba compiles the function as written, so the loop stays.
import { type AstNode, child, COMPREHENSION_TYPES, descendants, isStringStatement, operatorBetween, unparen } from '../../ast';
import { eol, indentOf, lineStart } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { RuleContext } from '../../rule';
import type { Scope } from '../../semantics/semantics';
import { isRange } from '../../semantics/loops';

/** `@numba.njit(cache=True)` on the enclosing module-level function, and `import numba` when missing. */
export function njitFix(loop: AstNode, ctx: RuleContext, only = (fn: AstNode) => compilable(fn, ctx)): Fix[] {
  let fn: AstNode | undefined;
  for (let p = loop.parent; p; p = p.parent) if (p.type === 'function_definition') fn = fn ?? p;
  if (!fn) return [];
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (holder.parent?.type !== 'module' || indentOf(ctx.source, holder) !== '') return [];
  if (!only(fn)) return [];
  const dtypes = numpyDtypes(fn, ctx);
  if (!dtypes) return [];
  const nl = eol(ctx.source);
  let alias = ctx.sem.aliasOf('numba');
  const edits: Edit[] = [];
  if (!alias) {
    alias = 'numba';
    const at = ctx.sem.importInsertionPoint;
    edits.push({ start: at, end: at, newText: `import numba${nl}` });
  }
  const at = lineStart(ctx.source, holder.start);
  edits.push({ start: at, end: at, newText: `@${alias}.njit(cache=True)${nl}` }, ...dtypes);
  return [{ title: 'Compile the function with @numba.njit', edits }];
}

/**
 * Numba takes NumPy's types as dtypes but not Python's (`np.zeros(n, dtype=bool)`, `x.astype(int)`
 * fail to compile): the edits naming the NumPy type each stands for, or undefined when NumPy is not
 * imported as a module to name it with.
 */
function numpyDtypes(fn: AstNode, ctx: RuleContext): Edit[] | undefined {
  const scope = ctx.sem.scopeOf(fn);
  const np = ctx.sem.aliasOf('numpy');
  const edits: Edit[] = [];
  for (const n of descendants(fn)) {
    const type = n.type === 'identifier' ? NUMPY_TYPE_OF.get(ctx.text(n)) : undefined;
    // `int(x)` converts a number, which Numba does; only the type itself is a dtype.
    if (!type || n.field === 'function' || n.field === 'attribute' || n.field === 'name' || !ctx.sem.isBuiltin(ctx.text(n), scope)) continue;
    if (!np) return undefined;
    edits.push({ start: n.start, end: n.end, newText: `${np}.${type}` });
  }
  return edits;
}

const NUMPY_TYPE_OF = new Map([['bool', 'bool_'], ['int', 'int_'], ['complex', 'complex128']]);

/**
 * A function of plain scalar loops, the kind Numba compiles exactly as Python runs it: loops over
 * `range` (or counting `while`s), indexing, arithmetic, `math` and scalar builtins, and NumPy only to
 * allocate. What Numba types differently (zip over 2-D arrays, growing arrays, reductions with
 * `axis`, casts of small integer types) is left alone. For loops whose shape the vectorizer has no
 * rewrite for (HP101).
 */
export function scalarKernel(fn: AstNode, ctx: RuleContext): boolean {
  if (!compilable(fn, ctx)) return false;
  const scope = ctx.sem.scopeOf(fn);
  for (const n of descendants(fn)) {
    const right = n.type === 'for_statement' ? child(n, 'right') : undefined;
    if (n.type === 'for_statement' && !(right && (isRange(right, ctx.sem.enclosingScope(n), ctx.sem) || isIntegerTuple(right)))) return false;
    // Lists and returned tuples are reflected Python objects to Numba.
    if (COMPREHENSION_TYPES.has(n.type) || n.type === 'list' || (n.type === 'tuple' && n.parent?.type === 'return_statement')) return false;
    if (n.type !== 'call') continue;
    const bare = ctx.sem.bareCallee(n);
    if (bare && SCALAR_BUILTINS.has(bare) && ctx.sem.isBuiltin(bare, scope)) continue;
    const callee = ctx.sem.calleeName(n, scope) ?? '';
    if (/^math\.\w+$/.test(callee) || NUMPY_KERNEL.test(callee) || isArrayCopy(n, scope, ctx)) continue;
    return false;
  }
  return true;
}

/** `(-1, 0, 1)`: neighbour offsets, a tuple of integers Numba iterates as compiled code. */
function isIntegerTuple(node: AstNode): boolean {
  const n = unparen(node);
  const isInteger = (c: AstNode): boolean => c.type === 'integer' || (c.type === 'unary_operator' && c.children.length === 1 && c.children[0].type === 'integer');
  return n.type === 'tuple' && n.children.length > 0 && n.children.every(isInteger);
}

/** `a.copy()`, `a.astype(np.int16)`: an array copied, to a NumPy type (Numba rejects Python's types there). */
function isArrayCopy(call: AstNode, scope: Scope, ctx: RuleContext): boolean {
  const m = ctx.sem.methodCall(call);
  if (!m || unparen(m.receiver).type !== 'identifier' || ctx.sem.calleeName(call, scope) !== undefined) return false;
  const args = child(call, 'arguments')?.children ?? [];
  if (m.method === 'copy') return args.length === 0;
  return m.method === 'astype' && args.length === 1 && /^numpy\.(u?int(8|16|32|64)|float(32|64)|bool_)$/.test(ctx.sem.qualifiedName(args[0], scope) ?? '');
}

// Not `int`: Numba's keeps a small unsigned type (`int(a) - int(b)` of uint8 wraps around), Python's does not.
const SCALAR_BUILTINS = new Set(['len', 'range', 'abs', 'min', 'max', 'float']);
const NUMPY_KERNEL = /^numpy\.(zeros|ones|empty|full|zeros_like|ones_like|empty_like|full_like|sqrt|exp|log|log1p|expm1|sin|cos|tan|tanh|arctan2|hypot|floor|ceil|isnan|isfinite|sign)$/;

/** Numba's nopython mode needs arrays and numbers: no pandas, torch, strings, dicts, f-strings. */
function compilable(fn: AstNode, ctx: RuleContext): boolean {
  const scope = ctx.sem.scopeOf(fn);
  for (const kind of scope.kinds.values()) if (kind === 'frame' || kind === 'series' || kind === 'tensor' || kind === 'model') return false;
  const first = child(fn, 'body')?.children[0];
  const docstring = isStringStatement(first) ? first : undefined;
  for (const n of descendants(fn)) {
    if (UNCOMPILABLE.has(n.type)) return false;
    // Strings (f-strings, dict keys, messages) are Python objects; the docstring is only documentation.
    if (n.type === 'string' && !(docstring && n.parent === docstring)) return false;
    if (n.type === 'call' && !callableInNumba(n, scope, ctx)) return false;
    // Numba's linear algebra needs SciPy at run time, and it has no FFT; a module-level list is not a constant it can read.
    if (n.type === 'call' && /^(numpy\.(linalg|fft)|scipy)\./.test(ctx.sem.calleeName(n, scope) ?? '')) return false;
    if (n.type === 'identifier' && ctx.sem.collectionSizes.has(ctx.text(n)) && !scope.bound.has(ctx.text(n))) return false;
    // Numba's integers are 64-bit: code that hashes with big primes or shifts relies on Python's unbounded ones.
    if (n.type === 'integer' && !(Number(ctx.text(n).replace(/_/g, '').replace(/[lL]$/, '')) < 2 ** 31)) return false;
    if (n.type === 'binary_operator') {
      const [l, r] = [child(n, 'left'), child(n, 'right')];
      if (l && r && operatorBetween(ctx.source, l, r) === '<<') return false;
    }
  }
  return true;
}

/**
 * Whether a call by plain name is one compiled code can make: a builtin Numba implements, a NumPy or
 * `math` function imported by name, or a module function that is itself compiled. Numba cannot call
 * the module's plain Python functions, or functions passed in. (Methods and `np.`/`math.` calls are
 * left to the other checks.)
 */
function callableInNumba(call: AstNode, scope: Scope, ctx: RuleContext): boolean {
  const name = ctx.sem.bareCallee(call);
  if (!name) return true;
  if (ctx.sem.isBuiltin(name, scope)) return NUMBA_BUILTINS.has(name);
  if (/^(numpy|math|cmath)\.\w+$/.test(ctx.sem.calleeName(call, scope) ?? '')) return true;
  if (scope.bound.has(name) || scope.params.has(name)) return false;
  const definitions = ctx.sem.functionDefinitions(name);
  return definitions.length > 0 && definitions.every((d) => ctx.sem.isCompiled(child(d, 'body') ?? d));
}

const NUMBA_BUILTINS = new Set(['len', 'range', 'abs', 'min', 'max', 'int', 'float', 'bool', 'complex', 'round', 'sum', 'pow', 'divmod', 'enumerate', 'zip', 'reversed', 'sorted', 'any', 'all', 'iter', 'next']);

const UNCOMPILABLE = new Set(['yield', 'await', 'lambda', 'with_statement', 'try_statement', 'global_statement', 'nonlocal_statement', 'class_definition', 'dictionary', 'set', 'dictionary_comprehension', 'set_comprehension']);
