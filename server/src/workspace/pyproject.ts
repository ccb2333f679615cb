// `[tool.hotpath]` from the nearest pyproject.toml above a file that has such a table.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readRuleOptions, type RuleOptions } from './options';

export interface ProjectConfig {
  /** The pyproject.toml this came from. */
  file: string;
  options: RuleOptions;
  /** What in the file was unreadable or invalid (already described for a person). */
  problems: string[];
}

/**
 * Finds and parses project configuration, remembering every directory it looked at; make one per
 * command-line run, or per server and `clear()` it when a pyproject.toml changes.
 */
export class ProjectConfigLoader {
  private readonly byDir = new Map<string, ProjectConfig | null>();

  /** The configuration that applies to `filePath` (absolute or relative to the working directory). */
  forFile(filePath: string): ProjectConfig | undefined {
    return this.forDir(path.dirname(path.resolve(filePath))) ?? undefined;
  }

  clear(): void {
    this.byDir.clear();
  }

  private forDir(dir: string): ProjectConfig | null {
    const known = this.byDir.get(dir);
    if (known !== undefined) return known;
    const here = readProjectConfig(path.join(dir, 'pyproject.toml'));
    const parent = path.dirname(dir);
    const result = here ?? (parent === dir ? null : this.forDir(parent));
    this.byDir.set(dir, result);
    return result;
  }
}

/** The `[tool.hotpath]` table of one pyproject.toml; null when the file or the table is absent. */
export function readProjectConfig(file: string): ProjectConfig | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // Most pyproject.toml files have no [tool.hotpath]: skip parsing those.
  if (!text.includes('hotpath')) return null;
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { file, options: {}, problems: [`${file}: invalid TOML (${message}); [tool.hotpath] ignored`] };
  }
  const tool = doc.tool as Record<string, unknown> | undefined;
  const table = tool?.hotpath;
  if (table === undefined) return null;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    return { file, options: {}, problems: [`${file}: [tool.hotpath] must be a table; ignored`] };
  }
  const { options, problems } = readRuleOptions(table as Record<string, unknown>, `${file} [tool.hotpath]`);
  return { file, options, problems };
}
