// `--format sarif`: SARIF 2.1.0 for code-review tools, with rule help and fixes.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../analyzer/finding';
import type { Rule } from '../../analyzer/rule';
import type { CheckReport, Span } from './report';

type Level = 'error' | 'warning' | 'note';

const LEVELS: Record<Severity, Level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
const SRCROOT = '%SRCROOT%';

export function formatSarif(report: CheckReport, rules: readonly Rule[], version: string, cwd: string): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const location = (file: string) =>
    path.isAbsolute(file) ? { uri: pathToFileURL(file).href } : { uri: relativeUri(file), uriBaseId: SRCROOT };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'hotpath',
            semanticVersion: version,
            version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.docs.summary },
              fullDescription: { text: r.docs.summary },
              help: { text: r.docs.body, markdown: r.docs.body },
              defaultConfiguration: { level: LEVELS[r.defaultSeverity] },
              properties: { category: r.category, fixAvailability: r.fixAvailability, tags: [r.category] },
            })),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(path.sep) ? cwd : cwd + path.sep).href } },
        columnKind: 'unicodeCodePoints',
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: report.skipped.map((s) => ({
              level: 'warning',
              message: { text: `${s.path}: skipped: ${s.reason}` },
              locations: [{ physicalLocation: { artifactLocation: location(s.path) } }],
            })),
          },
        ],
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: LEVELS[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: location(f.path), region: region(f) } }],
          properties: { category: f.category },
          ...(f.fixes.length
            ? {
                fixes: f.fixes.map((fix) => ({
                  description: { text: fix.title },
                  artifactChanges: [
                    {
                      artifactLocation: location(f.path),
                      replacements: fix.edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
                    },
                  ],
                })),
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

function region(s: Span) {
  return { startLine: s.line, startColumn: s.column, endLine: s.endLine, endColumn: s.endColumn };
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
function relativeUri(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
