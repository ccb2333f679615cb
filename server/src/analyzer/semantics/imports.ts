// Import aliases: which local name stands for which module or module member.
import { type AstNode, child, SCOPE_TYPES } from '../ast';

export interface ImportTable {
  /** Local name -> qualified name (`np` -> `numpy`, `F` -> `torch.nn.functional`, `njit` -> `numba.njit`). */
  readonly aliases: Map<string, string>;
  /** Modules imported with `from m import *`, in order. */
  readonly starModules: string[];
}

export function collectImports(root: AstNode, text: (n: AstNode) => string): ImportTable {
  const aliases = new Map<string, string>();
  const starModules: string[] = [];
  for (const node of moduleLevel(root)) {
    if (node.type === 'import_statement') {
      for (const item of node.children) {
        if (item.type === 'dotted_name') {
          // `import torch.nn` binds `torch`.
          const first = text(item).split('.')[0];
          aliases.set(first, first);
        } else if (item.type === 'aliased_import') {
          const name = child(item, 'name');
          const alias = child(item, 'alias');
          if (name && alias) aliases.set(text(alias), text(name));
        }
      }
    } else if (node.type === 'import_from_statement') {
      const moduleNode = child(node, 'module_name');
      if (!moduleNode) continue;
      const moduleName = text(moduleNode);
      if (node.children.some((c) => c.type === 'wildcard_import')) {
        starModules.push(moduleName);
        continue;
      }
      for (const item of node.children) {
        if (item === moduleNode) continue;
        if (item.type === 'dotted_name') {
          const name = text(item);
          aliases.set(name, `${moduleName}.${name}`);
        } else if (item.type === 'aliased_import') {
          const name = child(item, 'name');
          const alias = child(item, 'alias');
          if (name && alias) aliases.set(text(alias), `${moduleName}.${text(name)}`);
        }
      }
    }
  }
  return { aliases, starModules };
}

/** Module-level statements, also inside `if`/`try` blocks, but not inside functions or classes. */
function* moduleLevel(root: AstNode): Generator<AstNode> {
  const stack: AstNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    yield n;
    if (n !== root && (SCOPE_TYPES.has(n.type) || n.type === 'expression_statement' || n.type === 'decorated_definition')) continue;
    for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
}
