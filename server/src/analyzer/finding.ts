// Findings, fixes and edits as plain data. Positions are offsets into the analysed source
// (JavaScript string indices, i.e. UTF-16 code units); each front end converts them once.

export const CATEGORIES = [
  'unvectorized-loop',
  'numba-candidate',
  'array-growth',
  'row-iteration',
  'gpu-sync',
  'loop-invariant-call',
  'repeated-call',
  'global-in-loop',
] as const;

export type Category = (typeof CATEGORIES)[number];

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** Replace source[start, end) with newText. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
}

export interface Finding {
  rule: string;
  category: Category;
  severity: Severity;
  message: string;
  /** The anchor range: the loop header or the offending call. */
  start: number;
  end: number;
  /** The whole construct the finding is about (all of a loop, not just its header): what its measured cost covers. */
  region: { start: number; end: number };
  fixes: Fix[];
}

/** 1-based line and column of an offset, columns counted in UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

/** Maps offsets to lines and columns; built once per source text. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    if (!text.includes('\r')) {
      // The common case, searched natively: several times faster than a loop over every character.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 10) this.lineStarts.push(i + 1);
      else if (ch === 13 && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line0: number): number {
    return this.lineStarts[Math.max(0, Math.min(line0, this.lineStarts.length - 1))];
  }

  /** 0-based line and UTF-16 column, as LSP wants them. */
  position0(offset: number): { line: number; character: number } {
    const line = this.lineOf(offset);
    return { line, character: offset - this.lineStarts[line] };
  }

  /** 1-based line and column in Unicode code points, as the findings spec and Python want them. */
  position1(offset: number): Position {
    const line = this.lineOf(offset);
    const start = this.lineStarts[line];
    let column = 1;
    for (let i = start; i < offset; i++) {
      const ch = this.text.charCodeAt(i);
      // A surrogate pair is one code point.
      if (ch >= 0xd800 && ch <= 0xdbff && i + 1 < offset) i++;
      column++;
    }
    return { line: line + 1, column };
  }

  /** Offset of a 0-based line and UTF-16 column (clamped to the line). */
  offsetAt(line0: number, character: number): number {
    if (line0 >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[line0];
    const next = line0 + 1 < this.lineStarts.length ? this.lineStarts[line0 + 1] : this.text.length;
    return Math.min(start + character, next);
  }
}
