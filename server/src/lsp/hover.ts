// Hover on a finding: its message and its rule's documentation.
import { type Hover, MarkupKind, type Position, type Range } from 'vscode-languageserver';
import { ruleById } from '../analyzer/registry';
import type { DocumentState } from './document';

export function hover(state: DocumentState, position: Position): Hover | null {
  if (state.published.version !== state.version) return null;
  const hits = state.published.findings.filter((p) => contains(p.diagnostic.range, position));
  if (!hits.length) return null;
  const sections = hits.map(({ finding }) => {
    const rule = ruleById(finding.rule);
    const title = `**${finding.rule}** \`${rule?.name ?? finding.category}\` (${finding.category})`;
    return [title, finding.message, rule ? rule.docs.body : ''].filter(Boolean).join('\n\n');
  });
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: hits[0].diagnostic.range,
  };
}

function contains(range: Range, p: Position): boolean {
  const after = p.line > range.start.line || (p.line === range.start.line && p.character >= range.start.character);
  const before = p.line < range.end.line || (p.line === range.end.line && p.character <= range.end.character);
  return after && before;
}
