// What a rule is: its identity, its documentation and its check, in one object (see style.md).
import type { AstNode } from './ast';
import type { Category, Fix, Severity } from './finding';
import type { Semantics } from './semantics/semantics';

export interface RuleDocs {
  /** One line: what the rule flags. */
  summary: string;
  /** Markdown with the headings: What it flags, Why it is slow, Example, Use instead, When no fix is offered. */
  body: string;
}

export interface Rule {
  /** `HP101` */
  id: string;
  /** Kebab-case name of the pattern flagged (not of the fix). */
  name: string;
  category: Category;
  defaultSeverity: Severity;
  fixAvailability: 'always' | 'sometimes' | 'never';
  docs: RuleDocs;
  /** The node types `check` is called for. */
  nodeTypes: readonly string[];
  check(node: AstNode, ctx: RuleContext): void;
}

export interface Report {
  /** The anchor: a loop header (`for`...`:`) or the offending call. */
  node: AstNode;
  /** End of the anchor range when it is not `node.end` (a loop's header ends at its colon). */
  end?: number;
  message: string;
  fixes?: Fix[];
}

export interface RuleContext {
  readonly source: string;
  readonly sem: Semantics;
  text(node: AstNode): string;
  report(rule: Rule, report: Report): void;
}
