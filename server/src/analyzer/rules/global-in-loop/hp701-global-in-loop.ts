import { type AstNode, child, COMPREHENSION_TYPES, descendants, descendantsInScope, isStringStatement, LOOP_TYPES, SCOPE_TYPES, unparen } from '../../ast';
import { insertAbove, replace } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { classifyCall } from '../../semantics/calls';
import { iterationSources, PURE_BUILTINS } from '../../semantics/loops';
import { isSmallCollection, onlyAssignment } from '../../semantics/collections';
import type { Scope, Semantics } from '../../semantics/semantics';
import { classifyNumericLoop } from '../unvectorized-loop/loopShape';

/**
 * Modules whose functions are cheap scalar work: reading them is the cost worth removing. `datetime`
 * builds and parses single dates and times (`datetime.strptime(s, FMT)`), Python scalars like any other.
 */
const SCALAR_MODULES = /^(math|cmath|random|operator|string|bisect|heapq|unicodedata|re|datetime|hashlib)\.|^(zlib|binascii)\.(crc32|adler32)$/;
const HANDFUL = 16;
/** Builtins that write one integer as a string (`bin(x).count("1")`): scalar work too. */
const NUMBER_FORMATS = new Set(['bin', 'oct', 'hex']);
/** Methods of str, dict, list and set: the cheap container work such loops do. */
const CHEAP_METHODS = new Set([
  'split', 'rsplit', 'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'title', 'replace', 'startswith', 'endswith',
  'join', 'format', 'find', 'rfind', 'index', 'count', 'isdigit', 'isalpha', 'isalnum', 'isspace', 'partition',
  'rpartition', 'encode', 'decode', 'zfill', 'get', 'setdefault', 'items', 'keys', 'values', 'update', 'pop',
  'append', 'extend', 'insert', 'remove', 'add', 'discard', 'copy', 'most_common',
  // A compiled pattern's matching on one short string.
  'match', 'fullmatch', 'search', 'findall', 'finditer', 'sub', 'group', 'groups',
  // Digests of one short string and the integers made of their bytes (`int.from_bytes(h.digest(), "little")`).
  'digest', 'hexdigest', 'from_bytes', 'to_bytes', 'bit_length',
  'isupper', 'islower', 'istitle',
]);
/** A parameter typed as a function of Python scalars to a Python scalar (`Callable[[float], float]`). */
const SCALAR_TYPE = '(int|float|bool|str|complex)';
const SCALAR_CALLABLE = new RegExp(`^(typing\\.)?Callable\\[\\[${SCALAR_TYPE}(,\\s*${SCALAR_TYPE})*\\],\\s*${SCALAR_TYPE}\\]$`);

export const hp701: Rule = {
  id: 'HP701',
  name: 'global-lookups-in-hot-loop',
  category: 'global-in-loop',
  defaultSeverity: 'information',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'A pure-Python loop reads module-level names or attribute chains on every iteration.',
    body: `## What it flags
A loop or comprehension doing cheap scalar work (arithmetic, \`str\`/\`dict\`/\`list\` operations, \`math.*\`,
\`random.*\`, \`datetime\` parsing, \`hashlib\` digests of short strings, small methods of the module's own classes and one- or two-statement helper functions of
the module) that reads module globals or dotted chains (\`math.log\`, \`CONFIG.scale\`) on every
iteration; and such loops written at module level, where every name is a global.

## Why it is slow
A local is read by index from the frame; a global is a dictionary lookup, and \`math.log\` is two
(the module, then its attribute). In a tight loop these lookups are a large share of the time.

## Example
\`\`\`python
for tok in tokens:
    total += math.log(N / (df.get(tok, 0) + SMOOTHING))
\`\`\`

## Use instead
\`\`\`python
log = math.log
smoothing = SMOOTHING
for tok in tokens:
    total += log(N / (df.get(tok, 0) + smoothing))
\`\`\`

## When no fix is offered
At module level (move the loop into a function instead), for comprehensions, and when the loop
assigns to what it reads. A module-level comprehension is not flagged: its variables are locals. Loops dominated by heavy calls (a model, I/O, NumPy on whole arrays, a sort or copy of a
whole container the loop does not change), loops over a frame's rows (\`iterrows\`, \`itertuples\`, or
element access through \`.loc\`/\`.at\`: a row-iteration matter), loops over the lines of a file, loops over a handful of items (\`opt.param_groups\` included), and loops that are or sit
inside a nest reported as un-vectorized or as a Numba candidate are not flagged.`,
  },
  nodeTypes: ['for_statement', 'while_statement', ...COMPREHENSION_TYPES],
  check(node: AstNode, ctx: RuleContext) {
    const sem = ctx.sem;
    if (sem.isCompiled(node) || !qualifies(node, sem)) return;
    // Report the outermost qualifying loop only.
    for (let p = node.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
      if ((LOOP_TYPES.has(p.type) || COMPREHENSION_TYPES.has(p.type)) && qualifies(p, sem)) return;
    }
    const scope = sem.enclosingScope(node);
    const reads = globalReads(node, scope, sem);
    const targets = new Set(sem.loop(node).assigned);
    const names = [...new Set(reads.map((r) => sem.text(r)))].filter((n) => !scope.isModule || !targets.has(n));
    const shown = names.slice(0, 3).map((n) => `\`${n}\``).join(', ') + (names.length > 3 ? ', ...' : '');
    const comprehension = COMPREHENSION_TYPES.has(node.type);
    ctx.report(hp701, {
      node,
      end: comprehension ? node.end : child(node, 'body')!.start,
      message: scope.isModule
        ? `This module-level loop runs on globals: every name it touches${names.length ? ` (${shown} and its own variables)` : ''} is a dictionary lookup per iteration. Move it into a function.`
        : `This ${comprehension ? 'comprehension' : 'loop'} looks up ${shown} on every iteration; bind ${names.length > 1 ? 'them' : 'it'} to local names before the ${comprehension ? 'statement' : 'loop'}.`,
      fixes: scope.isModule || comprehension ? [] : bindLocalsFix(node, reads, scope, ctx),
    });
  },
};

function qualifies(loop: AstNode, sem: Semantics): boolean {
  const scope = sem.enclosingScope(loop);
  const parts = repeatedParts(loop);
  if (!parts.length || isHandful(loop, sem) || !parts.every((p) => isCheapBody(p, scope, sem))) return false;
  if (inNumericNest(loop, sem) || iteratesFrameRows(loop, sem) || readsFile(loop, sem) || copiesInvariantData(loop, scope, sem) || indexesArrays(parts, scope, sem)) return false;
  if (COMPREHENSION_TYPES.has(loop.type)) {
    // A comprehension's own variables are locals even at module level: only its global reads count.
    // One that only picks or looks up items (`[x for x in xs if isinstance(x, T)]`, `[LABELS[i] for i in ids]`)
    // is a filter, not scalar arithmetic.
    if (scope.isModule || !parts.some((p) => computes(p, scope, sem))) return false;
  }
  if (scope.isModule) return hasWork(parts[0]);
  return globalReads(loop, scope, sem).length > 0;
}

/**
 * What runs on every iteration: a loop's body; a comprehension's element, conditions and inner
 * clauses (its first iterable is evaluated once, before it starts).
 */
function repeatedParts(loop: AstNode): AstNode[] {
  if (!COMPREHENSION_TYPES.has(loop.type)) {
    const body = child(loop, 'body');
    return body ? [body] : [];
  }
  const first = loop.children.find((c) => c.type === 'for_in_clause');
  const parts: AstNode[] = [];
  for (const c of loop.children) {
    if (c === first) parts.push(...first.children.filter((x) => x.field !== 'right'));
    else if (c.type !== '[' && c.type !== ']' && c.type !== '(' && c.type !== ')' && c.type !== '{' && c.type !== '}') parts.push(c);
  }
  return parts;
}

/** The iterable a `for` loop or a comprehension's first clause runs over. */
function iterableOf(loop: AstNode): AstNode | undefined {
  if (loop.type === 'for_statement') return child(loop, 'right');
  if (!COMPREHENSION_TYPES.has(loop.type)) return undefined;
  const first = loop.children.find((c) => c.type === 'for_in_clause');
  return first && child(first, 'right');
}

/** The loop is, or is inside, a nest reported as un-vectorized or as a Numba candidate: that finding covers it. */
function inNumericNest(loop: AstNode, sem: Semantics): boolean {
  for (let p: AstNode | null = loop; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if (p.type === 'for_statement' && classifyNumericLoop(p, sem) !== undefined) return true;
  }
  return false;
}

/**
 * A loop over a frame's rows (`df.iterrows()`, `df.itertuples()`, also under `enumerate`/`zip`/`tqdm`):
 * pandas builds a row object per iteration, which costs far more than any global lookup; the fix
 * worth making is column arithmetic (a row-iteration finding), not binding names.
 */
function iteratesFrameRows(loop: AstNode, sem: Semantics): boolean {
  const iterable = iterableOf(loop);
  return !!iterable && iterationSources(iterable, sem).some((n) => {
    const m = n.type === 'call' ? sem.methodCall(n) : undefined;
    return m?.method === 'iterrows' || m?.method === 'itertuples';
  });
}

/**
 * A loop over the lines of a file (`for line in fh` with `fh` from a `with ... as fh`, `for line in
 * open(path)`, `sys.stdin`): each iteration reads from the file, which costs more than the lookups.
 */
function readsFile(loop: AstNode, sem: Semantics): boolean {
  const scope = sem.enclosingScope(loop);
  const iterable = iterableOf(loop);
  return !!iterable && iterationSources(iterable, sem).some((n) => {
    if (n.type === 'attribute') return sem.qualifiedName(n, scope) === 'sys.stdin';
    if (n.type === 'identifier') return isWithTarget(sem.text(n), loop, sem);
    const fn = n.type === 'call' ? child(n, 'function') : undefined;
    const name = fn ? sem.text(fn) : '';
    return name === 'open' || name.endsWith('.open');
  });
}

/** `fh` bound by an enclosing `with open(path) as fh` (any context manager's `as` target). */
function isWithTarget(name: string, loop: AstNode, sem: Semantics): boolean {
  for (let p = loop.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if (p.type !== 'with_statement') continue;
    const items = p.children.filter((c) => c.type === 'with_clause').flatMap((c) => c.children.filter((i) => i.type === 'with_item'));
    for (const item of items) {
      const value = item.children.find((c) => c.type === 'as_pattern');
      const alias = value && child(value, 'alias');
      if (alias && descendants(alias).some((id) => id.type === 'identifier' && sem.text(id) === name)) return true;
    }
  }
  return false;
}

/**
 * A costly call (a sort or copy of a whole container, a reduction) on names the loop leaves alone:
 * every iteration repeats work over all of that data, which outweighs any global lookup.
 */
function copiesInvariantData(loop: AstNode, scope: Scope, sem: Semantics): boolean {
  const assigned = sem.loop(loop).assigned;
  for (const n of repeatedParts(loop).flatMap((p) => descendants(p))) {
    if (n.type !== 'call' || classifyCall(n, scope, sem) !== 'costly') continue;
    const names: string[] = [];
    for (const id of descendants(n)) {
      if (id.type !== 'identifier' || (id.parent?.type === 'keyword_argument' && id.field === 'name')) continue;
      if (id.field === 'attribute' && id.parent?.type === 'attribute') continue;
      if (id === child(n, 'function')) continue;
      names.push(sem.text(id));
    }
    const data = names.filter((name) => !sem.isBuiltin(name, scope));
    if (data.length && data.every((name) => !assigned.has(name))) return true;
  }
  return false;
}

/**
 * Reads or writes array elements (`grid[i, j]`): numeric work over an array, whose cost is the
 * element access and boxing (a case for vectorizing or compiling), not Python scalars and containers.
 */
function indexesArrays(parts: AstNode[], scope: Scope, sem: Semantics): boolean {
  for (const n of parts.flatMap((p) => descendants(p))) {
    if (n.type !== 'subscript') continue;
    const value = unparen(child(n, 'value')!);
    const kind = sem.kindOf(value, scope);
    if (kind === 'ndarray' || kind === 'array' || kind === 'tensor') return true;
    if (isFrameScalarAccess(value, scope, sem)) return true;
  }
  return false;
}

/**
 * `df.loc[i, "x"]`, `s.iat[i]`: a frame's or series' element read or written through its indexer,
 * a row-iteration matter whose per-access cost (index lookup, boxing) dwarfs a global lookup.
 */
function isFrameScalarAccess(value: AstNode, scope: Scope, sem: Semantics): boolean {
  if (value.type !== 'attribute' || !/^(loc|iloc|at|iat)$/.test(sem.text(child(value, 'attribute') ?? value))) return false;
  const kind = sem.kindOf(child(value, 'object')!, scope);
  return kind === 'frame' || kind === 'series';
}

/** Arithmetic, or a call of a scalar module's function (`math.cos(th)`). */
function computes(part: AstNode, scope: Scope, sem: Semantics): boolean {
  for (const n of descendants(part)) {
    if (n.type === 'binary_operator' || n.type === 'augmented_assignment') return true;
    if (n.type === 'call' && SCALAR_MODULES.test(sem.calleeName(n, scope) ?? '')) return true;
  }
  return false;
}

/** Some arithmetic or container work: a loop of nothing is not hot. */
function hasWork(body: AstNode): boolean {
  for (const n of descendants(body)) {
    if (n.type === 'augmented_assignment' || n.type === 'binary_operator' || n.type === 'call') return true;
  }
  return false;
}

/** A loop over a literal or a module constant with a few items, a `range(4)`, a `[:10]` slice, or `opt.param_groups`. */
function isHandful(loop: AstNode, sem: Semantics): boolean {
  const iterable = iterableOf(loop);
  if (!iterable) return false;
  // An optimizer's parameter groups: one per learning-rate setting, a handful at most.
  const it = unparen(iterable);
  if (it.type === 'attribute' && sem.text(child(it, 'attribute') ?? it) === 'param_groups') return true;
  return isSmallCollection(iterable, sem, sem.enclosingScope(loop), HANDFUL);
}

/**
 * Only cheap work: builtins, scalar modules, methods on plain values, random draws, and methods of
 * the module's own classes that do only such work themselves; no I/O, NumPy or unknown functions.
 */
function isCheapBody(body: AstNode, scope: Scope, sem: Semantics, depth = 0): boolean {
  for (const n of descendants(body)) {
    if (n.type === 'function_definition' || n.type === 'with_statement' || n.type === 'yield' || n.type === 'await') return false;
    if (n.type !== 'call') continue;
    const callee = sem.calleeName(n, scope);
    if (callee) {
      if (!SCALAR_MODULES.test(`${callee}`)) return false;
      continue;
    }
    const bare = sem.bareCallee(n);
    if (bare) {
      if (scope.params.has(bare) && isScalarCallable(scope, bare, sem)) continue;
      if (isCheapFunction(bare, scope, sem, depth)) continue;
      if (!sem.isBuiltin(bare, scope) || !(PURE_BUILTINS.has(bare) || NUMBER_FORMATS.has(bare))) return false;
      continue;
    }
    const m = sem.methodCall(n);
    if (!m) return false;
    const recv = unparen(m.receiver);
    if (recv.type === 'identifier' && sem.qualifiedName(recv, scope)) return false;
    const kind = sem.kindOf(recv, scope);
    if (kind === 'rng' || (!kind && classifyCall(n, scope, sem) === 'random')) continue;
    if (kind) return false;
    if (!CHEAP_METHODS.has(m.method) && !isCheapMethod(m.method, sem, depth)) return false;
  }
  return true;
}

function isScalarCallable(scope: Scope, name: string, sem: Semantics): boolean {
  const params = child(scope.node, 'parameters');
  const p = params?.children.find((c) => (c.type === 'typed_parameter' && c.children.some((x) => x.type === 'identifier' && sem.text(x) === name)) || (c.type === 'typed_default_parameter' && sem.text(child(c, 'name') ?? c) === name));
  const annotation = p && child(p, 'type');
  return !!annotation && SCALAR_CALLABLE.test(sem.text(annotation).replace(/\s+/g, ' '));
}

/** `arm.pull(rng)` where every method called `pull` in the module's classes is a few lines of cheap work. */
function isCheapMethod(name: string, sem: Semantics, depth: number): boolean {
  if (depth >= 2 || name.startsWith('__')) return false;
  return areCheapDefinitions(sem.methodDefinitions(name), sem, depth);
}

/**
 * `popcount(x)` where the module's own top-level function `popcount` is a small helper of cheap work
 * (at most `HELPER_STATEMENTS` statements): its call and the lookups around it are most of what an
 * iteration costs. A longer function's own work outweighs the lookups of the loop that calls it.
 */
function isCheapFunction(name: string, scope: Scope, sem: Semantics, depth: number): boolean {
  if (depth >= 2 || (!scope.isModule && (scope.bound.has(name) || scope.params.has(name)))) return false;
  const defs = sem.functionDefinitions(name);
  return defs.every((fn) => statementCount(fn) <= HELPER_STATEMENTS) && areCheapDefinitions(defs, sem, depth);
}

const HELPER_STATEMENTS = 2;

/** The statements of a function's body, its docstring left out. */
function statementCount(fn: AstNode): number {
  const statements = (child(fn, 'body')?.children ?? []).filter((c) => c.type !== 'comment');
  return statements.length - (isStringStatement(statements[0]) ? 1 : 0);
}

/**
 * Every definition does only cheap work: no loop but over a handful of items (`tuple(... for _ in
 * range(4))`), nothing compiled, and only cheap calls.
 */
function areCheapDefinitions(defs: readonly AstNode[], sem: Semantics, depth: number): boolean {
  return defs.length > 0 && defs.every((fn) => {
    const body = child(fn, 'body');
    if (!body || sem.isCompiled(body)) return false;
    const scope = sem.scopeOf(fn);
    if (descendants(body).some((n) => (LOOP_TYPES.has(n.type) || COMPREHENSION_TYPES.has(n.type)) && !isHandful(n, sem) && !overOneString(n, scope, sem))) return false;
    return isCheapBody(body, scope, sem, depth + 1);
  });
}

/**
 * A helper's loop over the pieces of its one string parameter (`for ch in word`, `[p[0] for p in
 * SHAPE_RE.findall(tok)]`, through a local bound once to those): as short as one word, and the same
 * cheap string work as the loop that calls it.
 */
function overOneString(loop: AstNode, scope: Scope, sem: Semantics): boolean {
  let it = iterableOf(loop);
  if (it && unparen(it).type === 'identifier' && scope.bound.has(sem.text(unparen(it)))) it = onlyAssignment(scope.node, sem.text(unparen(it)), sem);
  if (!it) return false;
  let strings = 0;
  for (const id of descendants(it)) {
    if (id.type !== 'identifier' || (id.field === 'attribute' && id.parent?.type === 'attribute')) continue;
    const name = sem.text(id);
    if (scope.params.has(name)) {
      if (!isStringParameter(scope, name, sem)) return false;
      strings++;
    } else if (scope.bound.has(name)) return false;
  }
  return strings > 0;
}

function isStringParameter(scope: Scope, name: string, sem: Semantics): boolean {
  const params = child(scope.node, 'parameters');
  const p = params?.children.find((c) => (c.type === 'typed_parameter' && c.children.some((x) => x.type === 'identifier' && sem.text(x) === name)) || (c.type === 'typed_default_parameter' && sem.text(child(c, 'name') ?? c) === name));
  const annotation = p && child(p, 'type');
  return !!annotation && sem.text(annotation) === 'str';
}

/**
 * The global reads in the loop body that a local would speed up: module attribute chains
 * (`math.log`, `CONFIG.eps`) and module-level names, not builtins and not calls' own methods on locals.
 */
function globalReads(loop: AstNode, scope: Scope, sem: Semantics): AstNode[] {
  const reads: AstNode[] = [];
  const visit = (n: AstNode) => {
    // A nested comprehension's first iterable is evaluated in this scope, on every iteration.
    if (COMPREHENSION_TYPES.has(n.type)) {
      const first = n.children.find((c) => c.type === 'for_in_clause');
      const right = first && child(first, 'right');
      if (right) visit(right);
      return;
    }
    if (SCOPE_TYPES.has(n.type)) return;
    if (n.type === 'attribute') {
      const chain = attributeChainBase(n);
      if (chain && isGlobalName(sem.text(chain), scope, sem) && !isStoreTarget(n)) {
        reads.push(n);
        return;
      }
    }
    if (n.type === 'identifier' && !(n.field === 'attribute' && n.parent?.type === 'attribute') && !(n.field === 'name' && n.parent?.type === 'keyword_argument')) {
      if (isGlobalName(sem.text(n), scope, sem) && !isStoreTarget(n)) reads.push(n);
      return;
    }
    for (const c of n.children) visit(c);
  };
  for (const part of repeatedParts(loop)) visit(part);
  return reads;
}

function attributeChainBase(n: AstNode): AstNode | undefined {
  let o = child(n, 'object');
  while (o && o.type === 'attribute') o = child(o, 'object');
  return o && o.type === 'identifier' ? o : undefined;
}

function isGlobalName(name: string, scope: Scope, sem: Semantics): boolean {
  if (scope.isModule) return sem.moduleScope.bound.has(name);
  if (scope.bound.has(name) || scope.params.has(name)) return false;
  return sem.moduleScope.bound.has(name) || sem.imports.aliases.has(name);
}

function isStoreTarget(n: AstNode): boolean {
  for (let p = n.parent, prev = n; p; prev = p, p = p.parent) {
    if ((p.type === 'assignment' || p.type === 'augmented_assignment') && prev.field === 'left') return true;
    if (p.type !== 'pattern_list' && p.type !== 'tuple_pattern' && p.type !== 'attribute' && p.type !== 'subscript') return false;
  }
  return false;
}

function bindLocalsFix(loop: AstNode, reads: AstNode[], scope: Scope, ctx: RuleContext): Fix[] {
  if (scope.declaredGlobal.size) return [];
  const chains = new Map<string, AstNode[]>();
  for (const r of reads) chains.set(ctx.text(r), [...(chains.get(ctx.text(r)) ?? []), r]);
  const facts = ctx.sem.loop(loop);
  const taken = new Set<string>();
  const lines: string[] = [];
  const edits: Edit[] = [];
  for (const [chain, nodes] of chains) {
    const base = chain.split('.')[0];
    if (facts.assigned.has(base) || facts.assignedAttributes.has(chain) || facts.mutated.has(base)) return [];
    const last = chain.split('.').pop()!;
    const wanted = /^[A-Z0-9_]+$/.test(last) ? last.toLowerCase() : last;
    const name = ctx.sem.freshName(wanted, scope, loop, taken);
    taken.add(name);
    lines.push(`${name} = ${chain}`);
    for (const n of nodes) edits.push(replace(n, name));
  }
  const insert = insertAbove(ctx.source, loop, lines);
  if (!insert || !lines.length) return [];
  return [{ title: `Bind ${[...chains.keys()].map((c) => `\`${c}\``).join(', ')} to locals before the loop`, edits: [insert, ...edits] }];
}
