import { type AstNode, child, descendants, descendantsInScope, unparen } from '../../ast';
import { editsOverlap, indentOf, insertAbove, insertBelow, replace } from '../../edits';
import { isArrayKind, type Scope } from '../../semantics/semantics';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';

/** Functions that return a new array holding everything in their first argument plus more. */
const JOINS: Record<string, { join: string; kind: 'append' | 'sequence' }> = {
  'numpy.append': { join: 'concatenate', kind: 'append' },
  'numpy.concatenate': { join: 'concatenate', kind: 'sequence' },
  'numpy.vstack': { join: 'vstack', kind: 'sequence' },
  'numpy.hstack': { join: 'hstack', kind: 'sequence' },
  'numpy.row_stack': { join: 'vstack', kind: 'sequence' },
  'numpy.column_stack': { join: 'column_stack', kind: 'sequence' },
  'numpy.dstack': { join: 'dstack', kind: 'sequence' },
  'torch.cat': { join: 'cat', kind: 'sequence' },
  'torch.concat': { join: 'cat', kind: 'sequence' },
  'torch.concatenate': { join: 'cat', kind: 'sequence' },
  'torch.vstack': { join: 'vstack', kind: 'sequence' },
  'torch.hstack': { join: 'hstack', kind: 'sequence' },
  'pandas.concat': { join: 'concat', kind: 'sequence' },
};

export const hp201: Rule = {
  id: 'HP201',
  name: 'grow-array-in-loop',
  category: 'array-growth',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'An array, tensor or frame is grown inside a loop, copying everything so far on every iteration.',
    body: `## What it flags
An accumulator (a name or an attribute such as \`self.history\`) re-bound inside a loop to a copy of itself plus more:
\`acc = np.append(acc, x)\`, \`np.concatenate\`/\`vstack\`/\`hstack\`, \`torch.cat\`, \`pd.concat\`,
\`df = df.append(row)\`, also as one branch of a conditional
(\`acc = x if acc is None else np.vstack((acc, x))\`). Not flagged when the loop re-binds the name
from scratch earlier in the same iteration: then nothing carries over from one iteration to the next.

## Why it is slow
Each call allocates a new array and copies the whole accumulator into it, so a loop of *n*
iterations copies O(n²) elements.

## Example
\`\`\`python
scores = np.array([])
for batch in batches:
    scores = np.append(scores, model(batch))
\`\`\`

## Use instead
\`\`\`python
scores_parts = [scores]
for batch in batches:
    scores_parts.append(model(batch))
scores = np.concatenate(scores_parts)
\`\`\`

## When no fix is offered
When the loop reads the accumulator besides growing it, grows it in more than one place, prepends
to it, grows it in a conditional expression, or the accumulator is an attribute (\`self.history\`).`,
  },
  nodeTypes: ['assignment'],
  check(node: AstNode, ctx: RuleContext) {
    const left = child(node, 'left');
    const right = child(node, 'right');
    if (!left || !right || !isAccumulator(left)) return;
    const acc = ctx.text(left);
    const value = unparen(right);
    // `acc = x if acc is None else np.vstack((acc, x))` grows on every iteration but the first.
    const conditional = value.type === 'conditional_expression';
    const call = conditional
      ? [value.children[0], value.children[2]].map((b) => b && unparen(b)).find((b) => b?.type === 'call' && describeGrowth(b, acc, ctx))
      : value;
    if (!call || call.type !== 'call') return;
    const loop = ctx.sem.innermostLoop(node, false);
    if (!loop || ctx.sem.isCompiled(node)) return;
    if (reboundEarlier(node, loop, acc, ctx)) return;
    const scope = ctx.sem.enclosingScope(node);
    const found = describeGrowth(call, acc, ctx);
    if (!found) return;
    // The rewrite keeps a single join per iteration; a conditional one is reported without a fix.
    const growth = conditional ? { ...found, pieces: [] } : found;
    const what = growth.label;
    ctx.report(hp201, {
      node: call,
      message: `\`${acc}\` is grown with \`${what}\` on every iteration, copying all of it each time (quadratic). Collect the pieces in a list and join them once after the loop.`,
      fixes: growthFix(node, loop, acc, growth, ctx, scope),
    });
  },
};

/** A name or an attribute chain on a name (`self.history`): what a loop can keep growing. */
function isAccumulator(target: AstNode): boolean {
  let n: AstNode | undefined = target;
  while (n?.type === 'attribute') n = child(n, 'object');
  return n?.type === 'identifier';
}

/**
 * True when `acc` is re-bound from scratch (to a value that does not read it) earlier in the same
 * iteration, on every path to `assignment`: then each iteration joins its own pieces, nothing grows.
 */
function reboundEarlier(assignment: AstNode, loop: AstNode, acc: string, ctx: RuleContext): boolean {
  // Statements before an enclosing statement in its block run before it on every path (within the
  // loop body, ignoring `continue` and exceptions).
  for (let n: AstNode = assignment; n.parent && n !== loop; n = n.parent) {
    if (n.parent.type !== 'block') continue;
    for (const s of n.parent.children) {
      if (s === n) break;
      const a = s.type === 'expression_statement' && s.children.length === 1 ? s.children[0] : undefined;
      const left = a?.type === 'assignment' ? child(a, 'left') : undefined;
      const right = a && child(a, 'right');
      if (!left || !right || ctx.text(left) !== acc) continue;
      if (!descendantsInScope(right).some((r) => r.type === 'identifier' && ctx.text(r) === acc)) return true;
    }
  }
  return false;
}

interface Growth {
  label: string;
  /** The expression joining the parts after the loop, given the parts' name. */
  join: (parts: string) => string;
  /** The pieces added on one iteration, in order: as source text, and the expressions they are made of. */
  pieces: string[];
  sources: AstNode[];
}

function describeGrowth(call: AstNode, acc: string, ctx: RuleContext): Growth | undefined {
  const scope = ctx.sem.enclosingScope(call);
  const args = child(call, 'arguments');
  if (!args) return undefined;
  const positional = args.children.filter((a) => a.type !== 'keyword_argument' && a.type !== 'comment');
  const keywords = args.children.filter((a) => a.type === 'keyword_argument').map((k) => ctx.text(k));
  const callee = ctx.sem.calleeName(call, scope);
  const spec = callee ? JOINS[callee] : undefined;
  const fnText = ctx.text(child(call, 'function')!);
  const prefix = fnText.slice(0, fnText.lastIndexOf('.') + 1);
  if (spec?.kind === 'append') {
    if (positional.length !== 2 || ctx.text(unparen(positional[0])) !== acc) return undefined;
    const axis = keywords.find((k) => k.startsWith('axis'));
    const value = ctx.text(positional[1]);
    // np.append without an axis flattens both sides.
    return {
      label: fnText,
      pieces: [axis ? value : `${prefix}ravel(${value})`],
      sources: [positional[1]],
      join: (parts) => (axis ? `${prefix}concatenate(${parts}, ${axis})` : `${prefix}concatenate(${parts})`),
    };
  }
  if (spec?.kind === 'sequence') {
    const seq = positional[0] ? unparen(positional[0]) : undefined;
    if (!seq || (seq.type !== 'list' && seq.type !== 'tuple')) return undefined;
    const items = seq.children.filter((c) => c.type !== 'comment');
    if (!items.length || ctx.text(unparen(items[0])) !== acc) {
      // Prepending (`[x, acc]`) is growth too, and so is joining to a selection of the accumulator's
      // rows (`[acc[keep], col]` in a beam search): neither is fixed.
      return items.some((i) => ctx.text(unparen(i)) === acc || isSelection(i, acc, ctx))
        ? { label: fnText, pieces: [], sources: [], join: () => '' }
        : undefined;
    }
    const rest = [...keywords, ...positional.slice(1).map((p) => ctx.text(p))].join(', ');
    return {
      label: fnText,
      pieces: items.slice(1).map((i) => ctx.text(i)),
      sources: items.slice(1),
      join: (parts) => `${prefix}${spec.join}(${parts}${rest ? `, ${rest}` : ''})`,
    };
  }
  // DataFrame.append / _append return a new frame: `df = df.append(row)`.
  const m = ctx.sem.methodCall(call);
  if (m && (m.method === 'append' || m.method === '_append') && ctx.text(unparen(m.receiver)) === acc) {
    return { label: `${acc}.${m.method}`, pieces: [], sources: [], join: () => '' };
  }
  return undefined;
}

/**
 * `acc[keep]` or `acc[:, order]`: picks rows or columns of the accumulator and keeps its length
 * along the rest. A window that drops a front or back (`acc[1:]`, `acc[:, -k:]`) keeps the size bounded.
 */
function isSelection(item: AstNode, acc: string, ctx: RuleContext): boolean {
  const n = unparen(item);
  if (n.type !== 'subscript' || ctx.text(child(n, 'value') ?? n) !== acc) return false;
  const subs = n.children.filter((c) => c.field === 'subscript');
  // `acc[-1]` is one row of it, a piece rather than the whole.
  const oneItem = (sub: AstNode) => /^-?\s*\d+$/.test(ctx.text(sub).trim());
  return subs.length > 0 && subs.every((sub) => (sub.type !== 'slice' || ctx.text(sub).replace(/\s+/g, '') === ':') && !oneItem(sub)) && subs.some((sub) => sub.type !== 'slice');
}

function growthFix(
  assignment: AstNode,
  loop: AstNode,
  acc: string,
  growth: Growth,
  ctx: RuleContext,
  scope: Scope,
): Fix[] {
  // An attribute (`self.history`) may be read by any method the loop calls: no local stands in for it.
  if (!growth.pieces.length || loop.type === 'list_comprehension' || child(assignment, 'left')?.type !== 'identifier') return [];
  const statement = assignment.parent;
  if (!statement || statement.type !== 'expression_statement' || indentOf(ctx.source, statement) === undefined) return [];
  // The loop must not look at the accumulator besides growing it.
  for (const n of descendantsInScope(loop)) {
    if (n.type !== 'identifier' || ctx.text(n) !== acc) continue;
    if (n.start >= assignment.start && n.end <= assignment.end) continue;
    return [];
  }
  if (countGrowth(loop, acc, ctx) !== 1) return [];
  const pieces = keptPieces(growth, loop, ctx, scope);
  if (!pieces) return [];
  const parts = ctx.sem.freshName(`${acc}_parts`, scope, loop);
  const before = insertAbove(ctx.source, loop, [`${parts} = [${acc}]`]);
  const after = insertBelow(ctx.source, loop, [`${acc} = ${growth.join(parts)}`]);
  const add = pieces.length === 1 ? `${parts}.append(${pieces[0]})` : `${parts}.extend([${pieces.join(', ')}])`;
  if (!before || !after) return [];
  const edits: Edit[] = [before, replace(assignment, add), after];
  if (editsOverlap([edits[1]], [edits[0], edits[2]])) return [];
  return [{ title: `Collect into \`${parts}\` and join once after the loop`, edits }];
}

/**
 * The pieces as the list keeps them. Joining copied each piece at once; the list holds it until the
 * loop ends, so a piece made from a buffer the loop changes in place (`state += x[i]` and then
 * `state`, or a view of it) is copied as it is added. Undefined when such a piece is not known to be
 * an array or tensor (a number would be re-bound by `+=`, and has no `.copy()`).
 */
function keptPieces(growth: Growth, loop: AstNode, ctx: RuleContext, scope: Scope): string[] | undefined {
  const mutated = ctx.sem.loop(loop).mutated;
  const pieces: string[] = [];
  for (const [i, source] of growth.sources.entries()) {
    const changing = descendants(source).some((n) => n.type === 'identifier' && mutated.has(ctx.text(n)));
    if (!changing) {
      pieces.push(growth.pieces[i]);
      continue;
    }
    const kind = ctx.sem.kindOf(source, scope);
    if (!isArrayKind(kind)) return undefined;
    pieces.push(`${growth.pieces[i]}.${kind === 'tensor' ? 'clone' : 'copy'}()`);
  }
  return pieces;
}

function countGrowth(loop: AstNode, acc: string, ctx: RuleContext): number {
  let count = 0;
  for (const n of descendantsInScope(loop)) {
    if (n.type !== 'assignment') continue;
    const left = child(n, 'left');
    if (left && ctx.text(left) === acc) count++;
  }
  return count;
}
