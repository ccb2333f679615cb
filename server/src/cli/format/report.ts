// Findings as the command line reports them: spec positions (1-based lines, columns in code points,
// end column exclusive) instead of offsets. Every format starts from these records.
import type { Category, Finding, Severity } from '../../analyzer/finding';
import { LineIndex } from '../../analyzer/finding';

export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportedEdit extends Span {
  newText: string;
}

export interface ReportedFix {
  title: string;
  edits: ReportedEdit[];
}

/** One finding of `--format json`, field for field as in the findings spec. */
export interface ReportedFinding extends Span {
  path: string;
  rule: string;
  category: Category;
  severity: Severity;
  message: string;
  fixes: ReportedFix[];
}

/** A file that was not analyzed, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface CheckReport {
  findings: ReportedFinding[];
  skipped: SkippedFile[];
  filesChecked: number;
}

/** Converts one file's findings; the only place offsets become lines and columns here. */
export function locateFindings(path: string, source: string, findings: readonly Finding[]): ReportedFinding[] {
  if (!findings.length) return [];
  const lines = new LineIndex(source);
  const span = (start: number, end: number): Span => {
    const from = lines.position1(start);
    const to = lines.position1(end);
    return { line: from.line, column: from.column, endLine: to.line, endColumn: to.column };
  };
  return findings.map((f) => ({
    path,
    ...span(f.start, f.end),
    rule: f.rule,
    category: f.category,
    severity: f.severity,
    message: f.message,
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({ ...span(e.start, e.end), newText: e.newText })),
    })),
  }));
}
