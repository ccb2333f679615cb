// Rewrites a two-level nest whose inner loops reduce along one axis of 2-D arrays (row sums, dot
// products, maxima and argmaxima per row, per-column moments) and whose outer loop stores one value
// per outer index into one-dimensional arrays:
//
//     for i in range(n):                        acc = bias[:n]
//         acc = bias[i]                   ->    acc = acc + np.sum(W[:n, :k] * x[:k], axis=1)
//         for j in range(k):                    y[:n] = acc
//             acc += W[i, j] * x[j]
//         y[i] = acc
//
// Every value in the nest is given a class: the same for every element (S), one per outer index
// (O), one per inner index (N), or one per pair (M, a 2-D array laid out as the nest's 2-D reads
// are). Values of different classes are broadcast against each other; an inner loop's reduction
// turns M into O. Anything outside this grammar gets no fix.
import { type AstNode, child, descendants, operatorBetween, unparen } from '../../ast';
import { indentOf } from '../../edits';
import type { Fix } from '../../finding';
import type { RuleContext } from '../../rule';
import type { NumericLoop } from './loopShape';
import { oneDimensional, paren, rangeSlice, shift, UFUNCS, usedAfter } from './vectorize';

type Cls = 'S' | 'O' | 'N' | 'M';

interface Value {
  text: string;
  cls: Cls;
}

interface Range {
  name: string;
  start: string;
  stop: string;
}

interface Nest {
  ctx: RuleContext;
  np: string;
  outer: Range;
  /** The inner loop being rewritten, while inside one. */
  inner?: Range;
  /** Where the outer index sits in the nest's 2-D reads: 0 for `A[i, j]`, 1 for `A[j, i]`. */
  outerAxis: 0 | 1;
  /** Names the nest assigns (per-row temporaries), with their class. */
  temps: Map<string, Cls>;
  /** Arrays the nest stores into: read nowhere in it. */
  stored: Set<string>;
  /** Every name the nest assigns or mutates: not an invariant, whatever its place. */
  changing: Set<string>;
  /** The names the inner loop being rewritten assigns (its running values). */
  runningInLoop: Set<string>;
}

/** One line of the rewrite: its target name (for dropping stores nothing reads) and the names it reads. */
interface Line {
  target?: string;
  text: string;
  reads: Set<string>;
  /** For `name = value`: the value. */
  value?: string;
  /** For a running sum, `name = name + sum`: the operator and the sum. */
  adds?: { op: string; sum: string };
}

export function rowReductionFix(shape: NumericLoop, ctx: RuleContext): Fix[] {
  const [outerLoop, ...inner] = shape.nest;
  const np = ctx.sem.aliasOf('numpy');
  const indent = indentOf(ctx.source, outerLoop);
  const body = child(outerLoop, 'body');
  if (!np || indent === undefined || !body || !inner.length || inner.some((l) => l.parent !== body)) return [];
  const outer = rangeOf(outerLoop, ctx);
  if (!outer || usedAfter(outerLoop, outer.name, ctx)) return [];
  const facts = ctx.sem.loop(outerLoop);
  const nest: Nest = { ctx, np, outer, outerAxis: 0, temps: new Map(), stored: new Set(), changing: new Set([...facts.assigned, ...facts.mutated]), runningInLoop: new Set() };
  // Inner indices: each inner loop binds its own before use; none is read outside them or after the nest.
  for (const l of inner) {
    const name = ctx.text(unparen(child(l, 'left')!));
    if (usedAfter(outerLoop, name, ctx)) return [];
    for (const d of descendants(body)) {
      if (d.type === 'identifier' && ctx.text(d) === name && !inner.some((x) => d.start >= x.start && d.end <= x.end)) return [];
    }
  }
  const axis = outerAxisOf(outerLoop, outer.name, inner, ctx);
  if (axis === undefined) return [];
  nest.outerAxis = axis;
  const lines: Line[] = [];
  for (const stmt of body.children) {
    if (stmt.type === 'comment' || stmt.type === 'pass_statement') continue;
    const out = stmt.type === 'for_statement' ? innerLoop(stmt, nest) : outerStatement(stmt, nest);
    if (!out) return [];
    lines.push(...out);
  }
  // Per-row temporaries become arrays: their values after the loop would differ.
  for (const name of nest.temps.keys()) if (usedAfter(outerLoop, name, ctx)) return [];
  for (const name of nest.stored) {
    for (const n of descendants(body)) if (n.type === 'identifier' && ctx.text(n) === name && !isStoreTarget(n, nest)) return [];
  }
  const text = withoutDeadStores(withSumsFolded(lines)).map((l) => l.text).join(`\n${indent}`);
  return [{ title: 'Replace the loop nest with array operations', edits: [{ start: outerLoop.start, end: outerLoop.end, newText: text }] }];
}

/** `for i in range(stop)` or `range(start, stop)` with bounds the nest does not change. */
function rangeOf(loop: AstNode, ctx: RuleContext): Range | undefined {
  const left = unparen(child(loop, 'left')!);
  const right = unparen(child(loop, 'right')!);
  if (left.type !== 'identifier' || right.type !== 'call' || ctx.sem.bareCallee(right) !== 'range') return undefined;
  const scope = ctx.sem.enclosingScope(loop);
  if (!ctx.sem.isBuiltin('range', scope)) return undefined;
  const args = child(right, 'arguments')?.children ?? [];
  if ((args.length !== 1 && args.length !== 2) || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat')) return undefined;
  for (const a of args) for (const d of descendants(a)) if (d.type === 'call' && ctx.sem.bareCallee(d) !== 'len') return undefined;
  const [start, stop] = args.length === 1 ? ['0', ctx.text(args[0])] : [ctx.text(args[0]), ctx.text(args[1])];
  return { name: ctx.text(left), start, stop };
}

/** Where the outer index sits in the 2-D reads that use both indices; all must agree. */
function outerAxisOf(outerLoop: AstNode, outer: string, inner: AstNode[], ctx: RuleContext): 0 | 1 | undefined {
  const innerNames = new Set(inner.map((l) => ctx.text(unparen(child(l, 'left')!))));
  let axis: 0 | 1 | undefined;
  for (const n of descendants(child(outerLoop, 'body')!)) {
    if (n.type !== 'subscript') continue;
    const subs = n.children.filter((c) => c.field === 'subscript').map((s) => ctx.text(unparen(s)));
    if (subs.length !== 2) continue;
    const here = subs[0] === outer && innerNames.has(subs[1]) ? 0 : subs[1] === outer && innerNames.has(subs[0]) ? 1 : undefined;
    if (here === undefined) continue;
    if (axis !== undefined && axis !== here) return undefined;
    axis = here;
  }
  return axis ?? 0;
}

// --- Statements -----------------------------------------------------------------------------------

/** `name = e` (a per-row temporary) or `out[i] = e` (a one-dimensional result). */
function outerStatement(stmt: AstNode, nest: Nest): Line[] | undefined {
  const { ctx } = nest;
  const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
  if (e?.type !== 'assignment') return undefined;
  const left = child(e, 'left')!;
  const right = child(e, 'right')!;
  if (left.type === 'identifier') {
    const name = ctx.text(left);
    if (name === nest.outer.name || nest.stored.has(name)) return undefined;
    const value = expr(right, nest);
    if (!value || value.cls === 'N' || value.cls === 'M') return undefined;
    nest.temps.set(name, value.cls);
    return [{ ...line(name, `${name} = ${value.text}`, right, nest), value: value.text }];
  }
  if (left.type !== 'subscript') return undefined;
  const base = child(left, 'value')!;
  const subs = left.children.filter((c) => c.field === 'subscript');
  if (base.type !== 'identifier' || subs.length !== 1 || ctx.text(unparen(subs[0])) !== nest.outer.name) return undefined;
  const name = ctx.text(base);
  if (nest.temps.has(name) || !oneDimensional(name, stmt, ctx)) return undefined;
  const value = expr(right, nest);
  if (!value || value.cls === 'N' || value.cls === 'M') return undefined;
  nest.stored.add(name);
  return [line(undefined, `${name}[${rangeSlice(nest.outer.start, nest.outer.stop, 0)}] = ${value.text}`, right, nest)];
}

/** An inner loop whose statements are reductions into per-row temporaries. */
function innerLoop(loop: AstNode, nest: Nest): Line[] | undefined {
  const { ctx } = nest;
  const range = rangeOf(loop, ctx);
  if (!range || range.name === nest.outer.name || nest.temps.has(range.name)) return undefined;
  // The same range for every row: its bounds read nothing the nest changes (a ragged or triangular nest is not a 2-D reduction).
  for (const d of descendants(child(loop, 'right')!)) if (d.type === 'identifier' && (d.field !== 'attribute' || d.parent?.type !== 'attribute') && readsNest(d, nest)) return undefined;
  // A running value is read only by its own update: another statement would see it part-way through the row.
  const assigned = new Set<string>();
  for (const d of descendants(child(loop, 'body')!)) {
    const left = (d.type === 'assignment' || d.type === 'augmented_assignment') && child(d, 'left');
    if (left && left.type === 'identifier') assigned.add(ctx.text(left));
  }
  nest.inner = range;
  nest.runningInLoop = assigned;
  try {
    const lines: Line[] = [];
    const reduced = new Set<string>();
    for (const stmt of child(loop, 'body')!.children) {
      if (stmt.type === 'comment') continue;
      const out = stmt.type === 'if_statement' ? runningExtreme(stmt, nest, reduced) : runningSum(stmt, nest, reduced);
      if (!out) return undefined;
      lines.push(...out);
    }
    return lines.length ? lines : undefined;
  } finally {
    nest.inner = undefined;
    nest.runningInLoop = new Set();
  }
}

/** `s += e`, `s -= e`, `s = s + e`: a sum along the inner axis added to the row's running value. */
function runningSum(stmt: AstNode, nest: Nest, reduced: Set<string>): Line[] | undefined {
  const { ctx, np } = nest;
  const e = stmt.type === 'expression_statement' ? stmt.children[0] : undefined;
  const left = e && child(e, 'left');
  const right = e && child(e, 'right');
  if (!e || !left || !right || left.type !== 'identifier') return undefined;
  const name = ctx.text(left);
  let op: string;
  let term: AstNode;
  if (e.type === 'augmented_assignment') {
    op = ctx.source.slice(left.end, right.start).trim()[0];
    term = right;
  } else {
    const r = unparen(right);
    const l = r.type === 'binary_operator' ? child(r, 'left')! : undefined;
    if (!l || unparen(l).type !== 'identifier' || ctx.text(unparen(l)) !== name) return undefined;
    op = ctx.source.slice(l.end, child(r, 'right')!.start).trim();
    term = child(r, 'right')!;
  }
  // The running value must start in the row (a per-row temporary) and be read nowhere else in the loop.
  if ((op !== '+' && op !== '-') || !nest.temps.has(name) || reduced.has(name) || readsRunning(term, nest)) return undefined;
  const value = expr(term, nest);
  if (!value || (value.cls !== 'M' && value.cls !== 'N')) return undefined;
  reduced.add(name);
  const sum = value.cls === 'M' ? `${np}.sum(${value.text}, axis=${reducedAxis(nest)})` : `${np}.sum(${value.text})`;
  const cls = value.cls === 'M' ? 'O' : join(nest.temps.get(name)!, 'S');
  nest.temps.set(name, join(nest.temps.get(name)!, cls));
  return [{ ...line(name, `${name} = ${name} ${op} ${sum}`, term, nest, [name]), adds: { op, sum } }];
}

/**
 * `if v > m: m = v` (and `best = j` beside it): a running max/min (argmax/argmin) along the inner
 * axis. It starts from the row's value at one index `c` just before or at the loop's start, with
 * `best = c`: then it is the max (or the first argmax, for a strict comparison) over `c:stop`.
 */
function runningExtreme(stmt: AstNode, nest: Nest, reduced: Set<string>): Line[] | undefined {
  const { ctx, np } = nest;
  const inner = nest.inner!;
  if (stmt.children.some((c) => c.type === 'elif_clause' || c.type === 'else_clause')) return undefined;
  const cond = unparen(child(stmt, 'condition')!);
  const body = child(stmt, 'consequence')!.children.filter((s) => s.type !== 'comment');
  if (cond.type !== 'comparison_operator' || cond.children.length !== 2) return undefined;
  const assigns = body.map((s) => (s.type === 'expression_statement' && s.children[0].type === 'assignment' ? s.children[0] : undefined));
  if (!assigns.length || assigns.length > 2 || assigns.some((a) => !a || child(a, 'left')?.type !== 'identifier')) return undefined;
  const [a, b] = cond.children;
  const op = ctx.source.slice(a.end, b.start).trim();
  const key = (n: AstNode) => ctx.text(unparen(n)).replace(/\s+/g, '');
  // The running value: assigned the compared expression.
  const valueAssign = assigns.find((x) => [key(a), key(b)].includes(ctx.text(child(x!, 'left')!)) && [key(a), key(b)].includes(key(child(x!, 'right')!)));
  if (!valueAssign) return undefined;
  const m = ctx.text(child(valueAssign, 'left')!);
  const v = child(valueAssign, 'right')!;
  const vFirst = key(a) === key(v) && key(b) === m;
  if (!vFirst && !(key(a) === m && key(b) === key(v))) return undefined;
  const greater = vFirst ? op === '>' || op === '>=' : op === '<' || op === '<=';
  const less = vFirst ? op === '<' || op === '<=' : op === '>' || op === '>=';
  if (!greater && !less) return undefined;
  const strict = op === '>' || op === '<';
  // The argmax companion: `best = j`.
  const indexAssign = assigns.find((x) => x !== valueAssign);
  const best = indexAssign ? ctx.text(child(indexAssign, 'left')!) : undefined;
  if (indexAssign && (key(child(indexAssign, 'right')!) !== inner.name || !strict)) return undefined;
  for (const name of [m, best]) if (name !== undefined && (!nest.temps.has(name) || reduced.has(name))) return undefined;
  if (readsRunning(v, nest)) return undefined;
  const start = startingIndex(m, best, v, stmt, nest);
  if (start === undefined) return undefined;
  nest.inner = { ...inner, start };
  const value = expr(v, nest);
  nest.inner = inner;
  if (!value || value.cls !== 'M') return undefined;
  const axis = reducedAxis(nest);
  reduced.add(m);
  nest.temps.set(m, 'O');
  const out = [line(m, `${m} = ${np}.${greater ? 'max' : 'min'}(${value.text}, axis=${axis})`, v, nest)];
  if (best) {
    reduced.add(best);
    nest.temps.set(best, 'O');
    const arg = `${np}.${greater ? 'argmax' : 'argmin'}(${value.text}, axis=${axis})`;
    out.push(line(best, `${best} = ${start === '0' ? arg : `${arg} + ${start}`}`, v, nest));
  }
  return out;
}

/**
 * The index `c` the running extreme starts from: `m` was last set to `v` at `j = c` (and `best`
 * to `c`) in the row before the loop, and `c` is the loop's start or the index before it.
 */
function startingIndex(m: string, best: string | undefined, v: AstNode, loop: AstNode, nest: Nest): string | undefined {
  const { ctx } = nest;
  const inner = nest.inner!;
  const innerLoop = loop.parent!.parent!;
  const init = (name: string) => {
    const before = innerLoop.parent!.children.filter((s) => s.end <= innerLoop.start);
    for (let k = before.length - 1; k >= 0; k--) {
      const e = before[k].type === 'expression_statement' ? before[k].children[0] : undefined;
      if (e?.type === 'assignment' && child(e, 'left')?.type === 'identifier' && ctx.text(child(e, 'left')!) === name) return child(e, 'right')!;
    }
    return undefined;
  };
  const mInit = init(m);
  if (!mInit) return undefined;
  const candidates = [inner.start, shift(inner.start, -1)];
  const at = (c: string) => substitute(v, inner.name, c, ctx).replace(/\s+/g, '');
  const c = candidates.find((k) => at(k) === ctx.text(unparen(mInit)).replace(/\s+/g, ''));
  if (c === undefined) return undefined;
  if (best !== undefined) {
    const bInit = init(best);
    if (!bInit || ctx.text(unparen(bInit)).replace(/\s+/g, '') !== c.replace(/\s+/g, '')) return undefined;
  }
  return c;
}

// --- Expressions ----------------------------------------------------------------------------------

/** The array form of a per-element expression in the nest, with its class. */
function expr(node: AstNode, nest: Nest): Value | undefined {
  const { ctx, np } = nest;
  const n = unparen(node);
  if (!dependsOnNest(n, nest)) {
    // Invariant: kept as written, unless it calls something or reads what the nest writes.
    for (const d of descendants(n)) {
      if (d.type === 'call') return undefined;
      const attribute = d.field === 'attribute' && d.parent?.type === 'attribute';
      if (d.type === 'identifier' && !attribute && nest.changing.has(ctx.text(d))) return undefined;
    }
    return { text: ctx.text(n), cls: 'S' };
  }
  switch (n.type) {
    case 'identifier': {
      const name = ctx.text(n);
      if (name === nest.outer.name) return { text: `${np}.arange(${nest.outer.start}, ${nest.outer.stop})`, cls: 'O' };
      if (name === nest.inner?.name) return { text: `${np}.arange(${nest.inner.start}, ${nest.inner.stop})`, cls: 'N' };
      const cls = nest.temps.get(name);
      return cls ? { text: name, cls } : undefined;
    }
    case 'subscript':
      return read(n, nest);
    case 'binary_operator': {
      const l = child(n, 'left')!;
      const r = child(n, 'right')!;
      const op = operatorBetween(ctx.source, l, r);
      if (!['+', '-', '*', '/', '//', '%', '**'].includes(op)) return undefined;
      return combine([expr(l, nest), expr(r, nest)], nest, ([a, b]) => `${paren(l, a)} ${op} ${paren(r, b)}`);
    }
    case 'unary_operator': {
      const arg = child(n, 'argument')!;
      const sign = ctx.text(n).trim()[0];
      const a = expr(arg, nest);
      return a && (sign === '-' || sign === '+') ? { text: `${sign}${paren(arg, a.text)}`, cls: a.cls } : undefined;
    }
    case 'call': {
      const scope = ctx.sem.enclosingScope(n);
      const callee = ctx.sem.calleeName(n, scope);
      const bare = ctx.sem.bareCallee(n);
      const args = child(n, 'arguments')?.children ?? [];
      if (!args.length || args.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
      let ufunc: string | undefined;
      if (callee && /^(math|numpy)\.\w+$/.test(callee)) ufunc = UFUNCS[callee.split('.')[1]] || undefined;
      else if (bare === 'abs' && ctx.sem.isBuiltin(bare, scope)) ufunc = 'abs';
      if (!ufunc) return undefined;
      return combine(args.map((a) => expr(a, nest)), nest, (texts) => `${np}.${ufunc}(${texts.join(', ')})`);
    }
    default:
      return undefined;
  }
}

/** `A[i, j]`, `A[j, i]`, `A[i, c]`, `x[j]`, `b[i]`: slices over the ranges, with the class they give. */
function read(n: AstNode, nest: Nest): Value | undefined {
  const { ctx } = nest;
  const base = child(n, 'value')!;
  if (base.type !== 'identifier' || nest.stored.has(ctx.text(base)) || nest.temps.has(ctx.text(base))) return undefined;
  const subs = n.children.filter((c) => c.field === 'subscript');
  const outerSlice = rangeSlice(nest.outer.start, nest.outer.stop, 0);
  const innerSlice = nest.inner && rangeSlice(nest.inner.start, nest.inner.stop, 0);
  const parts: string[] = [];
  const axes: ('O' | 'N')[] = [];
  for (const s of subs) {
    const t = ctx.text(unparen(s));
    if (t === nest.outer.name) {
      parts.push(outerSlice);
      axes.push('O');
    } else if (nest.inner && t === nest.inner.name) {
      parts.push(innerSlice!);
      axes.push('N');
    } else if (s.type !== 'slice' && !descendants(s).some((d) => d.type === 'call' || (d.type === 'identifier' && readsNest(d, nest)))) {
      parts.push(t);
    } else {
      return undefined;
    }
  }
  const text = `${ctx.text(base)}[${parts.join(', ')}]`;
  if (axes.length === 1) return { text, cls: axes[0] };
  if (axes.length !== 2 || axes[0] === axes[1]) return undefined;
  // Both indices: laid out as the nest's reads are, or transposed into that layout.
  const outerFirst = axes[0] === 'O';
  return { text: outerFirst === (nest.outerAxis === 0) ? text : `${text}.T`, cls: 'M' };
}

/** Combines operands of several classes: each is broadcast to the layout of the result. */
function combine(values: (Value | undefined)[], nest: Nest, build: (texts: string[]) => string): Value | undefined {
  if (values.some((v) => !v)) return undefined;
  const vs = values as Value[];
  const cls = vs.reduce<Cls>((acc, v) => join(acc, v.cls), 'S');
  const texts = vs.map((v) => (cls === 'M' ? broadcast(v, nest) : v.text));
  return { text: build(texts), cls };
}

function join(a: Cls, b: Cls): Cls {
  if (a === b) return a;
  if (a === 'S') return b;
  if (b === 'S') return a;
  return 'M';
}

/** A one-axis value as a column where the 2-D layout needs it: `v[:, None]`. */
function broadcast(v: Value, nest: Nest): string {
  const column = (v.cls === 'O' && nest.outerAxis === 0) || (v.cls === 'N' && nest.outerAxis === 1);
  return column ? `${operand(v.text)}[:, None]` : v.text;
}

/** The axis of the 2-D layout that the inner index runs along. */
function reducedAxis(nest: Nest): number {
  return nest.outerAxis === 0 ? 1 : 0;
}

// --- Helpers --------------------------------------------------------------------------------------

/** A name or a subscripted name as it is; anything else in parentheses, to be indexed or added to. */
function operand(text: string): string {
  return /^[\w.]+(\[[^\]]*\])?$/.test(text) ? text : `(${text})`;
}

function dependsOnNest(node: AstNode, nest: Nest): boolean {
  for (const d of descendants(node)) {
    if (d.type !== 'identifier' || (d.field === 'attribute' && d.parent?.type === 'attribute')) continue;
    const name = nest.ctx.text(d);
    if (name === nest.outer.name || name === nest.inner?.name || nest.temps.has(name)) return true;
  }
  return false;
}

/** An identifier that is an index of the nest, one of its temporaries, or anything else it changes. */
function readsNest(d: AstNode, nest: Nest): boolean {
  const name = nest.ctx.text(d);
  return name === nest.outer.name || name === nest.inner?.name || nest.temps.has(name) || nest.changing.has(name);
}

/** Whether `node` reads a running value of the inner loop being rewritten. */
function readsRunning(node: AstNode, nest: Nest): boolean {
  for (const d of descendants(node)) if (d.type === 'identifier' && nest.runningInLoop.has(nest.ctx.text(d))) return true;
  return false;
}

/** The source of `node` with the identifier `name` replaced by `value`. */
function substitute(node: AstNode, name: string, value: string, ctx: RuleContext): string {
  const n = unparen(node);
  let out = '';
  let at = n.start;
  for (const d of descendants(n)) {
    if (d.type !== 'identifier' || ctx.text(d) !== name || (d.field === 'attribute' && d.parent?.type === 'attribute')) continue;
    out += ctx.source.slice(at, d.start) + value;
    at = d.end;
  }
  return out + ctx.source.slice(at, n.end);
}

function isStoreTarget(n: AstNode, nest: Nest): boolean {
  const p = n.parent;
  return p?.type === 'subscript' && n.field === 'value' && p.field === 'left' && nest.stored.has(nest.ctx.text(n));
}

function line(target: string | undefined, text: string, from: AstNode, nest: Nest, extra: string[] = []): Line {
  const reads = new Set(extra);
  for (const d of descendants(from)) if (d.type === 'identifier' && nest.temps.has(nest.ctx.text(d))) reads.add(nest.ctx.text(d));
  return { target, text, reads };
}

/** `s = 0` then `s = s + np.sum(...)` -> `s = np.sum(...)`; `acc = b[:n]` then `acc = acc + ...` -> `acc = b[:n] + ...`. */
function withSumsFolded(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    // The last line before this one that sets or reads the running value.
    let k = out.length - 1;
    while (l.adds && k >= 0 && out[k].target !== l.target && !out[k].reads.has(l.target!)) k--;
    const init = l.adds && k >= 0 ? out[k] : undefined;
    if (!l.adds || !init || init.target !== l.target || init.value === undefined) {
      out.push(l);
      continue;
    }
    const { op, sum } = l.adds;
    const text = init.value === '0' && op === '+' ? sum : `${operand(init.value)} ${op} ${sum}`;
    out[k] = { target: l.target, text: `${l.target} = ${text}`, reads: new Set([...init.reads, ...l.reads].filter((r) => r !== l.target)), value: text };
  }
  return out;
}

/** Drops assignments to temporaries that a later line overwrites before anything reads them. */
function withoutDeadStores(lines: Line[]): Line[] {
  return lines.filter((l, k) => {
    if (!l.target) return true;
    for (const later of lines.slice(k + 1)) {
      if (later.reads.has(l.target)) return true;
      if (later.target === l.target) return false;
    }
    // Read by nothing after it in the nest (and not after the nest: checked by the caller).
    return false;
  });
}
