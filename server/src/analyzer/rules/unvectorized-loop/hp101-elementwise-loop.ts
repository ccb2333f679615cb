import type { AstNode } from '../../ast';
import { child } from '../../ast';
import type { Rule, RuleContext } from '../../rule';
import { njitFix, scalarKernel } from '../numba-candidate/njit';
import { classifyNumericLoop } from './loopShape';
import { vectorizeFix } from './vectorize';

export const hp101: Rule = {
  id: 'HP101',
  name: 'elementwise-python-loop',
  category: 'unvectorized-loop',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'A Python loop does element-wise or reduction arithmetic over arrays one element at a time.',
    body: `## What it flags
A \`for\` loop (or nest) over the elements of NumPy arrays, tensors or columns whose work array
operations express directly: element-wise arithmetic, conditional assignment, sums, dot products,
running sums, maxima and argmaxima, counting, pairwise differences, and nests that reduce each
row (or column) of a 2-D array to one value.

## Why it is slow
Each iteration runs dozens of bytecodes and boxes every element into a Python object; the same
work as one array operation runs in compiled code, 10–100× faster.

## Example
\`\`\`python
out = np.empty_like(z)
for i in range(len(z)):
    if z[i] > 0:
        out[i] = z[i]
    else:
        out[i] = 0.01 * z[i]
\`\`\`

## Use instead
\`\`\`python
out[:] = np.where(z > 0, z, 0.01 * z)
\`\`\`

## When no fix is offered
When the loop's shape is not one the rewriter knows (nests other than a row or column
reduction stored one value per row, such as pairwise distances between rows; scatter updates with
several indices), the fix is \`@numba.njit\` on the enclosing module-level function instead, which
compiles the loop as written. Neither is offered for torch tensors, methods and nested functions,
or functions Numba cannot compile (strings, dicts, pandas, big-integer arithmetic). The diagnostic
still names the array operation.`,
  },
  nodeTypes: ['for_statement', 'while_statement'],
  check(node: AstNode, ctx: RuleContext) {
    const shape = classifyNumericLoop(node, ctx.sem);
    if (!shape || shape.kind !== 'vectorizable') return;
    // A shape the vectorizer has no rewrite for still runs compiled, as written, under Numba.
    const vectorized = vectorizeFix(shape, ctx);
    ctx.report(hp101, {
      node,
      end: child(node, 'body')!.start,
      message: `This loop computes ${shape.reason} one element at a time in Python; the same work as a NumPy array expression runs in compiled code.`,
      fixes: vectorized.length ? vectorized : njitFix(node, ctx, (fn) => scalarKernel(fn, ctx)),
    });
  },
};
