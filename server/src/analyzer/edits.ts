// Building fixes: statements inserted above or below others, nodes replaced, lines removed,
// fresh local names. Every helper works on offsets into the original source.
import { type AstNode, descendants } from './ast';
import type { Edit } from './finding';

export function lineStart(source: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0) {
    const ch = source.charCodeAt(i);
    if (ch === 10 || ch === 13) break;
    i--;
  }
  return i + 1;
}

/** Offset of the line break ending the line that holds `offset` (or the end of the text). */
export function lineEnd(source: string, offset: number): number {
  for (let i = offset; i < source.length; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 10 || ch === 13) return i;
  }
  return source.length;
}

/** The file's line ending, as its first line ends. */
export function eol(source: string): string {
  const nl = source.indexOf('\n');
  return nl > 0 && source.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}

/** The indentation of a statement that starts its own line; undefined when something precedes it. */
export function indentOf(source: string, node: AstNode): string | undefined {
  const start = lineStart(source, node.start);
  const prefix = source.slice(start, node.start);
  return /^[ \t]*$/.test(prefix) ? prefix : undefined;
}

/** One indentation step as the file writes it (the body of `block` under `header`). */
export function indentUnit(source: string, header: AstNode, body: AstNode): string {
  const outer = indentOf(source, header) ?? '';
  const inner = indentOf(source, body.children[0] ?? body) ?? `${outer}    `;
  return inner.startsWith(outer) && inner.length > outer.length ? inner.slice(outer.length) : '    ';
}

/** Inserts `lines` (each without indentation) on new lines just above `statement`, at its indentation. */
export function insertAbove(source: string, statement: AstNode, lines: string[]): Edit | undefined {
  const indent = indentOf(source, statement);
  if (indent === undefined) return undefined;
  const nl = eol(source);
  const at = lineStart(source, statement.start);
  return { start: at, end: at, newText: lines.map((l) => `${indent}${l}${nl}`).join('') };
}

/** Inserts `lines` on new lines just below `statement` (after its last line), at its indentation. */
export function insertBelow(source: string, statement: AstNode, lines: string[]): Edit | undefined {
  const indent = indentOf(source, statement);
  if (indent === undefined) return undefined;
  const nl = eol(source);
  const at = lineEnd(source, statement.end);
  return { start: at, end: at, newText: lines.map((l) => `${nl}${indent}${l}`).join('') };
}

/** Removes the whole lines of a statement that is alone on them. */
export function removeLines(source: string, statement: AstNode): Edit | undefined {
  if (indentOf(source, statement) === undefined) return undefined;
  const start = lineStart(source, statement.start);
  let end = lineEnd(source, statement.end);
  const rest = source.slice(statement.end, end);
  if (!/^\s*(#.*)?$/.test(rest)) return undefined;
  if (source.startsWith('\r\n', end)) end += 2;
  else if (end < source.length) end += 1;
  return { start, end, newText: '' };
}

export function replace(node: AstNode, newText: string): Edit {
  return { start: node.start, end: node.end, newText };
}

/** A name not used anywhere in `scope` (a function or the module), starting from `base`. */
export function freshName(base: string, scope: AstNode, text: (n: AstNode) => string, taken: Set<string> = new Set()): string {
  const used = new Set(taken);
  // Attribute names (`math.log`'s `log`) are not variables and do not clash.
  for (const n of descendants(scope)) {
    if (n.type === 'identifier' && !(n.field === 'attribute' && n.parent?.type === 'attribute')) used.add(text(n));
  }
  const clean = base.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'value';
  if (!used.has(clean) && !PY_KEYWORDS.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}_${i}`)) return `${clean}_${i}`;
}

/** Applies edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) {
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}

export function editsOverlap(a: readonly Edit[], b: readonly Edit[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.start < y.end && y.start < x.end) return true;
      if (x.start === x.end && y.start === y.end && x.start === y.start) return true;
    }
  }
  return false;
}

const PY_KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal',
  'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
]);
