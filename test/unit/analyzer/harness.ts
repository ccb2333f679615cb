// Shared helpers for analyzer tests: analyze a text, apply a fix, check that a text parses.
import { analyzeText, type AnalyzeOptions } from '../../../server/src/analyzer/analyze';
import { applyEdits } from '../../../server/src/analyzer/edits';
import { type Finding, type Fix, LineIndex } from '../../../server/src/analyzer/finding';
import { createParser, parseSource } from '../../../server/src/analyzer/parse';

export async function findings(source: string, options: AnalyzeOptions = {}): Promise<Finding[]> {
  return analyzeText(source, options);
}

export function lineOf(source: string, offset: number): number {
  return new LineIndex(source).position1(offset).line;
}

export function applyFix(source: string, fix: Fix): string {
  return applyEdits(source, fix.edits);
}

/** True when tree-sitter parses the text without an error or a missing node. */
export async function parses(source: string): Promise<boolean> {
  const parser = await createParser();
  const tree = parseSource(parser, source);
  try {
    return !tree.rootNode.hasError;
  } finally {
    tree.delete();
    parser.delete();
  }
}

/** Lines marked `# HP101` (the rule's id) in a fixture. */
export function markedLines(source: string, id: string): number[] {
  const marker = new RegExp(`#\\s*${id}\\b`);
  return source.split(/\r?\n/).flatMap((line, i) => (marker.test(line) ? [i + 1] : []));
}

/** A readable rendering of findings and of each fix's effect, for snapshots. */
export function render(source: string, found: Finding[]): string {
  const index = new LineIndex(source);
  const out: string[] = [];
  for (const f of found) {
    const p = index.position1(f.start);
    out.push(`${p.line}:${p.column} ${f.rule} [${f.category}] ${f.severity}: ${f.message}`);
    for (const fix of f.fixes) {
      out.push(`  fix: ${fix.title}`);
      out.push(...diff(source, applyFix(source, fix)).map((l) => `    ${l}`));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The changed region of two texts as `-`/`+` lines. */
function diff(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  return [...a.slice(start, endA + 1).map((l) => `-${l}`), ...b.slice(start, endB + 1).map((l) => `+${l}`)];
}
