// Reads the frame selected in speedscope's flame chart from its detail panel, and the frame under
// the mouse from its hover tooltip. speedscope has no API for either, and its class names are
// minified hashes; what is stable is the markup:
// - the panel's stack trace (speedscope's StackTraceView): one line per frame, the selected frame
//   first, each a <div> holding a colour swatch, the frame's name as text, and a <span>
//   " (file:line:column)";
// - the tooltip (FlameGraphView's renderTooltip): a <div> holding a <span> with the time, the
//   frame's name as text, and a <div> "file:line".

export interface SelectedFrame {
  readonly name: string;
  readonly file: string;
  /** 1-based, as speedscope shows it. */
  readonly line: number;
  /** Tells two selections apart: the whole stack's text. */
  readonly key: string;
}

const LOCATION = /^ \((.+):(\d+)(?::\d+)?\)$/;

export function selectedFrame(root: ParentNode): SelectedFrame | undefined {
  for (const span of root.querySelectorAll('div > span')) {
    const location = LOCATION.exec(span.textContent ?? '');
    const line = span.parentElement;
    if (!location || !line) continue;
    const name = [...line.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    if (!name) continue;
    return { name, file: location[1], line: Number(location[2]), key: line.parentElement?.textContent ?? '' };
  }
  return undefined;
}

export interface HoveredFrame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
}

const TOOLTIP_LOCATION = /^(.+):(\d+)$/;

/** The frame speedscope's hover tooltip shows (the one under the mouse in a flame chart), if any. */
export function hoveredFrame(root: ParentNode): HoveredFrame | undefined {
  for (const location of root.querySelectorAll('div > span ~ div')) {
    const match = TOOLTIP_LOCATION.exec(location.textContent ?? '');
    const row = location.parentElement;
    if (!match || !row || location.children.length > 0) continue;
    const name = [...row.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
      .trim();
    if (name) return { name, file: match[1], line: Number(match[2]) };
  }
  return undefined;
}

/** Whether the tooltip shows the selected frame: a click there (re)selected it. */
export function sameFrame(selected: SelectedFrame, hovered: HoveredFrame | undefined): boolean {
  return hovered !== undefined && hovered.name === selected.name && hovered.file === selected.file && hovered.line === selected.line;
}
