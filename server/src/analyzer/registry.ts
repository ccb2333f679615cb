// Every rule, by id. Adding a rule: write rules/<category>/<id>-<name>.ts and list it here.
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id.toUpperCase());
}
