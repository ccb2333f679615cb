import { type AstNode, child, descendantsInScope, unparen } from '../../ast';
import type { Rule, RuleContext } from '../../rule';
import { isStepLoop, isGuardedRead } from './helpers';

const SYNC_METHODS = new Set(['item', 'cpu', 'numpy', 'tolist']);
const SCALAR_CASTS = new Set(['float', 'int', 'bool']);

export const hp401: Rule = {
  id: 'HP401',
  name: 'gpu-sync-in-step-loop',
  category: 'gpu-sync',
  defaultSeverity: 'warning',
  fixAvailability: 'never',
  docs: {
    summary: 'A host-device synchronisation on every step of a training or inference loop.',
    body: `## What it flags
Inside a loop over batches or steps: \`.item()\`, \`.cpu()\`, \`.numpy()\`, \`.tolist()\`,
\`float(t)\`/\`int(t)\`/\`bool(t)\` of a tensor, \`print(t)\`, \`torch.cuda.synchronize()\`, and a Python
\`if\` on a tensor's value.

## Why it is slow
CUDA runs asynchronously: the Python loop normally queues the next kernels while the GPU works.
Reading a value back to the host waits for every queued kernel to finish, so the GPU idles
while Python catches up, on every step.

## Example
\`\`\`python
for xb, yb in loader:
    loss = F.cross_entropy(model(xb), yb)
    ...
    history.append(loss.item())
\`\`\`

## Use instead
\`\`\`python
running = torch.zeros((), device=device)
for step, (xb, yb) in enumerate(loader):
    ...
    running += loss.detach()
    if step % 100 == 0:
        history.append(running.item() / 100)
        running.zero_()
\`\`\`

## When no fix is offered
Always: where to read the value back is a decision about logging, not a mechanical rewrite.
Reads guarded by \`if step % N == 0\` and reads after the loop are not flagged.`,
  },
  nodeTypes: ['call', 'if_statement', 'while_statement'],
  check(node: AstNode, ctx: RuleContext) {
    const sem = ctx.sem;
    const loop = sem.innermostLoop(node, false);
    if (!loop || !isStepLoop(loop, sem) || sem.isCompiled(node)) return;
    if (isGuardedRead(node, loop, sem)) return;
    const scope = sem.enclosingScope(node);
    if (node.type === 'call') {
      const callee = sem.calleeName(node, scope);
      if (callee === 'torch.cuda.synchronize') {
        ctx.report(hp401, { node, message: '`torch.cuda.synchronize()` on every step stalls the Python loop until the GPU is idle; drop it, or synchronize only when timing every N steps.' });
        return;
      }
      const m = sem.methodCall(node);
      if (m && SYNC_METHODS.has(m.method) && noArguments(node) && !isHostValue(m.receiver, ctx)) {
        ctx.report(hp401, {
          node,
          message: `\`.${m.method}()\` copies a tensor to the host on every step, which waits for the GPU to finish all queued work. Accumulate on the device and read it back every N steps.`,
        });
        return;
      }
      const bare = sem.bareCallee(node);
      if (bare && (SCALAR_CASTS.has(bare) || bare === 'print') && sem.isBuiltin(bare, scope)) {
        const args = child(node, 'arguments');
        const tensorArg = args?.children.find((a) => isTensor(a, ctx));
        if (tensorArg) {
          ctx.report(hp401, {
            node,
            message: `\`${bare}(${ctx.text(tensorArg)})\` reads a tensor's value on the host on every step, waiting for the GPU. Keep it on the device and read it every N steps.`,
          });
        }
      }
      return;
    }
    // `if loss < best:` branches on a tensor's value: Python needs it on the host.
    const condition = child(node, 'condition');
    if (!condition) return;
    for (const n of descendantsInScope(condition)) {
      if (n.type !== 'comparison_operator') continue;
      if (n.children.some((c) => isTensor(c, ctx)) && !n.children.some((c) => c.type === 'call' && isSyncCall(c, ctx))) {
        ctx.report(hp401, {
          node: condition,
          message: `\`${node.type === 'if_statement' ? 'if' : 'while'} ${ctx.text(condition)}\` branches on a tensor's value, which copies it to the host and waits for the GPU on every step. Compare on the device (\`torch.minimum\`, \`torch.where\`) instead.`,
        });
        return;
      }
    }
  },
};

function isSyncCall(call: AstNode, ctx: RuleContext): boolean {
  const m = ctx.sem.methodCall(call);
  return !!m && SYNC_METHODS.has(m.method);
}

function noArguments(call: AstNode): boolean {
  const args = child(call, 'arguments');
  return !args || args.children.length === 0;
}

function isTensor(node: AstNode, ctx: RuleContext): boolean {
  const n = unparen(node);
  if (n.type === 'identifier' || n.type === 'call' || n.type === 'attribute' || n.type === 'subscript') {
    return ctx.sem.kindOf(n, ctx.sem.enclosingScope(n)) === 'tensor';
  }
  return false;
}

/** A receiver known to be NumPy or pandas data (`.tolist()` there is no sync). */
function isHostValue(receiver: AstNode, ctx: RuleContext): boolean {
  const kind = ctx.sem.kindOf(receiver, ctx.sem.enclosingScope(receiver));
  return kind === 'ndarray' || kind === 'frame' || kind === 'series';
}
