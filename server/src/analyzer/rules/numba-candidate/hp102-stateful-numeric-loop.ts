import { type AstNode, child } from '../../ast';
import type { Rule, RuleContext } from '../../rule';
import { classifyNumericLoop } from '../unvectorized-loop/loopShape';
import { njitFix } from './njit';

export const hp102: Rule = {
  id: 'HP102',
  name: 'stateful-numeric-loop',
  category: 'numba-candidate',
  defaultSeverity: 'warning',
  fixAvailability: 'sometimes',
  docs: {
    summary: 'A numeric loop nest with state that array operations cannot express cleanly: compile it with Numba.',
    body: `## What it flags
A loop over array elements whose iterations depend on each other: a recurrence that resets, a
state flag, an early exit, an in-place update that reads values written earlier in the same sweep
(Gauss–Seidel, dynamic programming such as DTW), a running maximum feeding other arithmetic.

## Why it is slow
The interpreter runs every element's arithmetic as bytecode; NumPy cannot help because each step
needs the previous one.

## Example
\`\`\`python
def discounted_returns(rewards, dones, gamma=0.99):
    returns = np.zeros_like(rewards)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        if dones[t]:
            running = 0.0
        running = rewards[t] + gamma * running
        returns[t] = running
    return returns
\`\`\`

## Use instead
\`\`\`python
import numba

@numba.njit(cache=True)
def discounted_returns(rewards, dones, gamma=0.99):
    ...
\`\`\`

## When no fix is offered
When the loop is not inside a plain module-level function (methods and nested functions), or the
function uses Python objects Numba cannot compile (dicts of strings, pandas, torch).`,
  },
  nodeTypes: ['for_statement', 'while_statement'],
  check(node: AstNode, ctx: RuleContext) {
    const shape = classifyNumericLoop(node, ctx.sem);
    if (!shape || shape.kind !== 'numba') return;
    ctx.report(hp102, {
      node,
      end: child(node, 'body')!.start,
      message: `This loop has ${shape.reason}, which array operations cannot express cleanly; compile the function with \`@numba.njit\` to run it at native speed.`,
      fixes: njitFix(node, ctx),
    });
  },
};
