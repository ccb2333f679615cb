// Per-function totals as a CodeLens above each profiled function's `def`: "41% · 1.9 s".
import * as vscode from 'vscode';
import { formatCost, formatPercent, formatSeconds } from '../../server/src/cost/format';
import type { FileHeat } from './model';

export const HOT_PATHS_VIEW = 'hotpath.hotPaths';

export class FunctionCostLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** `fileOf` answers the profile's costs for a document, or nothing (no profile, inline cost hidden). */
  constructor(private readonly fileOf: (document: vscode.TextDocument) => FileHeat | undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.fileOf(document);
    if (!file) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const fn of file.functions) {
      // `<module>`, `<lambda>`, `<listcomp>`: no `def` to stand above.
      if (fn.name.startsWith('<') || fn.line < 1 || fn.line > document.lineCount) continue;
      const range = document.lineAt(fn.line - 1).range;
      lenses.push(
        new vscode.CodeLens(range, {
          title: formatCost(fn.totalPercent, fn.totalSeconds),
          tooltip:
            `${fn.name}: ${formatPercent(fn.totalPercent)} of the run (${formatSeconds(fn.totalSeconds)}) in it and what it called, ` +
            `${formatPercent(fn.selfPercent)} (${formatSeconds(fn.selfSeconds)}) in its own lines. Shows the Hot Paths view.`,
          command: `${HOT_PATHS_VIEW}.focus`,
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
