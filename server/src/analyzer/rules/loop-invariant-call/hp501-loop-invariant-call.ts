import { type AstNode, child, COMPREHENSION_TYPES, descendants, descendantsInScope, isAncestor, LOOP_TYPES, SCOPE_TYPES, unparen } from '../../ast';
import { classifyNumericLoop } from '../unvectorized-loop/loopShape';
import { insertAbove, removeLines, replace } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { changesInstanceRead, classifyCall } from '../../semantics/calls';
import { isSmallCollection } from '../../semantics/collections';
import { type LoopFacts, type Scope, type Semantics, stringLiteralValue, subscriptKey } from '../../semantics/semantics';

export const hp501: Rule = {
  id: 'HP501',
  name: 'loop-invariant-call',
  category: 'loop-invariant-call',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'A costly call inside a loop gives the same result on every iteration.',
    body: `## What it flags
A call that allocates, copies, reduces, inverts or compiles (\`np.array(CONST)\`, \`re.compile(...)\`,
\`np.linalg.inv(A)\`, \`torch.tensor(const, device=d)\`, \`df[col].mean()\`, a metric of a model's
predictions) whose arguments the loop never changes. Setting other columns of a frame
(\`df[col + "_z"] = ...\`) leaves the column a call reads (\`df["income"].clip(lower=1)\`) unchanged.

## Why it is slow
The loop pays for the same work on every iteration.

## Example
\`\`\`python
for doc in docs:
    url_re = re.compile(URL_PATTERN)
    out.append(url_re.sub(" ", doc))
\`\`\`

## Use instead
\`\`\`python
url_re = re.compile(URL_PATTERN)
for doc in docs:
    out.append(url_re.sub(" ", doc))
\`\`\`

## When no fix is offered
Cheap scalar calls (\`len\`, \`math.sqrt\`, \`np.sqrt\` of a number), conversions that copy nothing
(\`np.asarray(x)\`, a column's \`.to_numpy()\`), random draws, calls with side effects,
comprehensions that build a handful of items (\`range(n_layers)\` with a small default),
buffers the loop fills in place (allocations and copies, not computed values such as \`np.power(c, a)\`) or keeps as items of a container (\`{k: torch.zeros(()) for k in keys}\`), calls returning iterators, and calls reading a value the loop hands to
a function called for its effect (\`sweep(spins, beta)\`) are never flagged. The fix is withheld when the call
sits in a branch, its statement cannot be moved on its own, or the loop changes its result in place.`,
  },
  nodeTypes: ['call'],
  check(node: AstNode, ctx: RuleContext) {
    const loop = ctx.sem.innermostLoop(node);
    if (!loop || ctx.sem.isCompiled(node) || isHandfulComprehension(loop, ctx) || isNestElementWork(node, loop, ctx.sem) || !invariantCalls(loop, ctx).includes(node)) return;
    const callee = ctx.text(child(node, 'function')!);
    const where = COMPREHENSION_TYPES.has(loop.type) ? 'comprehension' : 'loop';
    ctx.report(hp501, {
      node,
      message: `\`${callee}(...)\` returns the same value on every iteration of this ${where}; compute it once before the ${where}.`,
      fixes: ctx.sem.memo('hoist-fix', loop, () => hoistFix(loop, invariantCalls(loop, ctx), ctx)),
    });
  },
};

/**
 * Whether `call` reads the index of an outer loop of an element-loop nest reported as a whole
 * (HP101, HP102), like `norm(x[i])` in the `j` loop of a pairwise nest: then it is part of each
 * element's work, which vectorizing or compiling the nest takes care of.
 */
function isNestElementWork(call: AstNode, loop: AstNode, sem: Semantics): boolean {
  for (let p: AstNode | null = loop.parent; p && !SCOPE_TYPES.has(p.type); p = p.parent) {
    if (!LOOP_TYPES.has(p.type)) continue;
    const nest = classifyNumericLoop(p, sem)?.nest;
    if (!nest?.includes(loop)) continue;
    const outer = new Set(nest.filter((l) => l !== loop && isAncestor(l, loop)).flatMap((l) => [...sem.loop(l).assigned]));
    return descendants(call).some((n) => n.type === 'identifier' && outer.has(sem.text(n)));
  }
  return false;
}

/** The most items a comprehension builds for its repeated calls not to matter. */
const HANDFUL = 16;

/**
 * A comprehension that builds a handful of items once (`[mask(i) for i in range(n_layers)]` with
 * `n_layers=8` by default, `{k: f(k) for k in ("a", "b")}`): set-up work, not a hot loop.
 */
function isHandfulComprehension(loop: AstNode, ctx: RuleContext): boolean {
  if (!COMPREHENSION_TYPES.has(loop.type)) return false;
  // A comprehension is as small as what its one `for` runs over.
  return isSmallCollection(loop, ctx.sem, ctx.sem.enclosingScope(loop), HANDFUL);
}

/** The costly calls whose innermost loop is `loop` and that nothing in it can change (outermost only). */
function invariantCalls(loop: AstNode, ctx: RuleContext): AstNode[] {
  return ctx.sem.memo('invariant-calls', loop, () => {
    const sem = ctx.sem;
    const scope = sem.enclosingScope(loop);
    const facts = sem.loop(loop);
    const found: AstNode[] = [];
    for (const n of descendantsInScope(loop)) {
      if (n.type !== 'call' || sem.innermostLoop(n) !== loop) continue;
      const cls = classifyCall(n, scope, sem);
      if ((cls !== 'costly' && cls !== 'allocation') || !isInvariant(n, facts, scope, sem) || isMutatedBuffer(n, facts, ctx)) continue;
      if (cls === 'allocation' && isStoredItem(n, loop, ctx)) continue;
      // `self.table.to(device)` while the loop calls `self.refresh()`: the method may re-bind the attribute.
      if (changesInstanceRead(n, descendantsInScope(loop), scope, sem)) continue;
      if (readsAny(n, passedToProcedures(loop, ctx), ctx)) continue;
      if (found.some((f) => n.start >= f.start && n.end <= f.end)) continue;
      found.push(n);
    }
    return found;
  });
}

/** True when nothing `call` reads can change while `loop` runs. */
export function isInvariant(call: AstNode, facts: LoopFacts, scope: Scope, sem: Semantics): boolean {
  for (const n of descendants(call)) {
    if (n.type === 'lambda' || COMPREHENSION_TYPES.has(n.type)) return false;
    if (n.type === 'call' && n !== call) {
      const cls = classifyCall(n, scope, sem);
      if (cls !== 'costly' && cls !== 'cheap' && !isSteadyPrediction(n, facts, sem)) return false;
    }
    if (n.type === 'attribute') {
      if (facts.assignedAttributes.has(sem.text(n))) return false;
    }
    if (n.type !== 'identifier') continue;
    // Attribute names and keyword names are not variables.
    if (n.field === 'attribute' && n.parent?.type === 'attribute') continue;
    if (n.field === 'name' && n.parent?.type === 'keyword_argument') continue;
    const name = sem.text(n);
    if (facts.assigned.has(name)) return false;
    if (facts.mutated.has(name) && !readsOtherAttribute(n, facts, sem) && !setsOnlyOtherColumns(name, call, facts, sem)) return false;
  }
  return true;
}

/** `self.metric` while the loop sets only other attributes of `self` (`self.history_ = ...`). */
function readsOtherAttribute(id: AstNode, facts: LoopFacts, sem: Semantics): boolean {
  const access = id.field === 'object' && id.parent?.type === 'attribute' ? id.parent : undefined;
  const attr = access && child(access, 'attribute');
  const parts = facts.mutatedParts.get(sem.text(id));
  return !!attr && !!parts && !parts.has('*') && !parts.has(sem.text(attr));
}

/**
 * `df["income"].clip(lower=1.0)` in a loop whose only change to `df` is setting other columns
 * (`df[col + "_to_income"] = ...`): the call reads columns, by literal names, that the loop never sets.
 */
function setsOnlyOtherColumns(name: string, call: AstNode, facts: LoopFacts, sem: Semantics): boolean {
  const read: string[] = [];
  for (const n of descendants(call)) {
    if (n.type !== 'identifier' || sem.text(n) !== name || (n.field === 'attribute' && n.parent?.type === 'attribute') || (n.field === 'name' && n.parent?.type === 'keyword_argument')) continue;
    const key = n.field === 'value' && n.parent?.type === 'subscript' ? subscriptKey(n.parent, sem) : undefined;
    if (key === undefined) return false;
    read.push(key);
  }
  if (!read.length) return false;
  for (const n of descendantsInScope(facts.node)) {
    if (n.type !== 'identifier' || sem.text(n) !== name || (n.field === 'attribute' && n.parent?.type === 'attribute')) continue;
    const p = n.parent;
    // Reads of a column, `df[c]`, change nothing; `df[key] = ...` sets one column.
    if (p?.type === 'subscript' && n.field === 'value') {
      const target = p.parent?.type === 'assignment' && p.field === 'left';
      if (!target && !isStoreInside(p)) continue;
      if (target && read.every((k) => differsFrom(p, k, sem))) continue;
      return false;
    }
    // Any other use may change the frame: a method (`df.drop(..., inplace=True)`), an argument, a target.
    if (p?.type === 'attribute' && n.field === 'object') {
      const call = p.parent?.type === 'call' && p.field === 'function' ? p.parent : undefined;
      if (call && classifyCall(call, sem.enclosingScope(call), sem) === 'costly' && !child(call, 'arguments')?.children.some((a) => a.type === 'keyword_argument' && /^inplace\b/.test(sem.text(a)))) continue;
      if (!call && !isStoreInside(p)) continue;
    }
    return false;
  }
  return true;
}

/** Whether `n` is (part of) what an assignment, a `for` or a `del` stores to. */
function isStoreInside(n: AstNode): boolean {
  for (let p = n.parent, prev = n; p; prev = p, p = p.parent) {
    if ((p.type === 'assignment' || p.type === 'augmented_assignment' || p.type === 'for_statement' || p.type === 'for_in_clause') && prev.field === 'left') return true;
    if (p.type === 'delete_statement') return true;
    if (!['subscript', 'attribute', 'pattern_list', 'tuple_pattern', 'list_pattern', 'parenthesized_expression'].includes(p.type)) return false;
  }
  return false;
}

/**
 * The key `df[key] = ...` sets cannot be `read`: another literal, or a name joined to a literal that
 * `read` does not start or end with (`col + "_to_income"`, `f"{col}_z"`).
 */
function differsFrom(target: AstNode, read: string, sem: Semantics): boolean {
  const subs = target.children.filter((c) => c.field === 'subscript');
  if (subs.length !== 1) return false;
  const key = unparen(subs[0]);
  const literal = stringLiteralValue(key, sem);
  if (literal !== undefined) return literal !== read;
  const l = key.type === 'binary_operator' ? child(key, 'left') : undefined;
  const r = key.type === 'binary_operator' ? child(key, 'right') : undefined;
  if (l && r && sem.text(key).slice(l.end - key.start, r.start - key.start).replace(/[()\s]/g, '') === '+') {
    const right = stringLiteralValue(unparen(r), sem);
    const left = stringLiteralValue(unparen(l), sem);
    if (right && !read.endsWith(right)) return true;
    if (left && !read.startsWith(left)) return true;
    return false;
  }
  if (key.type === 'string') {
    const parts = key.children;
    const content = (c: AstNode) => c.type === 'string_content';
    const first = parts.find((c) => content(c) || c.type === 'interpolation');
    const last = [...parts].reverse().find((c) => content(c) || c.type === 'interpolation');
    if (first && content(first) && !read.startsWith(sem.text(first))) return true;
    if (last && content(last) && !read.endsWith(sem.text(last))) return true;
  }
  return false;
}

/** What a fitted estimator computes without changing: its predictions and scores of given data. */
const PREDICTIONS = new Set(['predict', 'predict_proba', 'predict_log_proba', 'decision_function', 'score_samples']);

/**
 * `model.predict_proba(X)` inside a metric (`roc_auc_score(y, model.predict_proba(X)[:, 1])`) in a
 * loop that only ever asks `model` for predictions: no fit, no other method, never handed to anything.
 */
function isSteadyPrediction(call: AstNode, facts: LoopFacts, sem: Semantics): boolean {
  const m = sem.methodCall(call);
  const receiver = m && unparen(m.receiver);
  if (!m || !PREDICTIONS.has(m.method) || receiver?.type !== 'identifier' || sem.calleeName(call) !== undefined) return false;
  const name = sem.text(receiver);
  if (facts.assigned.has(name) || facts.mutated.has(name)) return false;
  for (const n of descendantsInScope(facts.node)) {
    if (n.type !== 'identifier' || sem.text(n) !== name || (n.field === 'attribute' && n.parent?.type === 'attribute')) continue;
    // Every mention is the receiver of a prediction: `model.predict(...)`.
    const use = n.parent?.type === 'attribute' && n.field === 'object' ? n.parent : undefined;
    const method = use && child(use, 'attribute');
    if (!use || use.parent?.type !== 'call' || use.field !== 'function' || !method || !PREDICTIONS.has(sem.text(method))) return false;
  }
  return true;
}

/**
 * Names handed to an unknown function called as a statement (`sweep(spins, beta)`): a call made
 * for its effect, which may well be changing what it was given.
 */
function passedToProcedures(loop: AstNode, ctx: RuleContext): Set<string> {
  return ctx.sem.memo('passed-to-procedures', loop, () => {
    const names = new Set<string>();
    const scope = ctx.sem.enclosingScope(loop);
    for (const n of descendantsInScope(loop)) {
      if (n.type !== 'call' || n.parent?.type !== 'expression_statement' || classifyCall(n, scope, ctx.sem) !== 'unknown') continue;
      for (const a of child(n, 'arguments')?.children ?? []) {
        const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
        if (value && unparen(value).type === 'identifier') names.add(ctx.text(unparen(value)));
      }
    }
    return names;
  });
}

function readsAny(call: AstNode, names: Set<string>, ctx: RuleContext): boolean {
  if (!names.size) return false;
  for (const n of descendants(call)) {
    if (n.type === 'identifier' && !(n.field === 'attribute' && n.parent?.type === 'attribute') && names.has(ctx.text(n))) return true;
  }
  return false;
}

/**
 * `buf = np.zeros(n)` or `Xp = X.copy()` where the loop then writes into it: a fresh buffer is needed
 * each time. A computed value changed in place afterwards (`p = np.power(c, a)`, then `p /= p.sum()`)
 * is not a buffer: its computation is what repeats, and a copy of it once computed would do.
 */
function isMutatedBuffer(call: AstNode, facts: LoopFacts, ctx: RuleContext): boolean {
  const name = assignedName(call, ctx);
  return name !== undefined && facts.mutated.has(name) && !COMPUTED.test(ctx.sem.calleeName(call, ctx.sem.enclosingScope(call)) ?? '');
}

/** Element-wise math and products of NumPy and torch: they compute a value, they do not make a buffer to fill. */
const COMPUTED = /^(numpy|torch)\.(power|float_power|exp|exp2|expm1|log|log2|log10|log1p|sqrt|cbrt|square|sin|cos|tan|tanh|sigmoid|dot|matmul|outer|einsum|cumsum|cumprod)$/;

/** `name` in `name = call(...)`. */
function assignedName(call: AstNode, ctx: RuleContext): string | undefined {
  const assignment = unparen(call).parent;
  if (!assignment || assignment.type !== 'assignment' || child(assignment, 'right') !== call) return undefined;
  const left = child(assignment, 'left');
  return left?.type === 'identifier' ? ctx.text(left) : undefined;
}

/**
 * A fresh buffer kept as an item of a container: the element of a comprehension
 * (`{name: torch.zeros(()) for name in names}`), appended (`bufs.append(np.zeros(n))`) or stored
 * under a key (`state[k] = np.zeros(n)`). Each item must be its own object; one hoisted buffer
 * would be shared by them all.
 */
function isStoredItem(call: AstNode, loop: AstNode, ctx: RuleContext): boolean {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return false;
  if (p === loop && COMPREHENSION_TYPES.has(loop.type) && n.field === 'body') return true;
  if (p.type === 'pair' && p.parent === loop && n.field === 'value') return true;
  if (p.type === 'assignment' && n.field === 'right' && child(p, 'left')?.type === 'subscript') return true;
  if (p.type === 'argument_list' && p.parent?.type === 'call') {
    const fn = child(p.parent, 'function');
    const method = fn?.type === 'attribute' ? child(fn, 'attribute') : undefined;
    return !!method && /^(append|insert|add|appendleft|setdefault)$/.test(ctx.text(method));
  }
  return false;
}

/**
 * One fix per loop, offered by each of its findings alike: the invariant statements move above
 * the loop as they are, and other invariant calls are bound to new locals there. One fix keeps
 * the inserted lines in order and the edits from clashing.
 */
function hoistFix(loop: AstNode, calls: AstNode[], ctx: RuleContext): Fix[] {
  if (loop.type !== 'for_statement' && loop.type !== 'while_statement') return [];
  const body = child(loop, 'body');
  const scope = ctx.sem.enclosingScope(loop);
  const lines: string[] = [];
  const edits: Edit[] = [];
  const taken = new Set<string>();
  for (const call of calls) {
    const assignment = call.parent;
    const statement = assignment?.parent;
    const left = assignment?.type === 'assignment' ? child(assignment, 'left') : undefined;
    if (
      assignment?.type === 'assignment' &&
      child(assignment, 'right') === call &&
      statement?.type === 'expression_statement' &&
      statement.parent === body &&
      left?.type === 'identifier' &&
      assignedOnce(loop, ctx.text(left), ctx) &&
      !readBefore(loop, statement, ctx.text(left), ctx)
    ) {
      const remove = removeLines(ctx.source, statement);
      if (!remove) return [];
      lines.push(ctx.text(statement));
      edits.push(remove);
      continue;
    }
    // Otherwise bind the call to a new local above the loop, when the call runs on every iteration
    // and what it returns is not then changed in place (every iteration would change the one value).
    if (!runsEveryIteration(call, loop)) continue;
    const target = assignedName(call, ctx);
    if (target !== undefined && ctx.sem.loop(loop).mutated.has(target)) continue;
    const fn = ctx.text(child(call, 'function')!).split('.').pop() ?? 'value';
    const name = ctx.sem.freshName(`${fn}_result`, scope, loop, taken);
    taken.add(name);
    lines.push(`${name} = ${ctx.text(call)}`);
    edits.push(replace(call, name));
  }
  const insert = lines.length ? insertAbove(ctx.source, loop, lines) : undefined;
  if (!insert) return [];
  const title = lines.length === 1 ? `Hoist \`${lines[0].split(' = ')[0]} = ...\` above the loop` : `Hoist ${lines.length} loop-invariant computations above the loop`;
  return [{ title, edits: [insert, ...edits] }];
}

function assignedOnce(loop: AstNode, name: string, ctx: RuleContext): boolean {
  let count = 0;
  for (const n of descendantsInScope(loop)) {
    if ((n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'for_statement') && child(n, 'left')) {
      for (const id of descendants(child(n, 'left')!)) if (id.type === 'identifier' && ctx.text(id) === name) count++;
    }
  }
  return count === 1;
}

/** Whether `name` is read in the loop before `statement` (it would see last iteration's value). */
function readBefore(loop: AstNode, statement: AstNode, name: string, ctx: RuleContext): boolean {
  for (const n of descendantsInScope(loop)) {
    if (n.type === 'identifier' && ctx.text(n) === name && n.start < statement.start) return true;
  }
  return false;
}

/** Not under a condition, a short-circuit or a nested loop inside `loop`. */
function runsEveryIteration(call: AstNode, loop: AstNode): boolean {
  for (let n = call.parent, prev = call; n && n !== loop; prev = n, n = n.parent) {
    if (['if_statement', 'conditional_expression', 'boolean_operator', 'try_statement', 'with_statement', 'for_statement', 'while_statement', 'match_statement'].includes(n.type)) {
      // The first operand of `a and b` and an if's condition always run.
      if (n.type === 'boolean_operator' && prev.field === 'left') continue;
      if (n.type === 'if_statement' && prev.field === 'condition') continue;
      return false;
    }
    if (COMPREHENSION_TYPES.has(n.type) || n.type === 'lambda') return false;
  }
  return true;
}
