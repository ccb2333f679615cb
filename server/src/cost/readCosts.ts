// Reading profile costs that come from outside the program.
import type { ProfileCosts } from '../protocol';
import type { FunctionCost, LineCost } from '../profile/summary';

/**
 * Profile costs from outside (a `hotpath/didChangeProfile` notification, a summary file given to
 * `hotpath check --profile`), read defensively: entries that are not costs are dropped.
 */
export function readProfileCosts(raw: unknown): ProfileCosts | null {
  if (!isRecord(raw) || !isNumber(raw.durationSeconds)) return null;
  const lines = Array.isArray(raw.lines) ? raw.lines.filter(isLineCost) : [];
  const functions = Array.isArray(raw.functions) ? raw.functions.filter(isFunctionCost) : [];
  return { durationSeconds: raw.durationSeconds, lines, functions };
}

function isLineCost(value: unknown): value is LineCost {
  return (
    isRecord(value) &&
    typeof value.path === 'string' &&
    typeof value.function === 'string' &&
    Number.isInteger(value.line) &&
    isNumber(value.totalSeconds) &&
    isNumber(value.selfSeconds)
  );
}

function isFunctionCost(value: unknown): value is FunctionCost {
  return isRecord(value) && typeof value.path === 'string' && typeof value.name === 'string' && Number.isInteger(value.line) && isNumber(value.totalSeconds);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
