import { type AstNode, child, COMPREHENSION_TYPES, descendants, descendantsInScope, unparen } from '../../ast';
import { insertAbove, removeLines, replace } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { changesInstance, classifyCall, readsInstance } from '../../semantics/calls';
import type { LoopFacts, Scope, Semantics } from '../../semantics/semantics';

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
\`np.linalg.inv(A)\`, \`torch.tensor(const, device=d)\`, \`df[col].mean()\`) whose arguments the loop
never changes.

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
buffers the loop fills in place or keeps as items of a container (\`{k: torch.zeros(()) for k in keys}\`), calls returning iterators, and calls reading a value the loop hands to
a function called for its effect (\`sweep(spins, beta)\`) are never flagged. The fix is withheld when the call
sits in a branch or its statement cannot be moved on its own.`,
  },
  nodeTypes: ['call'],
  check(node: AstNode, ctx: RuleContext) {
    const loop = ctx.sem.innermostLoop(node);
    if (!loop || ctx.sem.isCompiled(node) || !invariantCalls(loop, ctx).includes(node)) return;
    const callee = ctx.text(child(node, 'function')!);
    const where = COMPREHENSION_TYPES.has(loop.type) ? 'comprehension' : 'loop';
    ctx.report(hp501, {
      node,
      message: `\`${callee}(...)\` returns the same value on every iteration of this ${where}; compute it once before the ${where}.`,
      fixes: ctx.sem.memo('hoist-fix', loop, () => hoistFix(loop, invariantCalls(loop, ctx), ctx)),
    });
  },
};

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
      if (readsInstance(n, scope, sem) && changesInstance(descendantsInScope(loop), scope, sem)) continue;
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
      if (cls !== 'costly' && cls !== 'cheap') return false;
    }
    if (n.type === 'attribute') {
      if (facts.assignedAttributes.has(sem.text(n))) return false;
    }
    if (n.type !== 'identifier') continue;
    // Attribute names and keyword names are not variables.
    if (n.field === 'attribute' && n.parent?.type === 'attribute') continue;
    if (n.field === 'name' && n.parent?.type === 'keyword_argument') continue;
    const name = sem.text(n);
    if (facts.assigned.has(name) || facts.mutated.has(name)) return false;
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

/** `buf = np.zeros(n)` where the loop then writes into `buf`: a fresh buffer is needed each time. */
function isMutatedBuffer(call: AstNode, facts: LoopFacts, ctx: RuleContext): boolean {
  const assignment = unparen(call).parent;
  if (!assignment || assignment.type !== 'assignment' || child(assignment, 'right') !== call) return false;
  const left = child(assignment, 'left');
  if (!left || left.type !== 'identifier') return false;
  const name = ctx.text(left);
  return facts.mutated.has(name);
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
    // Otherwise bind the call to a new local above the loop, when the call runs on every iteration.
    if (!runsEveryIteration(call, loop)) continue;
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
