import { type AstNode, child, descendants } from '../../ast';
import { eol, indentOf, lineStart } from '../../edits';
import type { Edit, Fix } from '../../finding';
import type { Rule, RuleContext } from '../../rule';
import { classifyNumericLoop } from '../unvectorized-loop/loopShape';

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

/** `@numba.njit(cache=True)` on the enclosing module-level function, and `import numba` when missing. */
function njitFix(loop: AstNode, ctx: RuleContext): Fix[] {
  let fn: AstNode | undefined;
  for (let p = loop.parent; p; p = p.parent) if (p.type === 'function_definition') fn = fn ?? p;
  if (!fn) return [];
  const holder = fn.parent?.type === 'decorated_definition' ? fn.parent : fn;
  if (holder.parent?.type !== 'module' || indentOf(ctx.source, holder) !== '') return [];
  if (!compilable(fn, ctx)) return [];
  const nl = eol(ctx.source);
  let alias = ctx.sem.aliasOf('numba');
  const edits: Edit[] = [];
  if (!alias) {
    alias = 'numba';
    const at = ctx.sem.importInsertionPoint;
    edits.push({ start: at, end: at, newText: `import numba${nl}` });
  }
  const at = lineStart(ctx.source, holder.start);
  edits.push({ start: at, end: at, newText: `@${alias}.njit(cache=True)${nl}` });
  return [{ title: 'Compile the function with @numba.njit', edits }];
}

/** Numba's nopython mode needs arrays and numbers: no pandas, torch, strings, dicts, f-strings. */
function compilable(fn: AstNode, ctx: RuleContext): boolean {
  const scope = ctx.sem.scopeOf(fn);
  for (const kind of scope.kinds.values()) if (kind === 'frame' || kind === 'series' || kind === 'tensor' || kind === 'model') return false;
  const docstring = child(fn, 'body')?.children[0];
  for (const n of descendants(fn)) {
    if (UNCOMPILABLE.has(n.type)) return false;
    // Strings (f-strings, dict keys, messages) are Python objects; the docstring is only documentation.
    if (n.type === 'string' && !(n.parent === docstring && docstring?.type === 'expression_statement')) return false;
    if (n.type === 'call' && ctx.sem.bareCallee(n) === 'print' && ctx.sem.isBuiltin('print', scope)) return false;
    // Numba's linear algebra needs SciPy at run time, and it has no FFT; a module-level list is not a constant it can read.
    if (n.type === 'call' && /^(numpy\.(linalg|fft)|scipy)\./.test(ctx.sem.calleeName(n, scope) ?? '')) return false;
    if (n.type === 'identifier' && ctx.sem.collectionSizes.has(ctx.text(n)) && !scope.bound.has(ctx.text(n))) return false;
  }
  return true;
}

const UNCOMPILABLE = new Set(['yield', 'await', 'lambda', 'with_statement', 'try_statement', 'global_statement', 'nonlocal_statement', 'class_definition', 'dictionary', 'set', 'dictionary_comprehension', 'set_comprehension']);
