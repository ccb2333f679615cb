// `--format json`: the machine-readable format of the findings spec.
import type { CheckReport } from './report';

export function formatJson(report: CheckReport): string {
  return `${JSON.stringify({ version: 1, findings: report.findings }, null, 2)}\n`;
}
