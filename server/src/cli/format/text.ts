// `--format text`: one line per finding, `path:line:col: HP201 [array-growth] message`, and a summary.
import type { CheckReport } from './report';

export function formatText(report: CheckReport): string {
  const lines = report.findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.rule} [${f.category}] ${f.message}`);
  const files = new Set(report.findings.map((f) => f.path)).size;
  const fixable = report.findings.filter((f) => f.fixes.length > 0).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (report.findings.length === 0) {
    lines.push(`No findings in ${plural(report.filesChecked, 'file')}.`);
  } else {
    lines.push(
      `Found ${plural(report.findings.length, 'finding')} in ${plural(files, 'file')} ` +
        `(${fixable} with a fix; ${plural(report.filesChecked, 'file')} checked).`,
    );
  }
  return `${lines.join('\n')}\n`;
}
