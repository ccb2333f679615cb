// Reads the frame selected in speedscope's flame chart from its detail panel. speedscope has no
// API for its selection; the panel's stack trace lists the selected frame first, as
// `name (file:line:column)` (see speedscope's StackTraceView). Its class names come from
// Aphrodite and keep the style's key (`stackTraceView_…`, `stackFileLine_…`).

export interface SelectedFrame {
  readonly name: string;
  readonly file: string;
  /** 1-based, as speedscope shows it. */
  readonly line: number;
  /** Tells two selections apart: the whole stack's text. */
  readonly key: string;
}

const LOCATION = /^\s*\((.*):(\d+)(?::\d+)?\)\s*$/;

export function selectedFrame(root: ParentNode): SelectedFrame | undefined {
  const view = root.querySelector('[class*="stackTraceView"]');
  const first = view?.querySelector('[class*="stackLine"]');
  if (!view || !first) return undefined;
  const location = [...first.querySelectorAll('[class*="stackFileLine"]')]
    .map((span) => LOCATION.exec(span.textContent ?? ''))
    .find((match) => match !== null);
  if (!location) return undefined;
  const name = [...first.childNodes]
    .filter((node) => node.nodeType === Node.TEXT_NODE)
    .map((node) => node.textContent ?? '')
    .join('')
    .trim();
  return { name, file: location[1], line: Number(location[2]), key: view.textContent ?? '' };
}
