// Reading rows of a frame: which names hold a row and how their columns are read.
import { type AstNode, child, descendants, unparen } from '../../ast';
import type { RuleContext } from '../../rule';

/** `row["a"]` / `row.a` / `row.Index`: the column a row access reads, or undefined. */
export function rowColumn(node: AstNode, row: string, ctx: RuleContext): string | undefined {
  const n = unparen(node);
  if (n.type === 'subscript') {
    const value = child(n, 'value');
    const subs = n.children.filter((c) => c.field === 'subscript');
    if (value?.type === 'identifier' && ctx.text(value) === row && subs.length === 1 && subs[0].type === 'string') {
      const text = ctx.text(subs[0]);
      const m = /^([rRuU]?)(['"])(.*)\2$/.exec(text);
      return m ? m[3] : undefined;
    }
  }
  if (n.type === 'attribute') {
    const object = child(n, 'object');
    const attr = child(n, 'attribute');
    if (object?.type === 'identifier' && ctx.text(object) === row && attr) return ctx.text(attr);
  }
  return undefined;
}

/** True when the body does arithmetic on row values (not just I/O with them). */
export function hasRowArithmetic(body: AstNode, row: string, ctx: RuleContext): boolean {
  for (const n of descendants(body)) {
    if (n.type !== 'binary_operator' && n.type !== 'augmented_assignment' && n.type !== 'comparison_operator') continue;
    for (const d of descendants(n)) if (rowColumn(d, row, ctx) !== undefined) return true;
  }
  return false;
}

/**
 * Rewrites an expression over one row into the same expression over whole columns of `frame`:
 * `row["a"] * (1 - row["b"])` -> `df["a"] * (1 - df["b"])`. Undefined when anything but column
 * reads, numbers and arithmetic appears.
 */
export function columnExpression(expr: AstNode, row: string, frame: string, ctx: RuleContext): string | undefined {
  const n = unparen(expr);
  const col = rowColumn(n, row, ctx);
  if (col !== undefined) return `${frame}[${JSON.stringify(col)}]`;
  switch (n.type) {
    case 'integer':
    case 'float':
      return ctx.text(n);
    case 'identifier':
      return ctx.text(n) === row ? undefined : ctx.text(n);
    case 'binary_operator': {
      const l = child(n, 'left');
      const r = child(n, 'right');
      const op = n.children.length ? ctx.source.slice(l!.end, r!.start).trim() : '';
      if (!l || !r || !['+', '-', '*', '/', '**', '//', '%'].includes(op)) return undefined;
      const a = columnExpression(l, row, frame, ctx);
      const b = columnExpression(r, row, frame, ctx);
      return a && b ? `${wrap(l, a)} ${op} ${wrap(r, b)}` : undefined;
    }
    case 'unary_operator': {
      const arg = child(n, 'argument');
      const op = ctx.text(n).trim()[0];
      const a = arg ? columnExpression(arg, row, frame, ctx) : undefined;
      return a && op === '-' ? `-${wrap(arg!, a)}` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A row's value as an expression over whole columns of `frame`: arithmetic (`columnExpression`), a
 * condition, or `a if cond else b` as `np.where(cond, a, b)`, which gives an array (`array`) where the
 * others give a Series. Undefined when anything else appears, or NumPy is not imported for np.where.
 */
export function rowValueExpression(expr: AstNode, row: string, frame: string, ctx: RuleContext): { text: string; array: boolean } | undefined {
  const n = unparen(expr);
  if (n.type === 'conditional_expression') {
    const [whenTrue, condition, whenFalse] = n.children;
    const text = whenTrue && condition && whenFalse ? whereExpression(condition, whenTrue, whenFalse, row, frame, ctx) : undefined;
    return text ? { text, array: true } : undefined;
  }
  const text = n.type === 'comparison_operator' ? conditionExpression(n, row, frame, ctx) : columnExpression(n, row, frame, ctx);
  // Only worth it (and only a column expression) when it reads a column.
  return text?.includes('[') ? { text, array: false } : undefined;
}

/** `np.where(cond, a, b)` over `frame`'s columns, for `a if cond else b` or an if/else on one row. */
export function whereExpression(condition: AstNode, whenTrue: AstNode, whenFalse: AstNode, row: string, frame: string, ctx: RuleContext): string | undefined {
  const np = ctx.sem.aliasOf('numpy');
  const c = conditionExpression(condition, row, frame, ctx);
  const t = columnExpression(whenTrue, row, frame, ctx);
  const f = columnExpression(whenFalse, row, frame, ctx);
  return np && c && t && f ? `${np}.where(${c}, ${t}, ${f})` : undefined;
}

/**
 * A condition on one row over whole columns: a comparison of two column expressions, or a column
 * read for its truth (`if row["peak"]:`; NumPy takes non-zero values as true, as Python does).
 */
function conditionExpression(node: AstNode, row: string, frame: string, ctx: RuleContext): string | undefined {
  const n = unparen(node);
  if (rowColumn(n, row, ctx) !== undefined) return columnExpression(n, row, frame, ctx);
  if (n.type !== 'comparison_operator' || n.children.length !== 2) return undefined;
  const [l, r] = n.children;
  const op = ctx.source.slice(l.end, r.start).trim();
  if (!['<', '>', '<=', '>=', '==', '!='].includes(op)) return undefined;
  const a = columnExpression(l, row, frame, ctx);
  const b = columnExpression(r, row, frame, ctx);
  return a && b ? `${a} ${op} ${b}` : undefined;
}

function wrap(node: AstNode, text: string): string {
  const n = unparen(node);
  return n.type === 'binary_operator' || n.type === 'unary_operator' || node.type === 'parenthesized_expression' ? `(${text})` : text;
}
