import { type AstNode, child, descendantsInScope, unparen } from '../../ast';
import type { Rule, RuleContext } from '../../rule';
import { enclosingStepLoop, isCompiledCall, isGuardedRead } from './helpers';

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
\`if\`/\`while\` on a tensor's value: a comparison (\`if loss < best\`) or a tensor's truth
(\`if torch.isnan(loss)\`, \`if not mask.any()\`). Shape and type checks (\`x.dim()\`, \`torch.is_tensor\`)
and identity tests (\`is None\`) read no value and are not flagged. A loop over batches or steps is one
that calls a model (or, in a \`@torch.no_grad()\`/\`@torch.inference_mode()\` function, a function passed
in, or one of the module's functions compiled with \`@jax.jit\`/\`@torch.compile\`, whose results are
device arrays), a backward pass or an optimizer step; a nested loop of a few such calls (drafting \`gamma\` tokens)
is part of its step.

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
    const loop = enclosingStepLoop(node, sem);
    if (!loop || sem.isCompiled(node)) return;
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
    // `if loss < best:` or `if torch.isnan(loss):` branches on a tensor's value: Python needs it on the host.
    const condition = child(node, 'condition');
    if (!condition) return;
    const keyword = node.type === 'if_statement' ? 'if' : 'while';
    const parts = unguarded(condition, ctx);
    for (const operand of parts.flatMap(truthOperands)) {
      if (operand.type !== 'comparison_operator' && isTensorValue(operand, ctx)) {
        ctx.report(hp401, {
          node: condition,
          message: `\`${keyword} ${ctx.text(condition)}\` takes a tensor's truth value, which copies it to the host and waits for the GPU on every step. Keep the check on the device (\`torch.where\`, a flag tensor read every N steps) instead.`,
        });
        return;
      }
    }
    for (const n of parts.flatMap((p) => descendantsInScope(p))) {
      if (n.type !== 'comparison_operator' || isIdentityTest(n, ctx)) continue;
      if (n.children.some((c) => isTensorValue(c, ctx)) && !n.children.some((c) => c.type === 'call' && isSyncCall(c, ctx))) {
        ctx.report(hp401, {
          node: condition,
          message: `\`${keyword} ${ctx.text(condition)}\` branches on a tensor's value, which copies it to the host and waits for the GPU on every step. Compare on the device (\`torch.minimum\`, \`torch.where\`) instead.`,
        });
        return;
      }
    }
  },
};

/**
 * The parts of a condition evaluated on every step: in \`step % N == 0 and done.all()\` the right
 * side runs only when the left one holds, every N steps.
 */
function unguarded(condition: AstNode, ctx: RuleContext): AstNode[] {
  const n = unparen(condition);
  if (n.type !== 'boolean_operator') return [n];
  const left = child(n, 'left');
  const right = child(n, 'right');
  if (!left || !right) return [n];
  const and = ctx.source.slice(left.end, right.start).trim() === 'and';
  if (and && /%/.test(ctx.text(left))) return unguarded(left, ctx);
  return [...unguarded(left, ctx), ...unguarded(right, ctx)];
}

/** The expressions whose truth a condition takes: through `not`, `and` and `or`. */
function truthOperands(condition: AstNode): AstNode[] {
  const n = unparen(condition);
  if (n.type === 'boolean_operator') return n.children.flatMap(truthOperands);
  if (n.type === 'not_operator') return n.children.flatMap(truthOperands);
  return [n];
}

/** `x is None`, `x is not y`: compares identities, reads no value. */
function isIdentityTest(comparison: AstNode, ctx: RuleContext): boolean {
  const operands = comparison.children;
  for (let i = 1; i < operands.length; i++) {
    const op = ctx.source.slice(operands[i - 1].end, operands[i].start).replace(/\s+/g, ' ').trim();
    if (op !== 'is' && op !== 'is not') return false;
  }
  return operands.length > 1;
}

/** Tensor methods and torch functions that answer from shape, dtype or device: no value is read. */
const METADATA_METHODS = new Set(['dim', 'ndimension', 'size', 'numel', 'nelement', 'element_size', 'stride', 'storage_offset', 'data_ptr', 'get_device', 'type', 'is_contiguous', 'is_floating_point', 'is_complex', 'is_pinned', 'is_shared', 'is_set_to']);

/** A tensor-valued expression (not its shape or type): taking its truth or comparing it reads the value. */
function isTensorValue(node: AstNode, ctx: RuleContext): boolean {
  const n = unparen(node);
  if (n.type === 'call') {
    const m = ctx.sem.methodCall(n);
    if (m && METADATA_METHODS.has(m.method)) return false;
    const callee = ctx.sem.calleeName(n, ctx.sem.enclosingScope(n));
    if (callee && /^torch\.is_/.test(callee)) return false;
  }
  return isTensor(n, ctx);
}

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
    if (ctx.sem.kindOf(n, ctx.sem.enclosingScope(n)) === 'tensor') return true;
  }
  if (n.type === 'identifier' && isCompiledResult(n, ctx)) return true;
  // Indexing a tensor, even down to one element (`p[i, tok]`), gives a tensor, not a Python number;
  // so does taking an item of a container annotated as holding tensors (`acts: Dict[str, Tensor]`).
  if (n.type === 'subscript') {
    const value = child(n, 'value');
    return !!value && (isTensor(value, ctx) || holdsTensors(value, ctx));
  }
  // A tensor method on a tensor (`acts[name].abs().max()`) gives a tensor, unless it answers a Python value.
  if (n.type === 'call') {
    const m = ctx.sem.methodCall(n);
    return !!m && !HOST_RESULTS.has(m.method) && !METADATA_METHODS.has(m.method) && isTensor(m.receiver, ctx);
  }
  // Arithmetic with a tensor operand (`torch.rand(()) * q[i]`) is a tensor too.
  if (n.type === 'binary_operator') return [child(n, 'left'), child(n, 'right')].some((c) => !!c && isTensor(c, ctx));
  if (n.type === 'unary_operator') {
    const arg = child(n, 'argument');
    return !!arg && isTensor(arg, ctx);
  }
  return false;
}

/**
 * A name bound to what a compiled function returned (`params, state, loss = train_step(...)` with
 * `@jax.jit def train_step`): a device array, like a tensor.
 */
function isCompiledResult(id: AstNode, ctx: RuleContext): boolean {
  const name = ctx.text(id);
  const scope = ctx.sem.enclosingScope(id);
  if (scope.isModule || !scope.bound.has(name)) return false;
  for (const a of descendantsInScope(child(scope.node, 'body') ?? scope.node)) {
    if (a.type !== 'assignment') continue;
    const left = child(a, 'left');
    const right = child(a, 'right');
    if (!left || right?.type !== 'call' || !isCompiledCall(right, scope, ctx.sem)) continue;
    const targets = left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? left.children : [];
    if (targets.some((t) => t.type === 'identifier' && ctx.text(t) === name)) return true;
  }
  return false;
}

/** Tensor methods whose result lives on the host (or is no tensor). */
const HOST_RESULTS = new Set(['item', 'tolist', 'numpy', 'cpu', 'size', 'dim', 'numel', 'tobytes', 'data_ptr']);
/** `Dict[str, torch.Tensor]`, `List[Tensor]`, `Sequence[torch.Tensor]`: a container whose items are tensors. */
const TENSOR_CONTAINER = /^(typing\.)?(Dict|dict|Mapping|MutableMapping|List|list|Sequence|Tuple|tuple)\[(.*,\s*)?(torch\.)?Tensor(,\s*\.\.\.)?\]$/;

/** A name whose annotation (a parameter's, or a local's `acts: Dict[str, Tensor] = {}`) is a container of tensors. */
function holdsTensors(node: AstNode, ctx: RuleContext): boolean {
  const n = unparen(node);
  if (n.type !== 'identifier') return false;
  const name = ctx.text(n);
  const scope = ctx.sem.enclosingScope(n);
  if (scope.isModule) return false;
  const params = child(scope.node, 'parameters')?.children ?? [];
  for (const p of params) {
    const id = p.type === 'typed_parameter' ? p.children.find((c) => c.type === 'identifier') : p.type === 'typed_default_parameter' ? child(p, 'name') : undefined;
    const type = child(p, 'type');
    if (id && type && ctx.text(id) === name) return TENSOR_CONTAINER.test(ctx.text(type).replace(/\s+/g, ' '));
  }
  for (const a of descendantsInScope(child(scope.node, 'body') ?? scope.node)) {
    if (a.type !== 'assignment') continue;
    const left = child(a, 'left');
    const type = child(a, 'type');
    if (left?.type === 'identifier' && type && ctx.text(left) === name && TENSOR_CONTAINER.test(ctx.text(type).replace(/\s+/g, ' '))) return true;
  }
  return false;
}

/** A receiver known to be NumPy or pandas data (`.tolist()` there is no sync). */
function isHostValue(receiver: AstNode, ctx: RuleContext): boolean {
  const kind = ctx.sem.kindOf(receiver, ctx.sem.enclosingScope(receiver));
  return kind === 'ndarray' || kind === 'frame' || kind === 'series';
}
