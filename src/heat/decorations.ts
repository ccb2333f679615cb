// Heat in the editor: a background shade, a gutter bar and an overview-ruler mark per profiled
// line, and the line's cost after its end. One decoration type per heat level, made once; each
// paint sets every level's ranges in one call. Nothing is inserted before code, so nothing moves.
import * as vscode from 'vscode';
import { formatCost } from '../../server/src/cost/format';
import { type FileHeat, LEVEL_COUNT } from './model';

/** From this level up a line is marked in the overview ruler and shows its cost after its end. */
const MARKED_FROM_LEVEL = 3;
const LABELLED_FROM_LEVEL = 2;

export class HeatDecorations implements vscode.Disposable {
  private readonly levels: vscode.TextEditorDecorationType[] = [];

  constructor(extensionUri: vscode.Uri) {
    for (let level = 1; level <= LEVEL_COUNT; level++) {
      this.levels.push(
        vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          backgroundColor: new vscode.ThemeColor(`hotpath.heat${level}Background`),
          gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'heat', `bar-${level}.svg`),
          gutterIconSize: 'contain',
          overviewRulerColor: level >= MARKED_FROM_LEVEL ? new vscode.ThemeColor('hotpath.heatMark') : undefined,
          overviewRulerLane: vscode.OverviewRulerLane.Right,
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
  }

  /** Shows `file`'s heat in `editor`, or clears it when there is none. */
  paint(editor: vscode.TextEditor, file: FileHeat | undefined): void {
    const byLevel: vscode.DecorationOptions[][] = this.levels.map(() => []);
    const lineCount = editor.document.lineCount;
    for (const heat of file?.lines.values() ?? []) {
      if (heat.level === 0 || heat.line < 1 || heat.line > lineCount) continue;
      const line = editor.document.lineAt(heat.line - 1);
      const options: vscode.DecorationOptions = { range: line.range };
      if (heat.level >= LABELLED_FROM_LEVEL) {
        options.renderOptions = {
          after: {
            contentText: formatCost(heat.percent, heat.seconds),
            color: new vscode.ThemeColor('editorCodeLens.foreground'),
            fontStyle: 'italic',
            margin: '0 0 0 3em',
          },
        };
      }
      byLevel[heat.level - 1].push(options);
    }
    this.levels.forEach((type, i) => editor.setDecorations(type, byLevel[i]));
  }

  dispose(): void {
    for (const type of this.levels) type.dispose();
  }
}
