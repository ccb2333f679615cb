// Which rules run and how severe they are: the shape shared by pyproject.toml, the command line and
// editor settings, and how the layers combine into the analyzer's options.
import { type AnalyzeOptions, isCategory } from '../analyzer/analyze';
import { SEVERITIES, type Severity } from '../analyzer/finding';

export interface RuleOptions {
  select?: string[];
  ignore?: string[];
  severity?: Record<string, Severity>;
}

/** A rule id (`HP201`) or a category name (`array-growth`). */
export function isRuleKey(key: string): boolean {
  return /^HP\d{3}$/i.test(key) || isCategory(key);
}

/** Severity names, with the short forms people type. */
export function parseSeverity(value: unknown): Severity | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.toLowerCase();
  if (v === 'info') return 'information';
  if (v === 'warn') return 'warning';
  return (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : undefined;
}

/**
 * Layers `override` (command-line flags, editor settings) over `base` (`[tool.hotpath]`):
 * a non-empty `select` replaces the base one, `ignore` lists add up, and `severity` entries
 * override the base entry for the same key.
 */
export function mergeRuleOptions(base: RuleOptions | undefined, override: RuleOptions): RuleOptions {
  const select = override.select?.length ? override.select : base?.select;
  const ignore = [...(base?.ignore ?? []), ...(override.ignore ?? [])];
  const severity = { ...base?.severity, ...override.severity };
  return {
    ...(select?.length ? { select } : {}),
    ...(ignore.length ? { ignore } : {}),
    ...(Object.keys(severity).length ? { severity } : {}),
  };
}

export function toAnalyzeOptions(options: RuleOptions, path: string | undefined): AnalyzeOptions {
  return { ...options, ...(path !== undefined ? { path } : {}) };
}

/**
 * Reads `select`/`ignore`/`severity` from an untrusted object (a TOML table, a settings object),
 * keeping what is valid and describing what is not.
 */
export function readRuleOptions(raw: Record<string, unknown>, where: string): { options: RuleOptions; problems: string[] } {
  const problems: string[] = [];
  const options: RuleOptions = {};
  for (const key of ['select', 'ignore'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      problems.push(`${where}: \`${key}\` must be a list of rule ids or categories; ignored`);
      continue;
    }
    const unknown = value.filter((v) => !isRuleKey(v));
    if (unknown.length) problems.push(`${where}: unknown rule id or category in \`${key}\`: ${unknown.join(', ')}`);
    options[key] = value.filter(isRuleKey);
  }
  const severity = raw.severity;
  if (severity !== undefined) {
    if (typeof severity !== 'object' || severity === null || Array.isArray(severity)) {
      problems.push(`${where}: \`severity\` must be a table of rule id or category = "error" | "warning" | "information" | "hint"; ignored`);
    } else {
      const table: Record<string, Severity> = {};
      for (const [key, value] of Object.entries(severity)) {
        const level = parseSeverity(value);
        if (!isRuleKey(key)) problems.push(`${where}: unknown rule id or category in \`severity\`: ${key}`);
        else if (!level) problems.push(`${where}: \`severity.${key}\` must be "error", "warning", "information" or "hint"`);
        else table[/^HP\d{3}$/i.test(key) ? key.toUpperCase() : key] = level;
      }
      options.severity = table;
    }
  }
  return { options, problems };
}
