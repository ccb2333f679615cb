import { type AstNode, child, descendants, unparen } from '../../ast';
import type { Rule, RuleContext } from '../../rule';

const SCALAR_ACCESSORS = new Set(['loc', 'iloc', 'at', 'iat']);

export const hp303: Rule = {
  id: 'HP303',
  name: 'index-loop-over-rows',
  category: 'row-iteration',
  defaultSeverity: 'warning',
  fixAvailability: 'never',
  docs: {
    summary: 'A loop over row positions reads or writes a frame one cell at a time with `.loc`/`.iloc`/`.at`/`.iat`.',
    body: `## What it flags
\`for i in range(len(df)):\` (or over \`df.index\`) whose body uses \`df.loc[i, ...]\`, \`df.iloc[i]\`,
\`df.at[...]\` or \`df.iat[...]\` with the loop variable. A slice of rows (\`df.iloc[start:start + n]\`,
a block at a time) is not flagged.

## Why it is slow
Every scalar access goes through pandas' indexing machinery (label lookup, type checks, boxing),
microseconds each, once per row and column.

## Example
\`\`\`python
for i in range(1, len(prices)):
    prices.loc[i, "ret"] = prices.loc[i, "close"] / prices.loc[i - 1, "close"] - 1.0
\`\`\`

## Use instead
\`\`\`python
prices["ret"] = prices["close"].pct_change()
\`\`\`

## When no fix is offered
Always: the column operation (\`shift\`, \`pct_change\`, \`diff\`, \`np.where\`) depends on the logic.`,
  },
  nodeTypes: ['for_statement'],
  check(node: AstNode, ctx: RuleContext) {
    const left = child(node, 'left');
    const right = child(node, 'right');
    const body = child(node, 'body');
    if (!left || !right || !body || left.type !== 'identifier' || ctx.sem.isCompiled(node)) return;
    const index = ctx.text(left);
    const frames = rowFrames(right, ctx);
    if (!frames.length) return;
    for (const n of descendants(body)) {
      if (n.type !== 'subscript') continue;
      const value = child(n, 'value');
      if (!value || value.type !== 'attribute') continue;
      const accessor = ctx.text(child(value, 'attribute')!);
      const frame = ctx.text(child(value, 'object')!);
      if (!SCALAR_ACCESSORS.has(accessor) || !frames.includes(frame)) continue;
      const keys = n.children.filter((c) => c.field === 'subscript');
      const usesIndex = keys.some((c) => descendants(c).some((d) => d.type === 'identifier' && ctx.text(d) === index));
      // `.iloc[start:start + block]` takes a block of rows: positional slicing, not one cell.
      if (!usesIndex || keys.some((c) => c.type === 'slice')) continue;
      ctx.report(hp303, {
        node,
        end: body.start,
        message: `This loop reads \`${frame}\` one cell at a time through \`.${accessor}\`, paying pandas' indexing overhead per row; express it as whole-column operations (\`shift\`, \`pct_change\`, \`np.where\`).`,
      });
      return;
    }
  },
};

/** The frames whose rows `range(len(df))`, `range(df.shape[0])` or `df.index` walk. */
function rowFrames(iterable: AstNode, ctx: RuleContext): string[] {
  const it = unparen(iterable);
  if (it.type === 'attribute' && ctx.text(child(it, 'attribute')!) === 'index') return [ctx.text(child(it, 'object')!)];
  if (it.type !== 'call' || ctx.sem.bareCallee(it) !== 'range') return [];
  const frames: string[] = [];
  const scope = ctx.sem.enclosingScope(iterable);
  for (const n of descendants(it)) {
    let frame: AstNode | undefined;
    if (n.type === 'call' && ctx.sem.bareCallee(n) === 'len') frame = child(n, 'arguments')?.children[0];
    if (n.type === 'attribute' && ctx.text(child(n, 'attribute')!) === 'shape') frame = child(n, 'object');
    if (frame && frame.type === 'identifier') {
      const kind = ctx.sem.kindOf(frame, scope);
      if (kind === 'frame' || kind === 'series' || kind === undefined) frames.push(ctx.text(frame));
    }
  }
  return frames;
}
