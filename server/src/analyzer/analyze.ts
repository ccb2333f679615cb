// The one entry point: analyze(source) -> findings. Knows nothing of LSP, the console or VS Code.
import type { Parser, Tree } from 'web-tree-sitter';
import { type AstNode, buildAst } from './ast';
import { eol } from './edits';
import { type Category, CATEGORIES, type Edit, type Finding, LineIndex, type Severity } from './finding';
import { AnalysisCache, type TreeUpdate } from './incremental';
import { createParser, parseSource } from './parse';
import { RULES } from './registry';
import type { Report, Rule, RuleContext } from './rule';
import { type ModuleFacts, Semantics } from './semantics/semantics';

export { AnalysisCache };

export interface AnalyzeOptions {
  /** Rule ids (`HP101`) or categories to run; every rule when absent or empty. */
  select?: readonly string[];
  /** Rule ids or categories not to run. */
  ignore?: readonly string[];
  /** Severity by rule id or category (a rule id wins over its category). */
  severity?: Readonly<Record<string, Severity>>;
  /** The file's path, when known: test files (`test_*.py`, `*_test.py`) are not hot paths. */
  path?: string;
  /**
   * What the module already holds before this text runs: a notebook cell sees the imports and
   * globals of the cells above it (their analysis's `AnalysisCache.module`).
   */
  inherited?: ModuleFacts;
}

const IGNORE_COMMENT = /#\s*hotpath:\s*ignore(?:\[([^\]]*)\])?/i;
const ANY_IGNORE_COMMENT = /hotpath:\s*ignore/i;

export function isTestFile(path: string | undefined): boolean {
  if (!path) return false;
  const base = path.replace(/\\/g, '/').split('/').pop() ?? '';
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

/** Analyzes a parsed document. Pass the same cache on every call for incremental analysis. */
export function analyze(tree: Tree, source: string, options: AnalyzeOptions = {}, cache?: AnalysisCache): Finding[] {
  if (isTestFile(options.path)) return [];
  if (!cache) return analyzeAst(buildAst(tree), source, options);
  return analyzeUpdate(cache.buildTree(tree, source), source, options, cache);
}

/**
 * Analyzes an open document after edits (the language server's way): the cache parses only the
 * text the edits touched when it can, and asks for the document's whole tree (`tree()`, an
 * incremental reparse) only when it cannot.
 */
export function analyzeEdited(parser: Parser, tree: () => Tree, source: string, options: AnalyzeOptions, cache: AnalysisCache): Finding[] {
  if (isTestFile(options.path)) return [];
  const update = cache.buildTreeAlone((text) => parseSource(parser, text), source) ?? cache.buildTree(tree(), source);
  return analyzeUpdate(update, source, options, cache);
}

function analyzeUpdate({ root, moduleUnchanged }: TreeUpdate, source: string, options: AnalyzeOptions, cache: AnalysisCache): Finding[] {
  const reuse = moduleUnchanged && cache.inherited === options.inherited;
  cache.inherited = options.inherited;
  const findings = analyzeAst(root, source, options, cache, reuse ? cache.module : undefined);
  cache.sweep();
  return findings;
}

/** Parses and analyzes one source text (for one-shot use: the command line, tests). */
export async function analyzeText(source: string, options: AnalyzeOptions = {}): Promise<Finding[]> {
  const parser = await createParser();
  const tree = parseSource(parser, source);
  try {
    return analyze(tree, source, options);
  } finally {
    tree.delete();
    parser.delete();
  }
}

function activeRules(options: AnalyzeOptions): Rule[] {
  const matches = (rule: Rule, keys: readonly string[]) =>
    keys.some((k) => k.toUpperCase() === rule.id || k === rule.category);
  return RULES.filter(
    (r) => (!options.select?.length || matches(r, options.select)) && !(options.ignore && matches(r, options.ignore)),
  );
}

function analyzeAst(root: AstNode, source: string, options: AnalyzeOptions, cache?: AnalysisCache, module?: ModuleFacts): Finding[] {
  const rules = activeRules(options);
  const byType = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const t of rule.nodeTypes) {
      const list = byType.get(t) ?? [];
      list.push(rule);
      byType.set(t, list);
    }
  }
  // Working the module's names out again reads every top-level statement: move them all into place first.
  if (!module) cache?.settleAll();
  const sem = new Semantics(root, source, module ?? options.inherited, !!module, cache && ((s, bodies) => cache.settle(s, bodies)));
  // Reused facts are the ones fingerprinted when they were worked out.
  const fingerprint = module && cache?.moduleFingerprint !== undefined ? cache.moduleFingerprint : sem.moduleFingerprint();
  // The same facts keep the same object: a notebook's later cells see that nothing changed for them.
  if (cache && cache.moduleFingerprint !== fingerprint) {
    cache.module = sem.moduleFacts;
    cache.moduleFingerprint = fingerprint;
  }
  // Fixes may add an import where the module's opening imports end: kept findings move that edit
  // along with that point. What the fix writes there depends on the imports (in the fingerprint).
  const header = sem.importInsertionPoint;
  cache?.begin(`${fingerprint}|${rules.map((r) => r.id).join(',')}|${JSON.stringify(eol(source))}`);
  const out: Finding[] = [];
  let present: Set<AstNode> | undefined;
  for (const statement of root.children) {
    // Fixes insert lines at a statement's indentation: one that starts mid-line (after an error or
    // a `;`) gets other fixes than the same text on a line of its own, so only those are kept.
    const ownLine = statement.start === 0 || source[statement.start - 1] === '\n' || source[statement.start - 1] === '\r';
    let cached = ownLine ? cache?.findingsOf(statement) : undefined;
    // Findings that looked into other statements (a method's body) hold while those are unchanged.
    if (cached?.dependsOn.length) {
      present ??= new Set(root.children);
      if (!cached.dependsOn.every((d) => present!.has(d))) cached = undefined;
    }
    if (cached) {
      // Statements before the edit have not moved: their placed findings from last time still hold.
      if (cached.placed?.at !== statement.start || cached.placed.header !== header) {
        cached.placed = { at: statement.start, header, findings: place(cached.findings, statement.start, cached.base + header - cached.header) };
      }
      out.push(...cached.placed.findings);
      continue;
    }
    cache?.settle(statement);
    sem.takeConsulted();
    const found = checkStatement(statement, source, sem, byType);
    const dependsOn = sem.takeConsulted().filter((s) => s !== statement);
    out.push(...found);
    // A fix that edits elsewhere than its statement or the module's imports depends on more than they do.
    const inHeader = (e: Edit) => e.start === header && e.end === header;
    const keepable = (e: Edit) => (e.start >= statement.start && e.end <= statement.end) || inHeader(e);
    if (ownLine && found.every((f) => f.fixes.every((x) => x.edits.every(keepable)))) {
      cache?.setFindings(statement, { findings: place(found, -statement.start, 0), base: statement.start, header, dependsOn });
    }
  }
  return finalize(out, source, options);
}

function checkStatement(statement: AstNode, source: string, sem: Semantics, byType: Map<string, Rule[]>): Finding[] {
  const found: Finding[] = [];
  const ctx: RuleContext = {
    source,
    sem,
    text: (n) => source.slice(n.start, n.end),
    report(rule: Rule, r: Report) {
      found.push({
        rule: rule.id,
        category: rule.category,
        severity: rule.defaultSeverity,
        message: r.message,
        start: r.node.start,
        end: r.end ?? r.node.end,
        region: { start: r.node.start, end: r.node.end },
        fixes: r.fixes ?? [],
      });
    },
  };
  const stack: AstNode[] = [statement];
  while (stack.length) {
    const node = stack.pop()!;
    const interested = byType.get(node.type);
    if (interested && !node.error) {
      for (const rule of interested) {
        try {
          rule.check(node, ctx);
        } catch (err) {
          // A rule bug must not take the other rules (or the server) down with it.
          if (process.env.HOTPATH_DEBUG) throw err;
        }
      }
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]);
  }
  return found;
}

/**
 * Moves findings by `delta`. Kept findings are stored relative to their statement's start; an edit
 * they make before it (an import where the module's opening imports end) is then negative, and
 * moves by `base`, the statement's start when stored plus how far that import point has moved since.
 */
function place(findings: Finding[], delta: number, base: number): Finding[] {
  if (delta === 0) return findings;
  const move = (e: Edit) => {
    const by = e.start < 0 ? base : delta;
    return { ...e, start: e.start + by, end: e.end + by };
  };
  return findings.map((f) => ({
    ...f,
    start: f.start + delta,
    end: f.end + delta,
    region: { start: f.region.start + delta, end: f.region.end + delta },
    fixes: f.fixes.map((fix) => ({ ...fix, edits: fix.edits.map(move) })),
  }));
}

/** Applies suppression comments and severities; keeps one finding per category and anchor line. */
function finalize(findings: Finding[], source: string, options: AnalyzeOptions): Finding[] {
  const seen = new Set<string>();
  const anySuppression = ANY_IGNORE_COMMENT.test(source);
  // Where a finding's line starts tells the lines apart. Searched back from the finding: indexing
  // every line of a large file would cost more than an edit's whole analysis. A lone \r also ends
  // a line, in the rare file that has one.
  const lines = source.includes('\r') ? new LineIndex(source) : undefined;
  const lineStart = (offset: number) => (lines ? lines.lineStart(lines.lineOf(offset)) : source.lastIndexOf('\n', offset - 1) + 1);
  const out: Finding[] = [];
  findings.sort((a, b) => a.start - b.start || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  for (const f of findings) {
    const start = lineStart(f.start);
    const key = `${start}:${f.category}`;
    if (seen.has(key) || (anySuppression && isSuppressed(f, source, start))) continue;
    seen.add(key);
    const severity = options.severity?.[f.rule] ?? options.severity?.[f.category];
    out.push(severity ? { ...f, severity } : f);
  }
  return out;
}

/** Whether the line that starts at `start` has a suppression comment for `f`. */
function isSuppressed(f: Finding, source: string, start: number): boolean {
  LINE_END.lastIndex = start;
  const end = LINE_END.exec(source)?.index ?? source.length;
  const match = IGNORE_COMMENT.exec(source.slice(start, end));
  if (!match) return false;
  if (match[1] === undefined) return true;
  const keys = match[1].split(',').map((k) => k.trim()).filter(Boolean);
  return keys.some((k) => k.toUpperCase() === f.rule || k === f.category);
}

const LINE_END = /[\r\n]/g;

export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}
