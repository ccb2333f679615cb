// Findings to LSP diagnostics: the only place the server turns offsets into positions.
import { type Diagnostic, DiagnosticSeverity, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, Severity } from '../analyzer/finding';
import type { RankedFinding } from '../cost/ranking';
import type { DiagnosticData, PublishedFinding } from './document';

export const DIAGNOSTIC_SOURCE = 'hotpath';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * Converts (ranked) findings of `document`'s current text (offsets) into diagnostics that point
 * back at them, with the lines of the code they are about and its measured cost.
 */
export function toDiagnostics(document: TextDocument, findings: readonly RankedFinding[]): PublishedFinding[] {
  const range = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });
  return findings.map(({ finding, cost }, index) => {
    const region = range(finding.region.start, finding.region.end);
    const data: DiagnosticData = {
      version: document.version,
      index,
      // A region ending just after a newline does not cover the next line.
      region: { startLine: region.start.line, endLine: Math.max(region.start.line, region.end.character === 0 ? region.end.line - 1 : region.end.line) },
      ...(cost ? { cost } : {}),
      fixes: finding.fixes.map((fix) => ({ title: fix.title })),
    };
    const diagnostic: Diagnostic = {
      range: range(finding.start, finding.end),
      severity: SEVERITIES[finding.severity],
      code: finding.rule,
      source: DIAGNOSTIC_SOURCE,
      message: finding.message,
      data,
    };
    return { finding, diagnostic };
  });
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return typeof data?.version === 'number' && typeof data.index === 'number';
}

/** A finding's fixes as LSP edits of `document` (the text the finding was computed on). */
export function toTextEdits(document: TextDocument, fix: Fix): TextEdit[] {
  return fix.edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.newText }));
}
