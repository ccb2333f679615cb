// A fresh server's first keystrokes would each take several times as long as later ones: the code
// that analyzes an edit (parsing the edited statement alone, splicing it into the light tree,
// keeping the other statements' findings) runs only after an edit, and V8 compiles it for speed
// only once it has run a while. The server types into a small module of its own at start, before
// any document is analyzed, so that this happens before anyone types.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { Parser } from 'web-tree-sitter';
import { analyzeEdited } from '../analyzer/analyze';
import { toDiagnostics } from './diagnostics';
import { DocumentState } from './document';

export const WARM_UP_SAMPLE = `import numpy as np
import torch

SCALE = 2.0
weights = np.ones(8)


def normalize(x, mean, std):
    out = np.zeros_like(x)
    for i in range(x.shape[0]):
        out[i] = (x[i] - mean) / std
    return out


class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader

    def fit(self, optimizer):
        losses = []
        for xb, yb in self.loader:
            loss = self.model(xb).sum()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return losses


total = 0.0
for k in range(100):
    total += np.sqrt(weights).sum() * SCALE
`;

/**
 * Where the sample is typed into, and what: after a line in a function's loop, a method, a
 * module-level loop, a def's header and an import, and on a blank line at module level; the open
 * bracket leaves an error that the whole parse must recover from.
 */
const TYPING: [after: string, typed: string][] = [
  ['out[i] = (x[i] - mean) / std', ' ('],
  ['optimizer.step()', ' '],
  ['total += np.sqrt(weights).sum() * SCALE', ' '],
  ['def normalize(x, mean, std):', ' #'],
  ['import torch', ' '],
  ['weights = np.ones(8)\n', '#'],
];

/** How often each place is typed into: enough for V8 to compile the edit path for speed. */
const ROUNDS = 12;

export function warmUp(parser: Parser): void {
  const doc = new DocumentState('untitled:hotpath-warm-up.py', 'python', 1, WARM_UP_SAMPLE);
  const analyze = () => toDiagnostics(doc.textDocument, analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache).map((finding) => ({ finding })));
  const type = (change: TextDocumentContentChangeEvent) => {
    doc.applyChanges([change], doc.version + 1);
    analyze();
  };
  try {
    analyze();
    for (let round = 0; round < ROUNDS; round++) {
      for (const [after, typed] of TYPING) {
        const offset = doc.text.indexOf(after);
        if (offset < 0) throw new Error(`warm-up: the sample has no \`${after}\``);
        const at = doc.textDocument.positionAt(offset + after.length);
        // Typed, then taken back.
        type({ range: { start: at, end: at }, text: typed });
        type({ range: { start: at, end: doc.textDocument.positionAt(offset + after.length + typed.length) }, text: '' });
      }
    }
  } finally {
    doc.dispose();
  }
}
