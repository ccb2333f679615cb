// Notebooks: the cells of one notebook run as one module, so a cell must see the imports and globals
// of the cells above it (`import numpy as np` in the first cell, the loops further down). The client
// syncs notebooks as such (LSP 3.17 notebook sync); each cell is still its own document with its own
// diagnostics, and this keeps the cells' order.
import type { NotebookCell } from 'vscode-languageserver';

export class NotebookCells {
  /** Cell document URIs in notebook order, by notebook URI. */
  private readonly order = new Map<string, string[]>();
  /** The notebook of each cell document. */
  private readonly notebookOf = new Map<string, string>();

  open(notebook: string, cells: readonly NotebookCell[]): void {
    this.set(notebook, cells.map((c) => c.document));
  }

  /** Applies a structure change: `deleteCount` cells at `start` replaced by `cells`. */
  splice(notebook: string, start: number, deleteCount: number, cells: readonly NotebookCell[] = []): void {
    const order = [...(this.order.get(notebook) ?? [])];
    order.splice(start, deleteCount, ...cells.map((c) => c.document));
    this.set(notebook, order);
  }

  /** Forgets the notebook; returns its cells. */
  close(notebook: string): string[] {
    const cells = this.order.get(notebook) ?? [];
    for (const cell of cells) this.notebookOf.delete(cell);
    this.order.delete(notebook);
    return cells;
  }

  /** The cell before `cell` in its notebook, or undefined for a first cell or a plain file. */
  previous(cell: string): string | undefined {
    const order = this.order.get(this.notebookOf.get(cell) ?? '');
    const i = order?.indexOf(cell) ?? -1;
    return i > 0 ? order![i - 1] : undefined;
  }

  /** The cells below `cell` in its notebook. */
  following(cell: string): string[] {
    const order = this.order.get(this.notebookOf.get(cell) ?? '');
    const i = order?.indexOf(cell) ?? -1;
    return i >= 0 ? order!.slice(i + 1) : [];
  }

  private set(notebook: string, cells: string[]): void {
    for (const cell of this.order.get(notebook) ?? []) this.notebookOf.delete(cell);
    this.order.set(notebook, cells);
    for (const cell of cells) this.notebookOf.set(cell, notebook);
  }
}
