// Speaks LSP over stdio to the real built server (dist/hotpath.js server --stdio).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, Hover, MarkupContent, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ruleById } from '../../server/src/analyzer/registry';
import { PUBLISH_LATENCY, type PublishLatency } from '../../server/src/protocol';
import { ensureBuilt } from '../support/dist';
import { TestClient } from './client';

const GROWTH = `import numpy as np
def f(xs):
    out = np.array([])
    for x in xs:
        out = np.append(out, x * 2)
    return out
`;
// The growing call on line 4 (0-based): characters 14 to 35.
const GROWTH_RANGE = { start: { line: 4, character: 14 }, end: { line: 4, character: 35 } };

const INVARIANT = `import re
def count(lines):
    total = 0
    for line in lines:
        pattern = re.compile(r"\\d+")
        total += len(pattern.findall(line))
    return total
`;

/** The rules under test; the server's other rules stay out of these expectations. */
const FOCUSED = { enable: true, rules: { select: ['HP201', 'HP501'], ignore: [], severity: {} } };

let client: TestClient;
let uriCount = 0;
const uri = (name: string) => `untitled:Untitled-${++uriCount}-${name}`;

before(async () => {
  ensureBuilt();
  client = new TestClient();
  client.settingsFor = () => FOCUSED;
  await client.initialize();
});

after(() => client.kill());

function applyWorkspaceEdit(text: string, action: CodeAction, version: number): string {
  const change = action.edit?.documentChanges?.[0] as TextDocumentEdit | undefined;
  assert.ok(change, `"${action.title}" carries a document change`);
  assert.equal(change.textDocument.version, version, 'the edit is for the version it was computed on');
  return TextDocument.applyEdits(TextDocument.create('x', 'python', version, text), change.edits as never);
}

async function quickFixes(docUri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  const actions = (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri: docUri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], only: ['quickfix'] },
  })) as CodeAction[];
  return actions;
}

describe('diagnostics', () => {
  test('didOpen publishes the finding with its exact range, code, source, severity and message', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    const diagnostics = await client.diagnosticsAt(doc, 1);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [d] = diagnostics;
    assert.deepEqual(d.range, GROWTH_RANGE);
    assert.equal(d.code, 'HP201');
    assert.equal(d.source, 'hotpath');
    assert.equal(d.severity, 2);
    assert.equal(typeof d.message, 'string');
    assert.match(d.message as string, /`out` is grown with `np\.append`/);
  });

  test('an incremental change that removes the growth clears it', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    assert.equal((await client.diagnosticsAt(doc, 1)).length, 1);
    await client.change(doc, 2, [{ range: GROWTH_RANGE, text: 'x * 2' }]);
    assert.deepEqual(await client.diagnosticsAt(doc, 2), []);
  });

  test('edits above a finding move it; several changes in one notification apply in order', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    await client.diagnosticsAt(doc, 1);
    await client.change(doc, 2, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# header\n\n' },
      // Positions of the second change are in the text after the first: the call is now on line 6.
      { range: { start: { line: 6, character: 8 }, end: { line: 6, character: 11 } }, text: 'acc' },
      { range: { start: { line: 6, character: 24 }, end: { line: 6, character: 27 } }, text: 'acc' },
    ]);
    const [d] = await client.diagnosticsAt(doc, 2);
    assert.deepEqual(d?.range, { start: { line: 6, character: 14 }, end: { line: 6, character: 35 } });
    assert.match(d.message as string, /`acc` is grown/);
  });

  test('a burst of keystrokes ends in the diagnostics of the newest version', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    await client.diagnosticsAt(doc, 1);
    const comment = '# typing a comment here, one character at a time';
    const sends = [...comment].map((ch, i) =>
      client.change(doc, i + 2, [{ range: { start: { line: 0, character: 18 + i }, end: { line: 0, character: 18 + i } }, text: ch }]),
    );
    await Promise.all(sends);
    const last = comment.length + 1;
    const [d] = await client.diagnosticsAt(doc, last);
    assert.deepEqual(d?.range, GROWTH_RANGE);
    const versions = client.publications(doc).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'never an older version after a newer one');
  });

  test('the server reports how long its publishes after changes took, a burst counted once per publish', async () => {
    // A server of its own: the other tests' changes would count too.
    const own = new TestClient();
    own.settingsFor = () => FOCUSED;
    await own.initialize();
    try {
      const doc = uri('growth.py');
      await own.open(doc, GROWTH);
      await own.diagnosticsAt(doc, 1);
      const none = await own.connection.sendRequest<PublishLatency>(PUBLISH_LATENCY);
      assert.deepEqual(none, { count: 0, p50: 0, p95: 0, max: 0 }, 'opening a document is not a change');
      let version = 1;
      for (const text of ['#', ' ', '#']) {
        await own.change(doc, ++version, [{ range: { start: { line: 0, character: 18 }, end: { line: 0, character: 18 } }, text }]);
        await own.diagnosticsAt(doc, version);
      }
      const burst = [...'abcdef'].map((ch, i) => own.change(doc, version + 1 + i, [{ range: { start: { line: 0, character: 21 + i }, end: { line: 0, character: 21 + i } }, text: ch }]));
      await Promise.all(burst);
      version += burst.length;
      await own.diagnosticsAt(doc, version);
      const stats = await own.connection.sendRequest<PublishLatency>(PUBLISH_LATENCY);
      const publishedAfterChanges = own.publications(doc).filter((p) => p.version! > 1).length;
      assert.equal(stats.count, publishedAfterChanges);
      assert.ok(stats.count >= 4 && stats.count <= 9, JSON.stringify(stats));
      assert.ok(stats.p50 > 0 && stats.p50 <= stats.p95 && stats.p95 <= stats.max, JSON.stringify(stats));
    } finally {
      own.kill();
    }
  });

  test('didClose clears the document diagnostics', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    await client.diagnosticsAt(doc, 1);
    await client.close(doc);
    await client.diagnostics(doc, (p) => p.diagnostics.length === 0 && p.version === undefined);
  });
});

describe('code actions', () => {
  test('the fix, applied to the text, leaves no finding', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    const [d] = await client.diagnosticsAt(doc, 1);
    const actions = await quickFixes(doc, d);
    const fix = actions.find((a) => !a.title.startsWith('Ignore'));
    assert.ok(fix, `a fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    const fixed = applyWorkspaceEdit(GROWTH, fix, 1);
    assert.notEqual(fixed, GROWTH);
    await client.change(doc, 2, [{ text: fixed }]);
    assert.deepEqual(await client.diagnosticsAt(doc, 2), []);
  });

  test('HP501: "Hoist" moves the call above the loop', async () => {
    const doc = uri('invariant.py');
    await client.open(doc, INVARIANT);
    const [d] = await client.diagnosticsAt(doc, 1);
    assert.equal(d?.code, 'HP501');
    assert.deepEqual(d.range, { start: { line: 4, character: 18 }, end: { line: 4, character: 36 } });
    const hoist = (await quickFixes(doc, d)).find((a) => a.title.startsWith('Hoist'));
    assert.ok(hoist);
    const fixed = applyWorkspaceEdit(INVARIANT, hoist, 1);
    assert.ok(fixed.indexOf('re.compile') < fixed.indexOf('for line'), fixed);
    await client.change(doc, 2, [{ text: fixed }]);
    assert.deepEqual(await client.diagnosticsAt(doc, 2), []);
  });

  test('"Ignore HP201 on this line" adds a suppression comment that silences it', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    const [d] = await client.diagnosticsAt(doc, 1);
    const ignore = (await quickFixes(doc, d)).find((a) => a.title === 'Ignore HP201 on this line');
    assert.ok(ignore);
    const ignored = applyWorkspaceEdit(GROWTH, ignore, 1);
    assert.equal(ignored.split('\n')[4], '        out = np.append(out, x * 2)  # hotpath: ignore[HP201]');
    await client.change(doc, 2, [{ text: ignored }]);
    assert.deepEqual(await client.diagnosticsAt(doc, 2), []);
  });

  test('the ignore comment joins an existing ignore list, and is not offered where a comment cannot go', async () => {
    const listed = GROWTH.replace('x * 2)\n', 'x * 2)  # hotpath: ignore[HP501]\n');
    const continued = GROWTH.replace('np.append(out, x * 2)', 'np.append(out, x * 2); y = \\\n            1');
    const inString = GROWTH.replace('np.append(out, x * 2)', 'np.append(out, len("""\nabc"""))');
    const actionsFor = async (text: string) => {
      const doc = uri('ignore.py');
      await client.open(doc, text);
      const [d] = await client.diagnosticsAt(doc, 1);
      assert.equal(d?.code, 'HP201', text);
      return quickFixes(doc, d);
    };
    const ignore = (await actionsFor(listed)).find((a) => a.title === 'Ignore HP201 on this line');
    assert.ok(ignore);
    assert.equal(applyWorkspaceEdit(listed, ignore, 1).split('\n')[4], '        out = np.append(out, x * 2)  # hotpath: ignore[HP501, HP201]');
    for (const text of [continued, inString]) {
      const offered = (await actionsFor(text)).map((a) => a.title);
      assert.ok(!offered.some((t) => t.startsWith('Ignore')), `${offered.join(', ')} for:\n${text}`);
    }
  });

  test('a diagnostic from an older version gets no fix (its ranges are stale)', async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    const [old] = await client.diagnosticsAt(doc, 1);
    await client.change(doc, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' }]);
    await client.diagnosticsAt(doc, 2);
    const titles = (await quickFixes(doc, old)).map((a) => a.title);
    assert.deepEqual(titles, ['Ignore HP201 on this line']);
  });
});

describe('hover', () => {
  test("over a finding it shows the message and the rule's documentation", async () => {
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    await client.diagnosticsAt(doc, 1);
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: doc },
      position: { line: 4, character: 20 },
    })) as Hover | null;
    assert.ok(hover);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, 'markdown');
    assert.match(contents.value, /^\*\*HP201\*\*/);
    assert.ok(contents.value.includes(ruleById('HP201')!.docs.body));
    assert.deepEqual(hover.range, GROWTH_RANGE);
    const elsewhere = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: doc }, position: { line: 1, character: 2 } });
    assert.equal(elsewhere, null);
  });
});

describe('settings', () => {
  test('editor settings are pulled per document and layered over [tool.hotpath]', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-lsp-'));
    try {
      fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.hotpath]\nselect = ["HP201"]\nseverity = { HP201 = "error" }\n');
      const file = path.join(dir, 'model.py');
      fs.writeFileSync(file, GROWTH);
      const doc = pathToFileURL(file).href;
      const disabled = pathToFileURL(path.join(dir, 'off.py')).href;
      client.settingsFor = (scope) =>
        scope === disabled ? { enable: false } : scope === doc ? { enable: true, rules: { select: [], ignore: [], severity: {} } } : FOCUSED;
      await client.open(doc, GROWTH);
      const [d] = await client.diagnosticsAt(doc, 1);
      assert.equal(d?.severity, 1, 'error, from pyproject.toml');
      await client.open(disabled, GROWTH);
      assert.deepEqual(await client.diagnosticsAt(disabled, 1), []);

      client.settingsFor = (scope) => (scope === doc ? { enable: true, rules: { select: [], ignore: [], severity: { HP201: 'hint' } } } : FOCUSED);
      const before = client.publications(doc).length;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const [hinted] = await client.diagnostics(doc, (p) => client.publications(doc).length > before && p.diagnostics[0]?.severity === 4);
      assert.equal(hinted.code, 'HP201');
    } finally {
      client.settingsFor = () => FOCUSED;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('settings pushed by a client that cannot be asked', () => {
  test('initializationOptions, then workspace/didChangeConfiguration, carry the hotpath section', async () => {
    const own = new TestClient();
    try {
      await own.initialize({ pull: false, initializationOptions: { rules: { select: ['HP501'] } } });
      const doc = 'untitled:pushed.py';
      await own.open(doc, GROWTH);
      assert.deepEqual(await own.diagnosticsAt(doc, 1), []);
      const before = own.publications(doc).length;
      await own.connection.sendNotification('workspace/didChangeConfiguration', { settings: { hotpath: { rules: { select: ['HP201'] } } } });
      const [d] = await own.diagnostics(doc, (p) => own.publications(doc).length > before && p.diagnostics.length > 0);
      assert.equal(d.code, 'HP201');
    } finally {
      own.kill();
    }
  });
});

describe('bad input', () => {
  test('binary garbage, deep nesting, a huge line and an oversized document: the server keeps serving', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const garbage = Array.from({ length: 100_000 }, () => String.fromCharCode(random())).join('');
    const deep = `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\ny = ${'['.repeat(10_000)}\n`;
    const hugeLine = `x = [${'1, '.repeat(200_000)}]\ns = "${'a'.repeat(3_000_000)}"\n`;
    const oversized = 'x = 1\n'.repeat(2_000_000);
    const docs = { garbage, deep, hugeLine, oversized };
    for (const [name, text] of Object.entries(docs)) await client.open(uri(`${name}.py`), text);
    const first = uriCount - Object.keys(docs).length + 1;
    for (let i = 0; i < Object.keys(docs).length; i++) {
      const doc = `untitled:Untitled-${first + i}-${Object.keys(docs)[i]}.py`;
      await client.diagnosticsAt(doc, 1, 60_000);
    }
    // Out-of-range and reversed positions are clamped, not fatal.
    const deepUri = `untitled:Untitled-${first + 1}-deep.py`;
    await client.change(deepUri, 2, [{ range: { start: { line: 99_999, character: 5 }, end: { line: 0, character: 0 } }, text: '\0\ud800' }]);
    await client.diagnosticsAt(deepUri, 2);
    // Still answering requests, and still analyzing new documents.
    const doc = uri('growth.py');
    await client.open(doc, GROWTH);
    const [d] = await client.diagnosticsAt(doc, 1);
    assert.equal(d?.code, 'HP201');
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: doc }, position: { line: 4, character: 20 } });
    assert.ok(hover);
    assert.ok(client.logs.some((l) => /not analyzed: file too large/.test(l)), client.logs.join('\n'));
  });

  test('requests about unknown documents get empty answers', async () => {
    const unknown = 'file:///nowhere/none.py';
    assert.equal(await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: unknown }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: unknown },
        range: GROWTH_RANGE,
        context: { diagnostics: [] },
      }),
      [],
    );
  });
});

test('shutdown and exit end the process with code 0', async () => {
  const own = new TestClient();
  await own.initialize();
  assert.equal(await own.shutdown(), 0);
});
