// Rewrites a single element loop into array expressions. Each loop variable stands for a whole
// array (an index `i` for a slice, an element `v` for its array); each statement of the body
// becomes one array statement. Anything the rewriter does not fully understand gets no fix: a
// rewrite that changes results is worse than none.
import { type AstNode, child, descendants, descendantsInScope, isAncestor, operatorBetween, unparen } from '../../ast';
import { indentOf } from '../../edits';
import { classifyCall, makesCopy } from '../../semantics/calls';
import { isArrayKind } from '../../semantics/kinds';
import type { Fix } from '../../finding';
import type { RuleContext } from '../../rule';
import { carriedState, ELEMENTWISE_ARGUMENT, type NumericLoop, SAME_ELEMENTS } from './loopShape';
import { rowReductionFix } from './rowReduction';

/** math functions and builtins with a NumPy ufunc of the same meaning. */
export const UFUNCS: Record<string, string> = {
  sqrt: 'sqrt', exp: 'exp', log: 'log', log1p: 'log1p', log10: 'log10', log2: 'log2', expm1: 'expm1',
  sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', sinh: 'sinh', cosh: 'cosh', asin: 'arcsin', acos: 'arccos',
  atan: 'arctan', atan2: 'arctan2', floor: 'floor', ceil: 'ceil', fabs: 'abs', hypot: 'hypot', radians: 'radians',
  degrees: 'degrees', arcsin: 'arcsin', arccos: 'arccos', arctan: 'arctan', arctan2: 'arctan2', abs: 'abs',
  absolute: 'absolute', square: 'square', sign: 'sign', maximum: 'maximum', minimum: 'minimum', power: 'power',
  exp2: 'exp2', cbrt: 'cbrt', reciprocal: 'reciprocal', negative: 'negative', sigmoid: '', clip: 'clip',
  where: 'where', isnan: 'isnan', isfinite: 'isfinite', round: '', fmax: 'fmax', fmin: 'fmin',
};

interface Env {
  ctx: RuleContext;
  np: string;
  /** Loop variable -> what it stands for as an array. */
  vars: Map<string, string>;
  /** The index variable of a `range` loop, its start and stop. */
  index?: { name: string; start: string; stop: string };
  /** Names the rewrite turns into arrays (temporaries). */
  temps: Set<string>;
  /** Names that change inside the loop and may not be read as invariants. */
  changing: Set<string>;
  loop?: AstNode;
  /** True while rewriting the value stored into a one-dimensional array: each element is a scalar. */
  scalarStore?: boolean;
}

export function vectorizeFix(shape: NumericLoop, ctx: RuleContext): Fix[] {
  if (shape.nest.some((l) => l.type !== 'for_statement')) return [];
  // At module level whether the loop's names are read later is a question about every statement
  // after it (and would tie this finding to them): a script's loop gets the finding, not the rewrite.
  if (ctx.sem.enclosingScope(shape.nest[0]).isModule) return [];
  if (shape.nest.length !== 1) return rowReductionFix(shape, ctx);
  const loop = shape.nest[0];
  const np = ctx.sem.aliasOf('numpy');
  const indent = indentOf(ctx.source, loop);
  if (!np || indent === undefined) return [];
  const scope = ctx.sem.enclosingScope(loop);
  for (const kind of scope.kinds.values()) if (kind === 'tensor' || kind === 'frame' || kind === 'series') return [];
  const env = header(loop, np, ctx);
  if (!env) return [];
  // The loop's variables keep their last values after it; without the loop they would not exist.
  const targets = unparen(child(loop, 'left')!);
  if ((targets.type === 'identifier' ? [targets] : targets.children).some((t) => usedAfter(loop, ctx.text(t), ctx))) return [];
  if (singlePrecisionSum(loop, ctx)) return [];
  const body = child(loop, 'body')!;
  const lines = statements(body, loop, env);
  if (!lines || !lines.length) return [];
  const text = lines.join(`\n${indent}`);
  return [{ title: 'Replace the loop with array operations', edits: [{ start: loop.start, end: loop.end, newText: text }] }];
}

/**
 * A sum whose accumulator or data is float32/float16 where the code shows it: the loop adds in order
 * in single precision, `np.sum` pairwise, and the two differ far beyond rounding in double precision.
 */
function singlePrecisionSum(loop: AstNode, ctx: RuleContext): boolean {
  const sums = [...carriedState(loop, ctx.sem)].filter(([, role]) => role === 'sum').map(([name]) => name);
  if (!sums.length) return false;
  const names = new Set(sums);
  for (const d of descendants(loop)) if (d.type === 'identifier') names.add(ctx.text(d));
  const scope = ctx.sem.enclosingScope(loop);
  for (const n of descendantsInScope(scope.node)) {
    if (n.start >= loop.start) break;
    if (n.type !== 'assignment' || child(n, 'left')?.type !== 'identifier' || !names.has(ctx.text(child(n, 'left')!))) continue;
    if (/\b(float16|float32|half|single|bfloat16)\b/.test(ctx.text(child(n, 'right') ?? n))) return true;
  }
  return false;
}

// --- The loop header ----------------------------------------------------------------------------

function header(loop: AstNode, np: string, ctx: RuleContext): Env | undefined {
  const left = unparen(child(loop, 'left')!);
  const right = unparen(child(loop, 'right')!);
  const facts = ctx.sem.loop(loop);
  const env: Env = { ctx, np, vars: new Map(), temps: new Set(), changing: new Set([...facts.assigned, ...facts.mutated]), loop };
  // `for v in x` or `for v in x.ravel()`: v stands for the array.
  const method = right.type === 'call' ? ctx.sem.methodCall(right) : undefined;
  const receiver = method && unparen(method.receiver);
  // `x.ravel()`, or the flattened elements of a part of an array, `img[:, :, 0].ravel()`.
  const elements =
    method && SAME_ELEMENTS.has(method.method) &&
    (receiver!.type === 'identifier' || ((method.method === 'ravel' || method.method === 'flatten') && receiver!.type === 'subscript' && child(receiver!, 'value')?.type === 'identifier'));
  if (right.type !== 'call' || elements) {
    if (left.type !== 'identifier' || (right.type !== 'identifier' && !method)) return undefined;
    if (method && descendants(right).some((d) => d.type === 'identifier' && env.changing.has(ctx.text(d)))) return undefined;
    env.vars.set(ctx.text(left), method ? ctx.text(right) : asArray(right, env));
    return env;
  }
  const name = ctx.sem.bareCallee(right);
  const args = child(right, 'arguments')?.children ?? [];
  if (args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'comment')) return undefined;
  if (name === 'range' && left.type === 'identifier') {
    if (args.length === 3 || args.length === 0) return undefined;
    const [start, stop] = args.length === 1 ? ['0', ctx.text(args[0])] : [ctx.text(args[0]), ctx.text(args[1])];
    env.index = { name: ctx.text(left), start, stop };
    return env;
  }
  // `for i, v in enumerate(x)`: i runs over x's positions and v stands for the array.
  const pair = left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
  if (name === 'enumerate' && args.length === 1 && args[0].type === 'identifier' && pair.length === 2 && pair.every((t) => t.type === 'identifier')) {
    env.index = { name: ctx.text(pair[0]), start: '0', stop: `len(${ctx.text(args[0])})` };
    env.vars.set(ctx.text(pair[1]), asArray(args[0], env));
    return env;
  }
  if (name === 'zip' && (left.type === 'pattern_list' || left.type === 'tuple_pattern') && left.children.length === args.length) {
    if (!args.every((a) => a.type === 'identifier')) return undefined;
    left.children.forEach((t, i) => env.vars.set(ctx.text(t), asArray(args[i], env)));
    return env;
  }
  return undefined;
}

/**
 * An array the rewrite reads whole: as written when it is known to be one, else through
 * `np.asarray` (an unannotated parameter may be a Python list, on which `>` and `/` fail; for an
 * array it costs nothing).
 */
function asArray(node: AstNode, env: Env): string {
  const text = env.ctx.text(node);
  return isArrayKind(env.ctx.sem.kindOf(node, env.ctx.sem.enclosingScope(node))) ? text : `${env.np}.asarray(${text})`;
}

// --- Statements ---------------------------------------------------------------------------------

function statements(body: AstNode, loop: AstNode, env: Env): string[] | undefined {
  const { ctx } = env;
  const carried = carriedState(loop, ctx.sem);
  const out: string[] = [];
  const stmts = body.children.filter((s) => s.type !== 'comment' && s.type !== 'pass_statement');
  for (let k = 0; k < stmts.length; k++) {
    const stmt = stmts[k];
    if (stmt.type === 'if_statement') {
      const lines = conditional(stmt, loop, env, carried);
      if (!lines) return undefined;
      out.push(...lines);
      continue;
    }
    if (stmt.type !== 'expression_statement') return undefined;
    const e = stmt.children[0];
    if (e.type === 'call') {
      const line = listAppend(e, loop, env);
      if (!line) return undefined;
      out.push(line);
      continue;
    }
    const left = child(e, 'left');
    const right = child(e, 'right');
    if (!left || !right) return undefined;
    const op = e.type === 'augmented_assignment' ? ctx.source.slice(left.end, right.start).trim() : '=';
    if (left.type === 'identifier') {
      const name = ctx.text(left);
      const role = carried.get(name);
      if (role === 'sum') {
        // A running sum read by the next statement is a scan: `s += e; out[i] = s`.
        const next = stmts[k + 1];
        const scan = next ? scanTarget(next, name, env) : undefined;
        if (scan === null) return undefined;
        const term = sumTerm(e, name, op, env);
        if (!term) return undefined;
        if (scan) {
          if (readElsewhere(loop, name, [stmt, next], ctx) || usedAfter(loop, name, ctx)) return undefined;
          const cum = term.op === '*' ? `${env.np}.cumprod(${term.value})` : `${env.np}.cumsum(${term.value})`;
          out.push(`${scan} = ${name} ${term.op === '-' ? '-' : term.op} ${cum}`);
          k++;
          continue;
        }
        if (readElsewhere(loop, name, [stmt], ctx)) return undefined;
        out.push(term.op === '*' ? `${name} *= ${env.np}.prod(${term.value})` : `${name} ${term.op}= ${env.np}.sum(${term.value})`);
        continue;
      }
      if (role || op !== '=' || usedAfter(loop, name, ctx) || env.vars.has(name)) return undefined;
      // A temporary: recomputed on every iteration, it becomes an array.
      const value = vector(right, env);
      if (value === undefined) return undefined;
      env.temps.add(name);
      out.push(`${name} = ${value}`);
      continue;
    }
    const line = subscriptStore(left, right, op, loop, env);
    if (!line) return undefined;
    out.push(line);
  }
  return out;
}

/** `out[i] = e` -> `out[sl] = E`; `counts[k] += e` (k data-dependent) -> `np.add.at(counts, K, E)`. */
function subscriptStore(left: AstNode, right: AstNode, op: string, loop: AstNode, env: Env): string | undefined {
  const { ctx } = env;
  if (left.type !== 'subscript') return undefined;
  const base = child(left, 'value');
  if (!base || base.type !== 'identifier') return undefined;
  const name = ctx.text(base);
  const subs = left.children.filter((c) => c.field === 'subscript');
  if (!storeIsOwnWork(left, name, right, loop, env)) return undefined;
  env.scalarStore = subs.length === 1 && oneDimensional(name, loop, ctx);
  const value = vector(right, env);
  env.scalarStore = false;
  if (value === undefined) return undefined;
  const slice = sliceFor(subs, env);
  if (slice !== undefined) {
    if (op === '=') return `${name}[${slice}] = ${value}`;
    if (['+=', '-=', '*=', '/='].includes(op)) return `${name}[${slice}] ${op} ${value}`;
    return undefined;
  }
  return scatter(name, subs, right, value, op, env);
}

/**
 * Whether `name[...] op= right` touches only its own position each iteration: every access of
 * `name` in the loop uses the store's subscript, and the value reads neither other positions of an
 * array that may be the same one (`dst[i] = src[i - 1]` with both passed in) nor a view of it
 * (`origin = points[0]`, then `points[i] -= origin`: the loop changes what the view shows).
 */
function storeIsOwnWork(store: AstNode, name: string, right: AstNode, loop: AstNode, env: Env): boolean {
  const { ctx } = env;
  if (!sameIndexEverywhere(loop, name, store, ctx)) return false;
  if (readsOtherPositions(right, store, env) && !freshBuffer(name, loop, ctx)) return false;
  return !readsViewOf(right, name, loop, ctx);
}

/**
 * `counts[k] += e` or `table[t, p] += e`, the positions coming from the data (a label, a bucket):
 * `np.add.at`, which adds once per occurrence as the loop does. `seen[k] = True`, the same value
 * wherever it lands: one assignment through the positions. Under `if c:` (`mask`, the array form of
 * `c`), only the positions and values where `c` holds.
 */
function scatter(name: string, subs: AstNode[], right: AstNode, value: string, op: string, env: Env, mask?: string): string | undefined {
  // Stored values that differ by element would land in an order the loop does not promise for repeated positions.
  const marks = op === '=' && !dependsOnLoop(right, env);
  if (op !== '+=' && op !== '-=' && !marks) return undefined;
  const where = (node: AstNode, t: string) => (mask && dependsOnLoop(node, env) ? `${paren(node, t)}[${mask}]` : t);
  const indices: string[] = [];
  for (const sub of subs) {
    if (sub.type === 'slice') return undefined;
    const index = vector(sub, env);
    if (index === undefined) return undefined;
    indices.push(where(sub, index));
  }
  if (!subs.some((sub) => dependsOnLoop(sub, env))) return undefined;
  if (marks) return `${name}[${indices.join(', ')}] = ${value}`;
  const positions = indices.length === 1 ? indices[0] : `(${indices.join(', ')})`;
  return `${env.np}.${op === '+=' ? 'add' : 'subtract'}.at(${name}, ${positions}, ${where(right, value)})`;
}

/** Whether `value` reads some array at a loop-dependent position other than the store's. */
function readsOtherPositions(value: AstNode, store: AstNode, env: Env): boolean {
  const { ctx } = env;
  const position = (s: AstNode) => s.children.filter((c) => c.field === 'subscript').map((c) => ctx.text(c).replace(/\s+/g, '')).join(',');
  const stored = position(store);
  for (const n of descendants(value)) {
    if (n.type !== 'subscript' || !n.children.some((c) => c.field === 'subscript' && dependsOnLoop(c, env))) continue;
    if (position(n) !== stored) return true;
  }
  return false;
}

/** Whether `value` reads a name bound to `array` itself or to a part of it (`row = a[0]`, `t = a.T`). */
function readsViewOf(value: AstNode, array: string, loop: AstNode, ctx: RuleContext): boolean {
  const names = new Set(descendants(value).filter((n) => n.type === 'identifier').map((n) => ctx.text(n)));
  names.delete(array);
  for (const name of names) {
    for (const binding of bindingsOf(name, loop, ctx)) {
      let source = child(binding, 'right');
      while (source && (source.type === 'subscript' || source.type === 'attribute' || source.type === 'parenthesized_expression')) {
        source = source.type === 'subscript' ? child(source, 'value') : source.type === 'attribute' ? child(source, 'object') : source.children[0];
      }
      if (source?.type === 'identifier' && ctx.text(source) === array) return true;
    }
  }
  return false;
}

/** The assignments (plain or augmented) to `name` in the loop's scope. */
function bindingsOf(name: string, loop: AstNode, ctx: RuleContext): AstNode[] {
  return descendantsInScope(ctx.sem.enclosingScope(loop).node).filter(
    (n) => (n.type === 'assignment' || n.type === 'augmented_assignment') && child(n, 'left')?.type === 'identifier' && ctx.text(child(n, 'left')!) === name,
  );
}

/** `name` is bound once in the loop's scope, to a new array (an allocation or a copy): nothing else can alias it. */
function freshBuffer(name: string, loop: AstNode, ctx: RuleContext): boolean {
  const scope = ctx.sem.enclosingScope(loop);
  if (scope.params.has(name)) return false;
  const bindings = bindingsOf(name, loop, ctx);
  const value = bindings.length === 1 && bindings[0].type === 'assignment' ? child(bindings[0], 'right') : undefined;
  if (value?.type !== 'call') return false;
  return classifyCall(value, scope, ctx.sem) === 'allocation' || makesCopy(value, scope, ctx.sem);
}

/** The slice a store's subscripts select over the whole range, or undefined when not a plain `[i]`. */
function sliceFor(subs: AstNode[], env: Env): string | undefined {
  const { ctx } = env;
  if (!env.index) return undefined;
  const parts: string[] = [];
  let found = false;
  for (const s of subs) {
    const off = indexOffset(s, env);
    if (off !== undefined) {
      if (found) return undefined;
      found = true;
      parts.push(rangeSlice(env.index.start, env.index.stop, off));
    } else {
      if (dependsOnLoop(s, env)) return undefined;
      parts.push(ctx.text(s));
    }
  }
  return found ? parts.join(', ') : undefined;
}

/** `i` -> 0, `i + 2` -> 2, `i - 1` -> -1; undefined for anything else. */
function indexOffset(node: AstNode, env: Env): number | undefined {
  const { ctx } = env;
  const n = unparen(node);
  const name = env.index?.name;
  if (!name) return undefined;
  if (n.type === 'identifier') return ctx.text(n) === name ? 0 : undefined;
  if (n.type !== 'binary_operator') return undefined;
  const l = unparen(child(n, 'left')!);
  const r = unparen(child(n, 'right')!);
  const op = operatorBetween(ctx.source, l, r);
  if (l.type === 'identifier' && ctx.text(l) === name && r.type === 'integer') {
    if (op === '+') return Number(ctx.text(r));
    if (op === '-') return -Number(ctx.text(r));
  }
  if (r.type === 'identifier' && ctx.text(r) === name && l.type === 'integer' && op === '+') return Number(ctx.text(l));
  return undefined;
}

export function rangeSlice(start: string, stop: string, offset: number): string {
  const lo = shift(start, offset);
  const hi = shift(stop, offset);
  return `${lo === '0' ? '' : lo}:${hi}`;
}

/** `n - 1` shifted by 1 is `n`; `3` shifted by -1 is `2`; otherwise `(expr) + k`. */
export function shift(expr: string, k: number): string {
  if (k === 0) return expr;
  if (/^-?\d+$/.test(expr.trim())) return String(Number(expr) + k);
  const m = /^(.*?)\s*([+-])\s*(\d+)$/.exec(expr.trim());
  if (m && !/[()]/.test(m[1]) && !/[-+*/%<>=&|]/.test(m[1])) {
    const total = (m[2] === '+' ? 1 : -1) * Number(m[3]) + k;
    return total === 0 ? m[1] : `${m[1]} ${total > 0 ? '+' : '-'} ${Math.abs(total)}`;
  }
  return `${/^[\w.]+$/.test(expr) ? expr : `(${expr})`} ${k > 0 ? '+' : '-'} ${Math.abs(k)}`;
}

/** Every access of `name` in the loop uses the same subscript as `store` (no neighbour reads). */
function sameIndexEverywhere(loop: AstNode, name: string, store: AstNode, ctx: RuleContext): boolean {
  const key = (s: AstNode) => ctx.text(s).slice(ctx.text(child(s, 'value')!).length).replace(/\s+/g, '');
  const want = key(store);
  for (const n of descendantsInScope(child(loop, 'body')!)) {
    if (n.type === 'identifier' && ctx.text(n) === name) {
      const p = n.parent;
      if (!p || p.type !== 'subscript' || n.field !== 'value' || key(p) !== want) return false;
    }
  }
  return true;
}

interface SumTerm {
  op: '+' | '-' | '*';
  value: string;
}

function sumTerm(e: AstNode, name: string, op: string, env: Env): SumTerm | undefined {
  const { ctx } = env;
  const right = child(e, 'right')!;
  if (e.type === 'augmented_assignment') {
    const value = vector(right, env);
    if (value === undefined || !['+=', '-=', '*='].includes(op)) return undefined;
    return { op: op[0] as SumTerm['op'], value };
  }
  const r = unparen(right);
  if (r.type !== 'binary_operator') return undefined;
  const l = child(r, 'left')!;
  const rr = child(r, 'right')!;
  const bop = ctx.source.slice(l.end, rr.start).trim();
  const isName = (x: AstNode) => unparen(x).type === 'identifier' && ctx.text(unparen(x)) === name;
  const other = isName(l) ? rr : isName(rr) && bop !== '-' ? l : undefined;
  if (!other || !['+', '-', '*'].includes(bop)) return undefined;
  const value = vector(other, env);
  return value === undefined ? undefined : { op: bop as SumTerm['op'], value };
}

/** For `out[i] = s` right after a running sum: the store's target (`out[sl]`); null when it is another use. */
function scanTarget(stmt: AstNode, name: string, env: Env): string | undefined | null {
  const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
  if (!e || e.type !== 'assignment') return undefined;
  const right = child(e, 'right')!;
  const left = child(e, 'left')!;
  if (unparen(right).type !== 'identifier' || env.ctx.text(unparen(right)) !== name) return undefined;
  if (left.type !== 'subscript') return null;
  const base = child(left, 'value')!;
  const slice = sliceFor(left.children.filter((c) => c.field === 'subscript'), env);
  return slice === undefined ? null : `${env.ctx.text(base)}[${slice}]`;
}

/** `if c: out[i] = a / elif ... / else: out[i] = b` -> `np.where`; `if c: s += e` -> a masked sum; max/min. */
function conditional(stmt: AstNode, loop: AstNode, env: Env, carried: Map<string, string>): string[] | undefined {
  const { ctx, np } = env;
  const arms: { cond?: AstNode; block: AstNode }[] = [];
  arms.push({ cond: child(stmt, 'condition'), block: child(stmt, 'consequence')! });
  for (const c of stmt.children) {
    if (c.type === 'elif_clause') arms.push({ cond: child(c, 'condition'), block: child(c, 'consequence')! });
    if (c.type === 'else_clause') arms.push({ block: child(c, 'body')! });
  }
  const single = (block: AstNode) => {
    const stmts = block.children.filter((s) => s.type !== 'comment');
    return stmts.length === 1 && stmts[0].type === 'expression_statement' ? stmts[0].children[0] : undefined;
  };
  // A running max/min: `if v > m: m = v`.
  if (arms.length === 1) {
    const e = single(arms[0].block);
    const cond = unparen(arms[0].cond!);
    if (e?.type === 'assignment' && child(e, 'left')?.type === 'identifier' && carried.get(ctx.text(child(e, 'left')!)) === 'minmax') {
      const m = ctx.text(child(e, 'left')!);
      const v = child(e, 'right')!;
      if (cond.type !== 'comparison_operator' || cond.children.length !== 2 || readElsewhere(loop, m, [stmt], ctx)) return undefined;
      const [a, b] = cond.children;
      const op = ctx.source.slice(a.end, b.start).trim();
      const vText = ctx.text(unparen(v)).replace(/\s+/g, '');
      const aText = ctx.text(unparen(a)).replace(/\s+/g, '');
      const bText = ctx.text(unparen(b)).replace(/\s+/g, '');
      const isMax = (aText === vText && bText === m && (op === '>' || op === '>=')) || (aText === m && bText === vText && (op === '<' || op === '<='));
      const isMin = (aText === vText && bText === m && (op === '<' || op === '<=')) || (aText === m && bText === vText && (op === '>' || op === '>='));
      const value = vector(v, env);
      if ((!isMax && !isMin) || value === undefined) return undefined;
      // `fmax` skips NaN as the comparison does (`np.max` would return it).
      return [`${m} = ${np}.${isMax ? 'fmax' : 'fmin'}.reduce(${value}, initial=${m})`];
    }
    // A masked sum: `if c: s += e`.
    if (e?.type === 'augmented_assignment' && child(e, 'left')?.type === 'identifier' && carried.get(ctx.text(child(e, 'left')!)) === 'sum') {
      const s = ctx.text(child(e, 'left')!);
      const op = ctx.source.slice(child(e, 'left')!.end, child(e, 'right')!.start).trim();
      const c = vector(arms[0].cond!, env);
      const value = vector(child(e, 'right')!, env);
      if ((op !== '+=' && op !== '-=') || c === undefined || value === undefined || readElsewhere(loop, s, [stmt], ctx)) return undefined;
      return [`${s} ${op} ${np}.sum(${np}.where(${c}, ${value}, 0))`];
    }
    // A masked scatter: `if c: counts[k] += e`.
    const store = e?.type === 'augmented_assignment' || e?.type === 'assignment' ? child(e, 'left') : undefined;
    const base = store?.type === 'subscript' ? child(store, 'value') : undefined;
    const subs = store?.children.filter((c) => c.field === 'subscript') ?? [];
    if (e && store && base?.type === 'identifier' && sliceFor(subs, env) === undefined) {
      const name = ctx.text(base);
      const right = child(e, 'right')!;
      const cond = arms[0].cond!;
      const c = vector(cond, env);
      if (c === undefined || !dependsOnLoop(cond, env) || !storeIsOwnWork(store, name, right, loop, env)) return undefined;
      const value = vector(right, env);
      const op = e.type === 'assignment' ? '=' : operatorBetween(ctx.source, store, right);
      const line = value === undefined ? undefined : scatter(name, subs, right, value, op, env, c);
      return line ? [line] : undefined;
    }
  }
  // Conditional stores: every arm assigns `target[same index] = value`.
  const stores = arms.map((arm) => {
    const e = single(arm.block);
    return e?.type === 'assignment' && child(e, 'left')?.type === 'subscript' ? e : undefined;
  });
  if (stores.some((s) => !s)) return undefined;
  const target = ctx.text(child(stores[0]!, 'left')!).replace(/\s+/g, '');
  if (!stores.every((s) => ctx.text(child(s!, 'left')!).replace(/\s+/g, '') === target)) return undefined;
  const left = child(stores[0]!, 'left')!;
  const base = ctx.text(child(left, 'value')!);
  if (!sameIndexEverywhere(loop, base, left, ctx)) return undefined;
  const slice = sliceFor(left.children.filter((c) => c.field === 'subscript'), env);
  if (slice === undefined) return undefined;
  // Without an else, the element keeps its current value.
  let result = arms[arms.length - 1].cond ? `${base}[${slice}]` : vector(child(stores[stores.length - 1]!, 'right')!, env);
  for (let k = arms.length - 1; k >= 0; k--) {
    const arm = arms[k];
    if (!arm.cond) continue;
    const c = vector(arm.cond, env);
    const v = vector(child(stores[k]!, 'right')!, env);
    if (c === undefined || v === undefined || result === undefined) return undefined;
    result = `${np}.where(${c}, ${v}, ${result})`;
  }
  return result === undefined ? undefined : [`${base}[${slice}] = ${result}`];
}

/** `out.append(e)` -> `out.extend((E).tolist())`, keeping `out` a list of the same values. */
function listAppend(call: AstNode, loop: AstNode, env: Env): string | undefined {
  const { ctx, np } = env;
  const m = ctx.sem.methodCall(call);
  const args = child(call, 'arguments')?.children ?? [];
  if (!m || m.method !== 'append' || m.receiver.type !== 'identifier' || args.length !== 1) return undefined;
  const list = ctx.text(m.receiver);
  if (readElsewhere(loop, list, [call], ctx)) return undefined;
  const arg = unparen(args[0]);
  let value: string | undefined;
  if (arg.type === 'list' || arg.type === 'tuple') {
    const items = arg.children.map((c) => vector(c, env));
    if (items.some((i) => i === undefined) || !items.length) return undefined;
    value = `${np}.stack(${np}.broadcast_arrays(${items.join(', ')}), axis=1)`;
    if (arg.type === 'tuple') return `${list}.extend(map(tuple, (${value}).tolist()))`;
  } else {
    value = vector(arg, env);
  }
  if (value === undefined || !dependsOnLoop(arg, env)) return undefined;
  return `${list}.extend((${value}).tolist())`;
}

// --- Expressions ----------------------------------------------------------------------------------

/** `t`, the array form of `node`, in parentheses where an operator would bind into it. */
export function paren(node: AstNode, t: string): string {
  const u = unparen(node);
  return u.type === 'binary_operator' || u.type === 'unary_operator' || u.type === 'boolean_operator' || u.type === 'comparison_operator' || u.type === 'not_operator' ? `(${t})` : t;
}

/** The array form of a per-element expression, or undefined when it has none this rewriter knows. */
function vector(node: AstNode, env: Env): string | undefined {
  const { ctx, np } = env;
  const n = unparen(node);
  if (!dependsOnLoop(n, env)) {
    // Invariant: kept as written, unless it reads something the loop changes.
    for (const d of descendants(n)) {
      if (d.type === 'identifier' && env.changing.has(ctx.text(d)) && !(d.field === 'attribute' && d.parent?.type === 'attribute')) return undefined;
      if (d.type === 'call') return undefined;
    }
    return ctx.text(n);
  }
  switch (n.type) {
    case 'identifier': {
      const name = ctx.text(n);
      if (env.vars.has(name)) return env.vars.get(name);
      if (env.temps.has(name)) return name;
      if (env.index?.name === name) return `${np}.arange(${env.index.start}, ${env.index.stop})`;
      return undefined;
    }
    case 'subscript': {
      const base = child(n, 'value');
      if (!base || base.type !== 'identifier' || dependsOnLoop(base, env)) return undefined;
      const slice = sliceFor(n.children.filter((c) => c.field === 'subscript'), env);
      // An array the loop writes may be read only at the element being written (no neighbours).
      if (env.changing.has(ctx.text(base)) && (slice === undefined || !env.loop || !sameIndexEverywhere(env.loop, ctx.text(base), n, ctx))) return undefined;
      if (slice !== undefined) {
        // The whole of a one-dimensional read over `range(len(x))` is `x` itself.
        const whole = new RegExp(`^:(len\\(${ctx.text(base)}\\)|${ctx.text(base)}\\.shape\\[0\\])$`);
        return whole.test(slice) ? asArray(base, env) : `${asArray(base, env)}[${slice}]`;
      }
      const subs = n.children.filter((c) => c.field === 'subscript');
      if (subs.length !== 1) return undefined;
      const index = vector(subs[0], env);
      // Gathering by per-element positions: `w[labels[i]]` -> `w[labels]`.
      return index === undefined ? undefined : `${ctx.text(base)}[${index}]`;
    }
    case 'binary_operator': {
      const l = child(n, 'left')!;
      const r = child(n, 'right')!;
      const op = operatorBetween(ctx.source, l, r);
      if (!['+', '-', '*', '/', '//', '%', '**'].includes(op)) return undefined;
      const a = vector(l, env);
      const b = vector(r, env);
      return a === undefined || b === undefined ? undefined : `${paren(l, a)} ${op} ${paren(r, b)}`;
    }
    case 'unary_operator': {
      const arg = child(n, 'argument')!;
      const a = vector(arg, env);
      const op = ctx.text(n).trim()[0];
      return a === undefined || (op !== '-' && op !== '+') ? undefined : `${op}${paren(arg, a)}`;
    }
    case 'not_operator': {
      const arg = child(n, 'argument')!;
      const a = vector(arg, env);
      return a === undefined ? undefined : `${np}.logical_not(${a})`;
    }
    case 'comparison_operator': {
      if (n.children.length !== 2) return undefined;
      const [l, r] = n.children;
      const op = operatorBetween(ctx.source, l, r);
      if (!['<', '>', '<=', '>=', '==', '!='].includes(op)) return undefined;
      const a = vector(l, env);
      const b = vector(r, env);
      return a === undefined || b === undefined ? undefined : `${paren(l, a)} ${op} ${paren(r, b)}`;
    }
    case 'boolean_operator': {
      const l = child(n, 'left')!;
      const r = child(n, 'right')!;
      const op = ctx.source.slice(l.end, r.start).trim();
      const a = vector(l, env);
      const b = vector(r, env);
      if (a === undefined || b === undefined) return undefined;
      return `${np}.logical_${op === 'and' ? 'and' : 'or'}(${a}, ${b})`;
    }
    case 'conditional_expression': {
      const [whenTrue, cond, whenFalse] = n.children;
      const a = vector(whenTrue, env);
      const c = vector(cond, env);
      const b = vector(whenFalse, env);
      return a === undefined || b === undefined || c === undefined ? undefined : `${np}.where(${c}, ${a}, ${b})`;
    }
    case 'call':
      return vectorCall(n, env);
    default:
      return undefined;
  }
}

function vectorCall(call: AstNode, env: Env): string | undefined {
  const { ctx, np } = env;
  const scope = ctx.sem.enclosingScope(call);
  const callee = ctx.sem.calleeName(call, scope);
  const bare = ctx.sem.bareCallee(call);
  const args = child(call, 'arguments')?.children ?? [];
  if (args.some((a) => a.type !== 'keyword_argument' && a.type === 'list_splat')) return undefined;
  const positional = args.filter((a) => a.type !== 'keyword_argument');
  // `np.interp(x[i], xp, fp)` for every element: the same call given all of them.
  const elementwise = callee ? ELEMENTWISE_ARGUMENT[callee] : undefined;
  if (elementwise !== undefined) {
    const keywords = args.filter((a) => a.type === 'keyword_argument');
    if (positional.some((p, i) => i !== elementwise && dependsOnLoop(p, env)) || keywords.some((k) => dependsOnLoop(k, env))) return undefined;
    const values = positional.map((p, i) => (i === elementwise ? vector(p, env) : ctx.text(p)));
    if (values.some((v) => v === undefined)) return undefined;
    return `${ctx.text(child(call, 'function')!)}(${[...values, ...keywords.map((k) => ctx.text(k))].join(', ')})`;
  }
  const vargs = positional.map((a) => vector(a, env));
  if (vargs.some((a) => a === undefined)) return undefined;
  // A row's dot product with a fixed vector, `np.dot(W[i], x)`, for every row at once: `np.dot(W, x)`
  // (a dot product contracts W's last axis and carries its leading one through). Only when stored
  // into a one-dimensional array: each result is then a scalar, so W[i] and x are vectors (or both
  // scalars, where `np.dot(W, x)` is `W * x`, again the same).
  if (callee === 'numpy.dot' && env.scalarStore && positional.length === 2 && args.length === 2) {
    const [a, b] = positional.map((p) => dependsOnLoop(p, env));
    if (a !== b) return `${np}.dot(${a ? vargs[0] : vargs[1]}, ${a ? vargs[1] : vargs[0]})`;
  }
  let ufunc: string | undefined;
  if (callee && /^(math|numpy)\.\w+$/.test(callee)) ufunc = UFUNCS[callee.split('.')[1]] || undefined;
  else if (bare && ctx.sem.isBuiltin(bare, scope)) {
    if (bare === 'abs') ufunc = 'abs';
    else if ((bare === 'min' || bare === 'max') && positional.length === 2 && args.length === 2) {
      // Python's min(a, b) is `b if b < a else a`: a NaN on either side comes out as that comparison
      // says (min(1.0, nan) is 1.0), where np.minimum would give NaN.
      const [a, b] = vargs.map((v) => (/^[\w.]+$/.test(v!) ? v : `(${v})`));
      return `${np}.where(${b} ${bare === 'min' ? '<' : '>'} ${a}, ${b}, ${a})`;
    }
  }
  if (!ufunc || args.some((a) => a.type === 'keyword_argument')) return undefined;
  return `${np}.${ufunc}(${vargs.join(', ')})`;
}

/**
 * True when `name` is bound once in the loop's function, to a new one-dimensional array:
 * `np.zeros(n)`, `np.empty(len(x))`, `np.ones(k)`, `np.full(n, v)` (a shape that is not a tuple).
 */
export function oneDimensional(name: string, loop: AstNode, ctx: RuleContext): boolean {
  const scope = ctx.sem.enclosingScope(loop);
  const bindings = bindingsOf(name, loop, ctx);
  if (bindings.length !== 1 || bindings[0].type !== 'assignment' || scope.params.has(name)) return false;
  const value = child(bindings[0], 'right');
  if (value?.type !== 'call') return false;
  const callee = ctx.sem.calleeName(value, scope);
  const args = child(value, 'arguments')?.children ?? [];
  const shape = unparen(args[0] ?? value);
  return (
    ['numpy.zeros', 'numpy.empty', 'numpy.ones', 'numpy.full'].includes(callee ?? '') &&
    args.length > 0 &&
    args[0].type !== 'keyword_argument' &&
    !['tuple', 'list', 'expression_list'].includes(shape.type) &&
    !args.some((a) => a.type === 'keyword_argument' && ctx.text(child(a, 'name')!) === 'shape')
  );
}

function dependsOnLoop(node: AstNode, env: Env): boolean {
  for (const d of descendants(node)) {
    if (d.type !== 'identifier' || (d.field === 'attribute' && d.parent?.type === 'attribute')) continue;
    const name = env.ctx.text(d);
    if (env.vars.has(name) || env.temps.has(name) || env.index?.name === name) return true;
  }
  return false;
}

/** Whether `name` appears in the loop outside the given statements. */
function readElsewhere(loop: AstNode, name: string, except: AstNode[], ctx: RuleContext): boolean {
  for (const n of descendantsInScope(child(loop, 'body')!)) {
    if (n.type !== 'identifier' || ctx.text(n) !== name) continue;
    if (except.some((e) => n.start >= e.start && n.end <= e.end)) continue;
    return true;
  }
  return false;
}

/**
 * Whether `name` is read after the loop in its scope before it is bound again (its last value from
 * the loop would change). A later `for name in ...` binds it only inside that loop, which may not run.
 */
export function usedAfter(loop: AstNode, name: string, ctx: RuleContext): boolean {
  const scope = ctx.sem.enclosingScope(loop);
  let from = loop.end;
  for (const n of descendantsInScope(scope.node)) {
    if (n.type !== 'identifier' || n.start < from || ctx.text(n) !== name) continue;
    const binding = rebinding(n, loop);
    if (!binding) return true;
    if (binding.type !== 'for_statement') return false;
    from = binding.end;
  }
  return false;
}

/** The assignment or `for` statement that binds `target` on every path after `loop`, if it is one. */
function rebinding(target: AstNode, loop: AstNode): AstNode | undefined {
  const holder = target.parent?.type === 'pattern_list' || target.parent?.type === 'tuple_pattern' ? target.parent : target;
  const statement = holder.parent;
  if (holder.field !== 'left' || (statement?.type !== 'assignment' && statement?.type !== 'for_statement')) return undefined;
  // Bound in the block that holds the loop (or one around it), not in a branch that may not run.
  const block = statement.type === 'assignment' ? statement.parent?.parent : statement.parent;
  return block && isAncestor(block, loop) ? statement : undefined;
}
