// Reads the frame selected in speedscope's flame chart from its detail panel. speedscope has no
// API for its selection, and its class names are minified hashes; what is stable is the panel's
// stack trace (speedscope's StackTraceView): one line per frame, the selected frame first, each a
// <div> holding a colour swatch, the frame's name as text, and a <span> " (file:line:column)".

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
