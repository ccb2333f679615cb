import { type AstNode, child } from '../../ast';
import { replace } from '../../edits';
import type { Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { rowValueExpression } from './helpers';

export const hp302: Rule = {
  id: 'HP302',
  name: 'apply-over-rows',
  category: 'row-iteration',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: '`DataFrame.apply(..., axis=1)` calls a Python function once per row.',
    body: `## What it flags
\`df.apply(func, axis=1)\` and \`axis="columns"\`.

## Why it is slow
pandas builds a Series for every row and calls the function on it in the interpreter: the cost of
a Python loop plus the cost of boxing every row.

## Example
\`\`\`python
df["total"] = df.apply(lambda r: r["price"] * r["qty"], axis=1)
\`\`\`

## Use instead
\`\`\`python
df["total"] = df["price"] * df["qty"]
\`\`\`

## When no fix is offered
The fix covers a lambda whose body is arithmetic on the row's columns, or a conditional expression
of such arithmetic (rewritten with \`np.where\`).`,
  },
  nodeTypes: ['call'],
  check(node: AstNode, ctx: RuleContext) {
    const m = ctx.sem.methodCall(node);
    if (!m || m.method !== 'apply') return;
    const args = child(node, 'arguments');
    const axis = args?.children.find((a) => a.type === 'keyword_argument' && ctx.text(child(a, 'name')!) === 'axis');
    const value = axis ? ctx.text(child(axis, 'value')!).replace(/\s/g, '') : '';
    if (value !== '1' && value !== '"columns"' && value !== "'columns'") return;
    ctx.report(hp302, {
      node,
      message: '`apply(..., axis=1)` calls a Python function once per row, boxing each row in a Series; write it as column arithmetic (`df["a"] * df["b"]`) or `np.where`.',
      fixes: lambdaFix(node, m.receiver, args!, ctx),
    });
  },
};

function lambdaFix(call: AstNode, receiver: AstNode, args: AstNode, ctx: RuleContext): Fix[] {
  const frame = ctx.text(receiver);
  if (!/^[A-Za-z_][\w.]*$/.test(frame)) return [];
  const positional = args.children.filter((a) => a.type !== 'keyword_argument');
  const others = args.children.filter((a) => a.type === 'keyword_argument' && ctx.text(child(a, 'name')!) !== 'axis');
  if (positional.length !== 1 || others.length || positional[0].type !== 'lambda') return [];
  const lambda = positional[0];
  const params = child(lambda, 'parameters');
  const body = child(lambda, 'body');
  if (!params || !body || params.children.length !== 1 || params.children[0].type !== 'identifier') return [];
  const value = rowValueExpression(body, ctx.text(params.children[0]), frame, ctx);
  const pd = ctx.sem.aliasOf('pandas');
  if (!value || (value.array && !pd)) return [];
  // The lambda's values row by row, on the frame's index: np.where's array is put back on it.
  const text = value.array ? `${pd}.Series(${value.text}, index=${frame}.index)` : `(${value.text})`;
  return [{ title: value.array ? 'Replace apply with np.where over columns' : 'Replace apply with column arithmetic', edits: [replace(call, text)] }];
}
