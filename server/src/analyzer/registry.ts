// Every rule, by id. Adding a rule: write rules/<category>/<id>-<name>.ts and list it here.
import type { Rule } from './rule';
import { hp101 } from './rules/unvectorized-loop/hp101-elementwise-loop';
import { hp102 } from './rules/numba-candidate/hp102-stateful-numeric-loop';
import { hp201 } from './rules/array-growth/hp201-grow-array-in-loop';
import { hp301 } from './rules/row-iteration/hp301-iterrows-loop';
import { hp302 } from './rules/row-iteration/hp302-apply-axis-rows';
import { hp303 } from './rules/row-iteration/hp303-index-loop-over-rows';
import { hp401 } from './rules/gpu-sync/hp401-sync-in-step-loop';
import { hp701 } from './rules/global-in-loop/hp701-global-in-loop';
import { hp601 } from './rules/repeated-call/hp601-repeated-call';
import { hp501 } from './rules/loop-invariant-call/hp501-loop-invariant-call';

export const RULES: readonly Rule[] = [hp101, hp102, hp201, hp301, hp302, hp303, hp401, hp501, hp601, hp701];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id.toUpperCase());
}
