import { type AstNode, child, descendantsInScope, unparen } from '../../ast';
import { indentOf, insertAbove, removeLines } from '../../edits';
import type { Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { hasRowArithmetic, rowValueExpression, whereExpression } from './helpers';

const IO_METHODS = /^(write|writerow|to_csv|to_excel|to_parquet|to_json|send|post|put|get|save|savefig|print|log|info|debug|warning|execute|insert_one|upload)$/;

export const hp301: Rule = {
  id: 'HP301',
  name: 'pandas-row-loop',
  category: 'row-iteration',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'A pandas frame is processed one row at a time with `iterrows()` or `itertuples()`.',
    body: `## What it flags
\`for _, row in df.iterrows():\`, and \`for row in df.itertuples():\` whose body does arithmetic on the
row's fields.

## Why it is slow
\`iterrows\` builds a new Series for every row (boxing each value, casting the row to one dtype);
both run the body in the interpreter once per row. Column arithmetic runs in compiled code over
whole columns.

## Example
\`\`\`python
revenue = []
for _, row in orders.iterrows():
    revenue.append(row["price"] * row["qty"])
\`\`\`

## Use instead
\`\`\`python
revenue = (orders["price"] * orders["qty"]).tolist()
\`\`\`

## When no fix is offered
The fix covers a loop that appends one arithmetic expression of the row's columns to a list.
\`itertuples\` used for per-row I/O is not flagged.`,
  },
  nodeTypes: ['for_statement'],
  check(node: AstNode, ctx: RuleContext) {
    const right = child(node, 'right');
    const left = child(node, 'left');
    const body = child(node, 'body');
    if (!right || !left || !body || ctx.sem.isCompiled(node)) return;
    // `for i, row in enumerate(df.itertuples())`, `for _, row in tqdm(df.iterrows())`: the same row loop.
    const wrapped = unwrapIterable(unparen(right), unparen(left), ctx);
    const call = wrapped.iterable;
    const m = call.type === 'call' ? ctx.sem.methodCall(call) : undefined;
    if (!m || (m.method !== 'iterrows' && m.method !== 'itertuples') || !wrapped.target) return;
    const row = rowName(wrapped.target, m.method, ctx);
    if (m.method === 'itertuples') {
      if (!row || !hasRowArithmetic(body, row, ctx) || doesIO(body, ctx)) return;
    }
    ctx.report(hp301, {
      node,
      end: body.start,
      message: `\`${m.method}()\` runs this loop body in Python once per row${m.method === 'iterrows' ? ', building a Series for each' : ''}; use column arithmetic (\`df["a"] * df["b"]\`), \`np.where\` or \`groupby\` instead.`,
      fixes: row && wrapped.target === left ? appendColumnFix(node, body, row, ctx.text(m.receiver), ctx) : [],
    });
  },
};

/** The iterable under `enumerate(...)` or a progress bar, and the part of the loop target it binds. */
function unwrapIterable(iterable: AstNode, target: AstNode, ctx: RuleContext): { iterable: AstNode; target: AstNode | undefined } {
  if (iterable.type !== 'call') return { iterable, target };
  const name = ctx.sem.bareCallee(iterable) ?? ctx.sem.calleeName(iterable) ?? '';
  const args = child(iterable, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  const first = args[0] && args[0].type !== 'keyword_argument' ? unparen(args[0]) : undefined;
  if (!first) return { iterable, target };
  if (name === 'enumerate' && ctx.sem.isBuiltin(name, ctx.sem.enclosingScope(iterable))) {
    const pair = target.type === 'pattern_list' || target.type === 'tuple_pattern' ? target.children : [];
    return { iterable: first, target: pair.length === 2 ? unparen(pair[1]) : undefined };
  }
  if (/(^|\.)tqdm$/.test(name)) return { iterable: first, target };
  return { iterable, target };
}

function rowName(left: AstNode, method: string, ctx: RuleContext): string | undefined {
  const l = unparen(left);
  if (method === 'iterrows') {
    if ((l.type === 'pattern_list' || l.type === 'tuple_pattern') && l.children.length === 2 && l.children[1].type === 'identifier') {
      return ctx.text(l.children[1]);
    }
    return undefined;
  }
  return l.type === 'identifier' ? ctx.text(l) : undefined;
}

function doesIO(body: AstNode, ctx: RuleContext): boolean {
  for (const n of descendantsInScope(body)) {
    if (n.type !== 'call') continue;
    const m = ctx.sem.methodCall(n);
    // `counts.get(key, 0)` on a dict the function built is a lookup, not a request.
    if (m && IO_METHODS.test(m.method) && !(m.method === 'get' && isLocalMapping(m.receiver, ctx))) return true;
    const bare = ctx.sem.bareCallee(n);
    if (bare === 'print' || bare === 'open') return true;
  }
  return false;
}

/**
 * `out = []` + `for _, row in df.iterrows(): out.append(EXPR)` -> `out = (EXPR over columns).tolist()`,
 * and `if COND: out.append(A) else: out.append(B)` -> `out = np.where(COND, A, B).tolist()`.
 * The list keeps its type and values, so code after the loop sees the same thing.
 */
function appendColumnFix(loop: AstNode, body: AstNode, row: string, frame: string, ctx: RuleContext): Fix[] {
  if (body.children.length !== 1 || !/^[A-Za-z_][\w.]*$/.test(frame)) return [];
  const appended = appendedPerRow(body.children[0], row, frame, ctx);
  if (!appended) return [];
  const { list, values } = appended;
  // The list must be created empty right before the loop.
  const prev = ctx.sem.previousStatement(loop);
  const init = prev?.type === 'expression_statement' ? prev.children[0] : undefined;
  if (!init || init.type !== 'assignment' || ctx.text(child(init, 'left')!) !== list || ctx.text(child(init, 'right')!).replace(/\s/g, '') !== '[]') return [];
  if (indentOf(ctx.source, loop) === undefined) return [];
  const removeInit = removeLines(ctx.source, prev!);
  const removeLoop = removeLines(ctx.source, loop);
  const insert = insertAbove(ctx.source, prev!, [`${list} = (${values}).tolist()`]);
  if (!removeInit || !removeLoop || !insert) return [];
  return [{ title: 'Replace the row loop with column arithmetic', edits: [insert, removeInit, removeLoop] }];
}

/** The list one row appends to, and what it appends over all rows as one column expression. */
function appendedPerRow(statement: AstNode, row: string, frame: string, ctx: RuleContext): { list: string; values: string } | undefined {
  if (statement.type === 'if_statement') {
    const branches = statement.children.filter((c) => c.field === 'alternative');
    const otherwise = branches.length === 1 && branches[0].type === 'else_clause' ? child(branches[0], 'body') : undefined;
    const condition = child(statement, 'condition');
    const yes = onlyAppend(child(statement, 'consequence'), ctx);
    const no = onlyAppend(otherwise, ctx);
    const values = condition && yes && no && yes.list === no.list ? whereExpression(condition, yes.value, no.value, row, frame, ctx) : undefined;
    return values ? { list: yes!.list, values } : undefined;
  }
  const append = onlyAppend(statement, ctx);
  const values = append && rowValueExpression(append.value, row, frame, ctx);
  return values ? { list: append.list, values: values.text } : undefined;
}

/** `out.append(value)`, alone in its block (or as the statement given). */
function onlyAppend(node: AstNode | undefined, ctx: RuleContext): { list: string; value: AstNode } | undefined {
  const statement = node?.type === 'block' ? (node.children.length === 1 ? node.children[0] : undefined) : node;
  const call = statement?.type === 'expression_statement' ? unparen(statement.children[0]) : undefined;
  const m = call?.type === 'call' ? ctx.sem.methodCall(call) : undefined;
  const args = call && child(call, 'arguments');
  if (!m || m.method !== 'append' || m.receiver.type !== 'identifier' || args?.children.length !== 1 || args.children[0].type === 'keyword_argument') return undefined;
  return { list: ctx.text(m.receiver), value: args.children[0] };
}

const MAPPING_CONSTRUCTORS = new Set(['dict', 'defaultdict', 'Counter', 'OrderedDict']);

/** A name the enclosing function binds to a dict display, a dict comprehension or a dict constructor. */
function isLocalMapping(receiver: AstNode, ctx: RuleContext): boolean {
  if (receiver.type !== 'identifier') return false;
  const name = ctx.text(receiver);
  const scope = ctx.sem.enclosingScope(receiver);
  if (scope.isModule || scope.params.has(name)) return false;
  for (const n of descendantsInScope(scope.node)) {
    if (n.type !== 'assignment') continue;
    const left = child(n, 'left');
    const right = child(n, 'right');
    if (!left || !right || ctx.text(left) !== name) continue;
    const value = unparen(right);
    if (value.type === 'dictionary' || value.type === 'dictionary_comprehension') return true;
    const fn = value.type === 'call' ? child(value, 'function') : undefined;
    const callee = fn && ctx.text(fn).split('.').pop();
    if (callee && MAPPING_CONSTRUCTORS.has(callee)) return true;
  }
  return false;
}
