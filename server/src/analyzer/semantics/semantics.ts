// What the analyzer knows about names: imports, module globals, function scopes and value kinds.
import { type AstNode } from '../ast';
import { collectImports, type ImportTable } from './imports';

export class Semantics {
  readonly imports: ImportTable;
  readonly moduleNames = new Set<string>();

  constructor(
    readonly root: AstNode,
    readonly source: string,
  ) {
    this.imports = collectImports(root, (n) => this.text(n));
  }

  text(node: AstNode): string {
    return this.source.slice(node.start, node.end);
  }

  /** Changes whenever something a statement's findings may depend on changes elsewhere in the module. */
  moduleFingerprint(): string {
    const aliases = [...this.imports.aliases].map(([k, v]) => `${k}=${v}`).join(';');
    return `${aliases}|${this.imports.starModules.join(';')}|${[...this.moduleNames].sort().join(';')}`;
  }
}
