// Which loops run training or inference steps, and which reads are only occasional.
import { type AstNode, child, descendantsInScope, LOOP_TYPES, SCOPE_TYPES, unparen } from '../../ast';
import { integerValue, isSmallCollection } from '../../semantics/collections';
import { looksLikeLoader, NETWORK_NAME, type Scope, type Semantics } from '../../semantics/semantics';

/** A network's step methods: `forward`, `decode`, and their variants (`decode_step`, `training_step`). */
const STEP_METHOD = /^(backward|step|(decode|generate|forward|encode|predict)(_\w+)?|\w+_step)$/;
/** A loop over this many literal items (batch sizes, opsets, configs) is a sweep, not a step loop. */
const SWEEP_ITEMS = 8;

/**
 * A loop that runs one training/inference step per iteration: it iterates over a loader, or its body
 * runs a backward pass, an optimizer step or a model call. A loop whose steps happen in a nested
 * loop (an epoch loop) is not one.
 */
export function isStepLoop(loop: AstNode, sem: Semantics): boolean {
  return sem.memo('step-loop', loop, () => {
    if (!runsSteps(loop, sem) || isSweep(loop, sem)) return false;
    // A nested loop of a few model calls (drafting `gamma` tokens) is part of this loop's step; an
    // epoch loop's nested loop runs over all the batches.
    return !descendantsInScope(child(loop, 'body') ?? loop).some((n) => LOOP_TYPES.has(n.type) && n !== loop && runsSteps(n, sem) && !isFewSteps(n, sem));
  });
}

/**
 * `for i in range(gamma)` where `gamma` is a literal, a constant or a parameter defaulting to at most
 * `FEW_STEPS`: a handful of calls inside one step.
 */
function isFewSteps(loop: AstNode, sem: Semantics): boolean {
  const right = loop.type === 'for_statement' ? unparen(child(loop, 'right') ?? loop) : undefined;
  if (right?.type !== 'call' || sem.bareCallee(right) !== 'range') return false;
  const args = child(right, 'arguments')?.children.filter((a) => a.type !== 'comment') ?? [];
  const bound = args.length === 1 && args[0].type !== 'keyword_argument' ? integerValue(args[0], sem, sem.enclosingScope(loop)) : undefined;
  return bound !== undefined && bound <= FEW_STEPS;
}

const FEW_STEPS = 8;

/**
 * The step loop a node runs in: its innermost loop, or an enclosing one when the node sits in a
 * loop nested in the step (over a step's candidates or outputs), which runs on every step too.
 */
export function enclosingStepLoop(node: AstNode, sem: Semantics): AstNode | undefined {
  for (let loop = sem.innermostLoop(node, false); loop; loop = sem.innermostLoop(loop, false)) {
    if (isStepLoop(loop, sem)) return loop;
  }
  return undefined;
}

/** `for bs in (1, 8, 32):` or over a module constant of a few literal items. */
function isSweep(loop: AstNode, sem: Semantics): boolean {
  const right = loop.type === 'for_statement' ? child(loop, 'right') : undefined;
  return !!right && isSmallCollection(right, sem, sem.enclosingScope(loop), SWEEP_ITEMS, true);
}

function runsSteps(loop: AstNode, sem: Semantics): boolean {
  return sem.memo('runs-steps', loop, () => loopRunsSteps(loop, sem));
}

function loopRunsSteps(loop: AstNode, sem: Semantics): boolean {
  if (loop.type === 'for_statement') {
    const right = child(loop, 'right');
    const scope = sem.enclosingScope(loop);
    if (right && (looksLikeLoader(right, sem) || sem.kindOf(right, scope) === 'loader')) return true;
  }
  const body = child(loop, 'body');
  if (!body) return false;
  const scope = sem.enclosingScope(loop);
  return descendantsInScope(body).some((n) => n.type === 'call' && isStepCall(n, scope, sem));
}

/**
 * A call that runs a network: a model's forward or step method, a backward pass, an optimizer step;
 * in a function that runs without gradients (`@torch.no_grad()`, `@torch.inference_mode()`), the call
 * of a function passed in (`target(ids, past=past)`): what such a function is given to call is a model.
 */
function isStepCall(n: AstNode, scope: Scope, sem: Semantics): boolean {
  const m = sem.methodCall(n);
  if (m) {
    const kind = sem.kindOf(m.receiver, scope);
    const recv = unparen(m.receiver);
    const onModel = kind === 'model' || MODEL_RECEIVER.test(sem.text(recv));
    if (m.method === 'backward') return true;
    if (m.method === 'step' && (kind === 'optimizer' || /opt/i.test(sem.text(recv)))) return true;
    if (onModel && STEP_METHOD.test(m.method)) return true;
    // A model's own method given data (`model.score_all_tails(heads, rels)`): it runs the network.
    if (onModel && !MODEL_HOUSEKEEPING.test(m.method) && child(n, 'arguments')?.children.some((a) => a.type !== 'keyword_argument')) return true;
    // A network's part called (`model.decoder(tokens, audio)`), or an agent's learning and acting
    // methods (`agent.update(batch)`, `agent.actor.sample(obs)`).
    if (NETWORK_NAME.test(m.method)) return true;
    const last = recv.type === 'attribute' ? child(recv, 'attribute') : recv.type === 'identifier' ? recv : undefined;
    if (last && NETWORK_NAME.test(sem.text(last)) && AGENT_METHOD.test(m.method)) return true;
  }
  const fn = child(n, 'function');
  if (fn && !m && sem.kindOf(fn, scope) === 'model') return true;
  if (fn && fn.type === 'identifier' && NETWORK_NAME.test(sem.text(fn))) return true;
  if (fn && fn.type === 'identifier' && scope.params.has(sem.text(fn)) && !scope.bound.has(sem.text(fn)) && runsWithoutGradients(scope, sem)) return true;
  return isCompiledCall(n, scope, sem);
}

const MODEL_RECEIVER = /^(self\.)?(model|net|encoder|decoder|policy)\w*$/i;
/** A model's methods that set it up or move it rather than run it. */
const MODEL_HOUSEKEEPING = /^(eval|train|to|cuda|cpu|half|float|double|bfloat16|requires_grad_|zero_grad|parameters|named_parameters|buffers|named_buffers|modules|named_modules|children|named_children|state_dict|load_state_dict|apply|register_\w+|add_module|get_submodule)$/;

const AGENT_METHOD = /^(update|learn|act|sample|rsample|select_action|get_action)$/;

const JIT = /^(jax\.(jit|pmap)|torch\.compile|equinox\.filter_jit)$/;

/**
 * A call of the module's own function compiled for the device: decorated with `@jax.jit` (also
 * through `functools.partial`) or `@torch.compile`. Its results are device arrays and each call is
 * one compiled step.
 */
export function isCompiledCall(call: AstNode, scope: Scope, sem: Semantics): boolean {
  const name = sem.bareCallee(call);
  if (!name || (!scope.isModule && (scope.bound.has(name) || scope.params.has(name)))) return false;
  const defs = sem.functionDefinitions(name);
  return defs.some((fn) => sem.decoratorNames(fn).some((d) => JIT.test(d)) || jitPartial(fn, sem));
}

/** `@partial(jax.jit, static_argnums=...)`. */
function jitPartial(fn: AstNode, sem: Semantics): boolean {
  const decorated = fn.parent?.type === 'decorated_definition' ? fn.parent : undefined;
  for (const d of decorated?.children ?? []) {
    const call = d.type === 'decorator' ? d.children[0] : undefined;
    if (call?.type !== 'call' || !/^(functools\.)?partial$/.test(sem.qualifiedName(child(call, 'function') ?? call) ?? sem.text(child(call, 'function') ?? call))) continue;
    const first = child(call, 'arguments')?.children.find((a) => a.type !== 'comment');
    if (first && JIT.test(sem.qualifiedName(first) ?? '')) return true;
  }
  return false;
}

/** A function decorated with `@torch.no_grad()` or `@torch.inference_mode()`. */
function runsWithoutGradients(scope: Scope, sem: Semantics): boolean {
  if (scope.isModule) return false;
  return sem.decoratorNames(scope.node).some((d) => d === 'torch.no_grad' || d === 'torch.inference_mode');
}

/** Inside `if step % N == 0:` (or `not step % N`): an occasional read, not one per step. */
export function isGuardedRead(node: AstNode, loop: AstNode, sem: Semantics): boolean {
  for (let n = node.parent, prev: AstNode = node; n && n !== loop; prev = n, n = n.parent) {
    if ((n.type === 'if_statement' || n.type === 'elif_clause') && prev.field !== 'condition') {
      const cond = child(n, 'condition');
      if (cond && /%/.test(sem.text(cond))) return true;
    }
    if (n.type === 'else_clause' && n.parent?.type === 'if_statement') {
      const cond = child(n.parent, 'condition');
      if (cond && /%/.test(sem.text(cond))) return true;
    }
    if (SCOPE_TYPES.has(n.type)) return true;
  }
  return false;
}
