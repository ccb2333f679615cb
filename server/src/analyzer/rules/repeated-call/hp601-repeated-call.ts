import { type AstNode, child, COMPREHENSION_TYPES, descendants, descendantsInScope, SCOPE_TYPES, unparen } from '../../ast';
import { indentOf, insertAbove, replace } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { changesInstanceRead, classifyCall, makesCopy } from '../../semantics/calls';
import { baseName, isMutatingMethod } from '../../semantics/loops';
import { leavesArgumentsAlone } from '../../semantics/mutation';
import { classOfMethod, type Scope, stringLiteralValue, subscriptKey } from '../../semantics/semantics';

/** Statements that can stand at module level and hold calls (definitions are checked on their own). */
const MODULE_STATEMENTS = [
  'expression_statement', 'if_statement', 'for_statement', 'while_statement', 'with_statement', 'try_statement',
  'match_statement', 'assert_statement',
];

export const hp601: Rule = {
  id: 'HP601',
  name: 'repeated-costly-call',
  category: 'repeated-call',
  defaultSeverity: 'information',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'The same costly call with the same arguments is evaluated twice in one block.',
    body: `## What it flags
A reduction, linear-algebra call, device copy, pandas aggregation, reshape (\`unstack\`, \`pivot\`) or reduced output of
a network's method (\`flow.log_prob(x).mean()\`, \`flow\` an \`nn.Module\` of the module) evaluated a second time with
the same arguments, nothing in between having changed them: \`x.std() / x.mean()\` after
\`x.std()\`, \`np.median(x)\` twice.

## Why it is slow
Each evaluation passes over all of the data again.

## Example
\`\`\`python
return (x - x.min()) / (x.max() - x.min())
\`\`\`

## Use instead
\`\`\`python
x_min = x.min()
return (x - x_min) / (x.max() - x_min)
\`\`\`

## When no fix is offered
Module-level code is compared within one top-level statement. Random draws, clocks, NumPy math on
plain numbers (\`np.sqrt(TRADING_DAYS)\`), allocations of distinct buffers and calls in mutually
exclusive branches are never flagged, nor is one grouping (\`df.groupby(k)\`) aggregated over different columns; setting another column (\`df["b"] = ...\`) between two
\`df["a"].median()\` does not count as a change. The fix is withheld when the first call only runs on some paths (a short-circuit,
a lambda, a comprehension).`,
  },
  nodeTypes: ['function_definition', ...MODULE_STATEMENTS],
  check(node: AstNode, ctx: RuleContext) {
    if (node.type === 'function_definition') {
      const body = child(node, 'body');
      if (body && !ctx.sem.isCompiled(body)) checkBlock(body, ctx.sem.scopeOf(node), ctx);
      return;
    }
    // Module-level code (a script, a notebook cell) is checked one top-level statement at a time:
    // what a statement repeats within itself does not depend on the statements around it.
    if (node.parent?.type === 'module') checkBlock(node, ctx.sem.moduleScope, ctx);
  },
};

interface Occurrence {
  call: AstNode;
  key: string;
}

/** Checks one scope's calls; occurrences are compared in source order. */
export function checkBlock(body: AstNode, scope: Scope, ctx: RuleContext): void {
  const calls: Occurrence[] = [];
  for (const n of descendantsInScope(body)) {
    if (n !== body && SCOPE_TYPES.has(n.type)) continue;
    if (n.type !== 'call' || insideScopeOrComprehension(n, body) || isGrouping(n, ctx) || makesCopy(n, scope, ctx.sem)) continue;
    if (classifyCall(n, scope, ctx.sem) !== 'costly' && !reducesNetworkOutput(n, scope, ctx)) continue;
    calls.push({ call: n, key: ctx.text(n).replace(/\s+/g, '') });
  }
  const reported = new Set<AstNode>();
  const byKey = new Map<string, Occurrence[]>();
  for (const c of calls) byKey.set(c.key, [...(byKey.get(c.key) ?? []), c]);
  for (const group of byKey.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => a.call.start - b.call.start);
    // Each occurrence not yet covered opens a run of its own: the first one may sit in a loop and
    // two later ones after it (`norm(g)` in the loop's test, then twice in the summary).
    const covered = new Set<AstNode>();
    for (let i = 0; i < group.length - 1; i++) {
      const first = group[i].call;
      if (covered.has(first)) continue;
      const repeats = group.slice(i + 1).map((g) => g.call).filter((c) => !covered.has(c) && !nested(c, first) && sameRun(first, c, body, ctx));
      if (!repeats.length) continue;
      for (const r of repeats) covered.add(r);
      const second = repeats[0];
      if (reported.has(second)) continue;
      reported.add(second);
      ctx.report(hp601, {
        node: second,
        message: `\`${ctx.text(second)}\` was already computed above with the same arguments; compute it once into a local and reuse it.`,
        fixes: computeOnceFix(first, repeats, body, scope, ctx),
      });
    }
  }
}

/**
 * `df.groupby(keys)` on its own: a lazy grouping, whose cost is in the aggregation that follows
 * (`["kwh"].sum()`); the same grouping aggregated over other columns is not a repeat, and the same
 * aggregation repeated is compared as a whole.
 */
function isGrouping(call: AstNode, ctx: RuleContext): boolean {
  const m = ctx.sem.methodCall(call);
  return !!m && m.method === 'groupby' && ctx.sem.calleeName(call) === undefined;
}

const REDUCTIONS = new Set(['mean', 'sum', 'std', 'var', 'min', 'max', 'median', 'norm', 'logsumexp']);

/**
 * `flow.log_prob(x).mean()` where every method called `log_prob` in the module's classes belongs to
 * a network (a subclass of `nn.Module`): a forward pass over the batch, then a reduction of its output.
 */
function reducesNetworkOutput(call: AstNode, scope: Scope, ctx: RuleContext): boolean {
  const m = ctx.sem.methodCall(call);
  if (!m || !REDUCTIONS.has(m.method) || ctx.sem.calleeName(call) !== undefined) return false;
  const inner = unparen(m.receiver);
  const forward = inner.type === 'call' ? ctx.sem.methodCall(inner) : undefined;
  if (!forward || ctx.sem.calleeName(inner, scope) !== undefined || unparen(forward.receiver).type !== 'identifier') return false;
  const defs = ctx.sem.methodDefinitions(forward.method);
  return defs.length > 0 && defs.every((fn) => isNetworkClass(classOfMethod(fn), ctx));
}

function isNetworkClass(cls: AstNode | null | undefined, ctx: RuleContext): boolean {
  if (cls?.type !== 'class_definition') return false;
  const bases = child(cls, 'superclasses');
  return !!bases && bases.children.some((b) => /(^|\.)Module$/.test(ctx.text(b)));
}

function nested(a: AstNode, b: AstNode): boolean {
  return (a.start >= b.start && a.end <= b.end) || (b.start >= a.start && b.end <= a.end);
}

function insideScopeOrComprehension(n: AstNode, body: AstNode): boolean {
  for (let p = n.parent; p && p !== body; p = p.parent) {
    if (SCOPE_TYPES.has(p.type) || COMPREHENSION_TYPES.has(p.type)) return true;
  }
  return false;
}

/**
 * Both calls see the same values: neither sits in a branch exclusive of the other, they share their
 * innermost loop, and nothing they read is re-bound or changed in place between them.
 */
function sameRun(first: AstNode, second: AstNode, body: AstNode, ctx: RuleContext): boolean {
  if (exclusive(first, second) || innermostLoop(first, body) !== innermostLoop(second, body)) return false;
  // `self.w.sum()`, then `self.refresh()`, then `self.w.sum()`: the method may have re-bound `self.w`.
  const scope = ctx.sem.enclosingScope(first);
  const network = reducesNetworkOutput(first, scope, ctx);
  if (changesInstanceRead(first, descendantsInScope(body).filter((n) => n.start >= first.end && n.end <= second.start), scope, ctx.sem)) return false;
  const names = new Set<string>();
  for (const n of descendants(first)) {
    if (n.type === 'identifier' && !(n.field === 'attribute' && n.parent?.type === 'attribute') && !(n.field === 'name' && n.parent?.type === 'keyword_argument')) {
      names.add(ctx.text(n));
    }
  }
  for (const n of descendantsInScope(body)) {
    // An assignment stores once its value is computed: `df["a"] = df["a"].fillna(df["a"].median())`
    // changes `df["a"]` after the call inside it.
    const stores = n.type === 'assignment' || n.type === 'augmented_assignment' || n.type === 'named_expression';
    const at = stores ? n.end : n.start;
    if (at < first.end || at > second.start || (network && at === second.start)) continue;
    // A network's weights change through calls that never name it (`opt.step()`): only pure work may run between.
    if (network && n.type === 'call') {
      const cls = classifyCall(n, ctx.sem.enclosingScope(n), ctx.sem);
      if (cls !== 'cheap' && cls !== 'costly' && !reducesNetworkOutput(n, scope, ctx)) return false;
    }
    if (stores || n.type === 'for_statement') {
      const target = child(n, 'left') ?? child(n, 'name');
      if (!target) continue;
      if (setsOtherColumn(target, first, ctx)) continue;
      for (const id of descendants(target)) {
        if (id.type === 'identifier' && names.has(ctx.text(id))) {
          // `x[i] = v` / `x.a = v` change x; a plain name target re-binds it.
          return false;
        }
      }
    }
    if (n.type === 'call') {
      const m = ctx.sem.methodCall(n);
      if (m && isMutatingMethod(m.method)) {
        const base = baseName(m.receiver, ctx.sem);
        if (base && names.has(base)) return false;
      }
      // Anything passed to an unknown function may be changed by it.
      if (classifyCall(n, ctx.sem.enclosingScope(n), ctx.sem) === 'unknown') {
        const args = child(n, 'arguments')?.children ?? [];
        const passed = args.flatMap((a, i) => (a.type === 'identifier' && names.has(ctx.text(a)) ? [i] : []));
        // Unless it is a function of this module that leaves those arguments alone.
        if (passed.length && !(passed.every((i) => !args.slice(0, i).some((b) => b.type === 'keyword_argument' || b.type === 'list_splat' || b.type === 'dictionary_splat')) && leavesArgumentsAlone(n, passed, ctx.sem))) return false;
      }
    }
  }
  return true;
}

/**
 * `df["b"] = ...` where the call reads `df` only as other columns (`df["a"].median()`): setting one
 * column of a frame leaves the others as they were.
 */
function setsOtherColumn(target: AstNode, call: AstNode, ctx: RuleContext): boolean {
  const t = unparen(target);
  const key = columnKey(t, ctx);
  if (key === undefined) return false;
  const frame = ctx.text(child(t, 'value')!);
  let read = false;
  for (const n of descendants(call)) {
    if (n.type !== 'identifier' || ctx.text(n) !== frame || (n.field === 'attribute' && n.parent?.type === 'attribute')) continue;
    const others = n.parent && n.field === 'value' ? [columnKey(n.parent, ctx)] : groupedColumns(n, ctx);
    if (!others?.length || others.some((other) => other === undefined || other === key)) return false;
    read = true;
  }
  return read;
}

/** `df.groupby("origin")["delay"]`: the columns it reads, the keys and the one selected. */
function groupedColumns(frame: AstNode, ctx: RuleContext): (string | undefined)[] | undefined {
  const access = frame.field === 'object' ? frame.parent : undefined;
  const call = access?.field === 'function' ? access.parent : undefined;
  if (access?.type !== 'attribute' || ctx.text(child(access, 'attribute') ?? access) !== 'groupby' || call?.type !== 'call') return undefined;
  const selected = call.field === 'value' && call.parent?.type === 'subscript' ? columnKey(call.parent, ctx, false) : undefined;
  const args = child(call, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  const by = args.length === 1 ? unparen(args[0]) : undefined;
  const keys = by?.type === 'list' ? by.children : by ? [by] : [];
  return selected === undefined || !keys.length ? undefined : [...keys.map((k) => stringLiteralValue(k, ctx.sem)), selected];
}

/** The literal key of `name["key"]` (of any `value["key"]` when not `named`). */
function columnKey(n: AstNode, ctx: RuleContext, named = true): string | undefined {
  return n.type === 'subscript' && (!named || child(n, 'value')?.type === 'identifier') ? subscriptKey(n, ctx.sem) : undefined;
}

function innermostLoop(n: AstNode, body: AstNode): AstNode | undefined {
  for (let p = n.parent; p && p !== body; p = p.parent) {
    if (p.type === 'for_statement' || p.type === 'while_statement') return p;
  }
  return undefined;
}

/** In different branches of one if/elif/else, try/except, or conditional expression. */
function exclusive(a: AstNode, b: AstNode): boolean {
  const chainA: AstNode[] = [];
  for (let p: AstNode | null = a; p; p = p.parent) chainA.push(p);
  let branchB: AstNode | undefined;
  for (let p: AstNode | null = b; p; branchB = p, p = p.parent) {
    const i = chainA.indexOf(p);
    if (i < 0) continue;
    const branchA = chainA[i - 1];
    if (!branchA || !branchB) return false;
    if (p.type === 'if_statement') {
      const arms = (x: AstNode) => x.type === 'elif_clause' || x.type === 'else_clause' || x.field === 'consequence';
      return arms(branchA) && arms(branchB) && branchA !== branchB;
    }
    if (p.type === 'try_statement') return branchA !== branchB && (branchA.type === 'except_clause' || branchB.type === 'except_clause');
    if (p.type === 'conditional_expression') {
      const idxA = p.children.indexOf(branchA);
      const idxB = p.children.indexOf(branchB);
      return idxA !== 1 && idxB !== 1 && idxA !== idxB;
    }
    // `if small: out = f(x); continue`, then `out = f(x)` after the if: when the first ran, the second does not.
    return branchA.type === 'if_statement' && branchA.end <= b.start && leaves(chainA[i - 2]);
  }
  return false;
}

/** An arm of an if statement whose block ends by leaving (`continue`, `break`, `return`, `raise`). */
function leaves(arm: AstNode | undefined): boolean {
  const block = arm?.type === 'block' ? arm : arm?.type === 'elif_clause' ? child(arm, 'consequence') : arm?.type === 'else_clause' ? child(arm, 'body') : undefined;
  const last = block?.children[block.children.length - 1];
  return !!last && ['continue_statement', 'break_statement', 'return_statement', 'raise_statement'].includes(last.type);
}

function computeOnceFix(first: AstNode, repeats: AstNode[], body: AstNode, scope: Scope, ctx: RuleContext): Fix[] {
  if (!alwaysRuns(first, body)) return [];
  // Insert above the statement (in the common block) that holds the first call.
  let statement: AstNode | undefined = first;
  while (statement && statement.parent !== body && !isBlock(statement.parent)) statement = statement.parent ?? undefined;
  while (statement && !repeats.every((r) => isWithinBlockOf(r, statement!.parent!))) {
    statement = ancestorStatement(statement);
  }
  if (!statement || indentOf(ctx.source, statement) === undefined) return [];
  const name = ctx.sem.freshName(localName(first, ctx), scope, body);
  const insert = insertAbove(ctx.source, statement, [`${name} = ${ctx.text(first)}`]);
  if (!insert) return [];
  const edits: Edit[] = [insert, replace(first, name), ...repeats.map((r) => replace(r, name))];
  return [{ title: `Compute \`${ctx.text(first)}\` once into \`${name}\``, edits }];
}

function isBlock(n: AstNode | null): boolean {
  return !!n && (n.type === 'block' || n.type === 'module');
}

function isWithinBlockOf(n: AstNode, block: AstNode): boolean {
  return n.start >= block.start && n.end <= block.end;
}

function ancestorStatement(statement: AstNode): AstNode | undefined {
  let p: AstNode | null = statement.parent;
  while (p && !isBlock(p.parent)) p = p.parent;
  return p ?? undefined;
}

/** The first call runs whenever its statement runs (not behind `and`/`or`, `x if c else y`, a lambda). */
function alwaysRuns(call: AstNode, body: AstNode): boolean {
  for (let n = call.parent, prev = call; n && n !== body; prev = n, n = n.parent) {
    if (n.type === 'boolean_operator' && prev.field !== 'left') return false;
    if (n.type === 'conditional_expression' && n.children.indexOf(prev) !== 1) return false;
    if (n.type === 'lambda' || COMPREHENSION_TYPES.has(n.type)) return false;
    if (n.type === 'block' || n.type === 'else_clause' || n.type === 'elif_clause' || n.type === 'except_clause') return false;
    if (isBlock(n.parent)) return true;
  }
  return true;
}

function localName(call: AstNode, ctx: RuleContext): string {
  const m = ctx.sem.methodCall(call);
  const words = (n: AstNode) => ctx.text(unparen(n)).replace(/\W+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
  if (m && ctx.sem.calleeName(call) === undefined) return `${words(m.receiver)}_${m.method}`.slice(0, 40);
  const fn = ctx.text(child(call, 'function')!).split('.').pop()!;
  const arg = child(call, 'arguments')?.children[0];
  return arg ? `${fn}_${words(arg)}`.slice(0, 40) : fn;
}
