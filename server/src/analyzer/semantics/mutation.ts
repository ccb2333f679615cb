// Whether a function of the module changes an argument in place: what a caller needs to know to
// treat a value as unchanged across the call.
import { type AstNode, child, descendants, descendantsInScope, SCOPE_TYPES, unparen } from '../ast';
import { classifyCall } from './calls';
import { baseName, isMutatingMethod } from './loops';
import type { Semantics } from './semantics';

const MAX_DEPTH = 2;

/**
 * `f(x)` where `f` is one top-level function of the module whose body leaves the parameter that
 * receives `x` alone (no item or attribute stores, no in-place methods or operators, and passed on
 * only to pure calls or to functions that leave it alone themselves). `positions`: the positional
 * arguments asked about.
 */
export function leavesArgumentsAlone(call: AstNode, positions: readonly number[], sem: Semantics, depth = 0): boolean {
  const bare = sem.bareCallee(call);
  if (!bare || depth > MAX_DEPTH) return false;
  const scope = sem.enclosingScope(call);
  if (!scope.isModule && (scope.bound.has(bare) || scope.params.has(bare))) return false;
  const defs = sem.functionDefinitions(bare);
  if (defs.length !== 1) return false;
  const params = parameterNames(defs[0], sem);
  return positions.every((i) => {
    const name = params?.[i];
    return !!name && !mutatesParameter(defs[0], name, sem, depth);
  });
}

/** Plain positional parameters in order; undefined when a `*args` or `self`-style binding makes positions unclear. */
function parameterNames(fn: AstNode, sem: Semantics): string[] | undefined {
  const names: string[] = [];
  for (const p of child(fn, 'parameters')?.children ?? []) {
    if (p.type === 'identifier') names.push(sem.text(p));
    else if (p.type === 'typed_parameter') {
      const id = p.children.find((c) => c.type === 'identifier');
      if (!id) return undefined;
      names.push(sem.text(id));
    } else if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') {
      const id = child(p, 'name');
      if (!id) return undefined;
      names.push(sem.text(id));
    } else if (p.type === 'list_splat_pattern' || p.type === 'keyword_separator' || p.type === 'positional_separator' || p.type === 'dictionary_splat_pattern') {
      break;
    } else if (p.type !== 'comment') return undefined;
  }
  return names;
}

function mutatesParameter(fn: AstNode, name: string, sem: Semantics, depth: number): boolean {
  const body = child(fn, 'body');
  if (!body) return true;
  const scope = sem.scopeOf(fn);
  for (const n of descendantsInScope(body)) {
    // A closure or lambda that reads the parameter may change it later.
    if (n !== body && SCOPE_TYPES.has(n.type)) {
      if (descendants(n).some((id) => id.type === 'identifier' && sem.text(id) === name)) return true;
      continue;
    }
    if (n.type === 'assignment' || n.type === 'augmented_assignment') {
      const target = child(n, 'left');
      if (!target) continue;
      // `x += 1` on an array changes it in place.
      if (n.type === 'augmented_assignment' && unparen(target).type === 'identifier' && sem.text(unparen(target)) === name) return true;
      for (const t of descendants(target)) {
        if ((t.type === 'subscript' || t.type === 'attribute') && baseName(t, sem) === name) return true;
      }
      continue;
    }
    if (n.type === 'delete_statement' && descendants(n).some((id) => id.type === 'identifier' && sem.text(id) === name)) return true;
    if (n.type !== 'call') continue;
    const m = sem.methodCall(n);
    const args = child(n, 'arguments')?.children ?? [];
    if (m && baseName(m.receiver, sem) === name) {
      if (isMutatingMethod(m.method)) return true;
      if (args.some((a) => a.type === 'keyword_argument' && /^(inplace|out)$/.test(sem.text(child(a, 'name') ?? a)))) return true;
    }
    const passed: number[] = [];
    let elsewhere = false;
    args.forEach((a, i) => {
      const value = a.type === 'keyword_argument' ? child(a, 'value') : a;
      if (!value || unparen(value).type !== 'identifier' || sem.text(unparen(value)) !== name) return;
      if (a.type === 'keyword_argument' || args.slice(0, i).some((b) => b.type === 'keyword_argument' || b.type === 'list_splat' || b.type === 'dictionary_splat')) elsewhere = true;
      else passed.push(i);
    });
    if (!passed.length && !elsewhere) continue;
    const cls = classifyCall(n, scope, sem);
    if (cls === 'cheap' || cls === 'costly' || cls === 'allocation') continue;
    if (elsewhere || !leavesArgumentsAlone(n, passed, sem, depth + 1)) return true;
  }
  return false;
}
