// Notebooks over LSP notebook sync: a cell sees the imports of the cells above it, and a change
// to an earlier cell re-analyzes the cells below.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt } from '../support/dist';
import { TestClient } from './client';

const NOTEBOOK = 'file:///work/analysis.ipynb';
const cell = (n: number) => `vscode-notebook-cell:/work/analysis.ipynb#cell${n}`;
const IMPORTS = 'import numpy as np\n';
const GROWTH = 'out = np.array([])\nfor x in range(10):\n    out = np.append(out, x)\n';
const PLAIN = 'print("done")\n';

let client: TestClient;

before(async () => {
  ensureBuilt();
  client = new TestClient();
  client.settingsFor = () => ({ enable: true, rules: { select: ['HP201'], ignore: [], severity: {} } });
  await client.initialize();
});

after(() => client.kill());

const codes = async (uri: string, version: number) => (await client.diagnosticsAt(uri, version)).map((d) => [d.code, d.range.start.line]);

describe('notebooks', () => {
  test('a cell sees the imports of the cells above it; editing them re-analyzes it', async () => {
    const texts = [IMPORTS, GROWTH, PLAIN];
    await client.connection.sendNotification('notebookDocument/didOpen', {
      notebookDocument: {
        uri: NOTEBOOK,
        notebookType: 'jupyter-notebook',
        version: 1,
        cells: texts.map((_, i) => ({ kind: 2, document: cell(i) })),
      },
      cellTextDocuments: texts.map((text, i) => ({ uri: cell(i), languageId: 'python', version: 1, text })),
    });
    assert.deepEqual(await codes(cell(1), 1), [['HP201', 2]]);
    assert.deepEqual(await codes(cell(0), 1), []);

    // Without the import, `np` is nothing the analyzer knows: the growth is no longer NumPy's.
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 2 },
      change: { cells: { textContent: [{ document: { uri: cell(0), version: 2 }, changes: [{ text: 'import json\n' }] }] } },
    });
    await client.diagnostics(cell(1), (p) => p.diagnostics.length === 0);

    // A new first cell brings the import back.
    await client.connection.sendNotification('notebookDocument/didChange', {
      notebookDocument: { uri: NOTEBOOK, version: 3 },
      change: {
        cells: {
          structure: {
            array: { start: 0, deleteCount: 0, cells: [{ kind: 2, document: cell(9) }] },
            didOpen: [{ uri: cell(9), languageId: 'python', version: 1, text: IMPORTS }],
          },
        },
      },
    });
    await client.diagnostics(cell(1), (p) => p.diagnostics.some((d) => d.code === 'HP201'));

    await client.connection.sendNotification('notebookDocument/didClose', {
      notebookDocument: { uri: NOTEBOOK },
      cellTextDocuments: [0, 1, 2, 9].map((n) => ({ uri: cell(n) })),
    });
    await client.diagnostics(cell(1), (p) => p.diagnostics.length === 0);
  });
});
