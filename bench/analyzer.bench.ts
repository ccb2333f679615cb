// Analyzer speed and memory (issue 2's targets), printed as a table:
//  1. whole analysis (parse, all rules, fixes) of a 100k-line file vs CPython's ast.parse, same run;
//  2. one-line edits in a 10k-line file: incremental reparse + re-analysis, p50/p95;
//  3. memory held per open 10k-line document (light tree + caches; the documents being edited also
//     keep their tree-sitter tree).
// Run: npm run bench  (scripts/bench.mjs bundles this file as dist/hotpath.js is bundled; uses
// python3 from PATH for the ast.parse side)
import { execFileSync } from 'node:child_process';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, analyzeEdited } from '../server/src/analyzer/analyze';
import { createParser, parseSource } from '../server/src/analyzer/parse';
import { toDiagnostics } from '../server/src/lsp/diagnostics';
import { DocumentState } from '../server/src/lsp/document';
import { warmUp } from '../server/src/lsp/warmUp';
import { TestClient } from '../test/lsp/client';
import { PUBLISH_LATENCY, type PublishLatency } from '../server/src/protocol';
import { ensureBuilt, repoRoot } from '../test/support/dist';

const ROOT = repoRoot;

/**
 * A file of `lines` lines made of realistic ML code: the project's three own labelled corpora (about one
 * finding per 27 lines) and its example. `HOTPATH_BENCH_SOURCE=fixtures` uses the rule fixtures
 * instead, a worst case with a finding every dozen lines.
 */
function syntheticSource(lines: number): string {
  const chosen = process.env.HOTPATH_BENCH_SOURCE === 'fixtures' ? ['test/fixtures/rules', 'examples', 'test/e2e/workspace'] : ['test/fixtures/corpus', 'test/fixtures/corpus2', 'test/fixtures/corpus3', 'examples'];
  const dirs = chosen.map((d) => path.join(ROOT, d));
  const parts = dirs
    .filter((d) => fs.existsSync(d))
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.py')).sort().map((f) => fs.readFileSync(path.join(d, f), 'utf8')));
  const out: string[] = [];
  for (let k = 0; out.length < lines; k++) out.push(...`${parts[k % parts.length]}\n\n`.split('\n'));
  const cut = out.slice(0, lines);
  // End on a blank line at module level so the file stays valid Python.
  while (cut.length && cut[cut.length - 1] !== '') cut.pop();
  return `${cut.join('\n')}\n`;
}

function pythonAstParseSeconds(file: string, repeat: number): number {
  const code = `import ast, time\nsrc = open(${JSON.stringify(file)}).read()\nbest = 1e9\nfor _ in range(${repeat}):\n    t = time.perf_counter(); ast.parse(src); best = min(best, time.perf_counter() - t)\nprint(best)`;
  return Number(execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim());
}

/** Typing one character at the end of `count` lines spread over the file, as LSP changes in order. */
function oneLineEdits(text: string, count: number): TextDocumentContentChangeEvent[] {
  const lines = text.split('\n');
  const edits: TextDocumentContentChangeEvent[] = [];
  for (let k = 0; k < count; k++) {
    const line = Math.floor(((k * 37) % count + 0.5) * (lines.length - 1) / count);
    // 37 and count share no factor, so every line is edited once and its old length still holds.
    const character = lines[line].length;
    edits.push({ range: { start: { line, character }, end: { line, character } }, text: k % 2 ? ' ' : '#' });
  }
  return edits;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const parser = await createParser();
  // What the language server does once it starts (see warmUp): the edits below are not its first.
  warmUp(parser);
  const results: Record<string, number | string> = {};

  // 1. Memory per open 10k-line document, as the language server holds it. The first document also
  // brings what the server needs once (WASM pages for one parse at a time, compiled code): it is
  // reported on its own. Then documents nobody edits, which release their tree-sitter tree once
  // analyzed and have their light tree packed once the server rests (text and caches stay), and,
  // with those still open, documents being edited, which keep their tree-sitter tree too: at rest
  // (packed), and in the middle of typing with every node unpacked (the most an analysis unpacks).
  // Measured before the big file grows the WASM heap (which never shrinks) and hides what they take.
  const gc = (globalThis as { gc?: () => void }).gc;
  const held: DocumentState[] = [];
  const openDocuments = (release: boolean, rest: boolean, docs = 8) => {
    gc?.();
    const base = process.memoryUsage();
    for (let d = 0; d < docs; d++) {
      const doc = new DocumentState(`file:///doc${held.length}.py`, 'python', 1, syntheticSource(10_000).replace(/^/, `# document ${held.length}\n`));
      analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache);
      if (release) doc.releaseTree();
      // What the server does once it has rested a second (IdleCompaction).
      if (rest) doc.cache.compact();
      held.push(doc);
    }
    gc?.();
    const now = process.memoryUsage();
    const perDocument = (bytes: number) => (bytes / docs / 2 ** 20).toFixed(1);
    // What the documents hold after a full collection: JS heap, and outside it the packed nodes and
    // the WASM memory tree-sitter's trees grew. RSS also counts heap pages V8 keeps after collecting
    // what an analysis made and dropped (the next analyses reuse them).
    return `${perDocument(now.heapUsed + now.external - base.heapUsed - base.external)} (RSS growth ${perDocument(now.rss - base.rss)})`;
  };
  results['memory of the first open 10k-line document (MB held, with what the server needs once)'] = openDocuments(true, true, 1);
  results['memory per open 10k-line document not being edited (MB held, target < 20)'] = openDocuments(true, true);
  results['memory per 10k-line document being edited, at rest (MB held, with its tree-sitter tree, target < 20)'] = openDocuments(false, true);
  results['memory per 10k-line document being edited, while typing (MB held, tree-sitter tree and every node unpacked)'] = openDocuments(false, false);
  for (const doc of held) doc.dispose();
  // Their garbage is the bench's, not the server's: collected before the edits are timed.
  gc?.();

  // 2. One-line edits in a 10k-line file, the way the language server handles them: the document
  // applies the change (tree edit, cache told), parses what the edit touched, re-analyzes it
  // and converts the findings to diagnostics. Then the same through the real server over stdio.
  const tenK = syntheticSource(10_000);
  const doc = new DocumentState('file:///bench.py', 'python', 1, tenK);
  const published = toDiagnostics(doc.textDocument, analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache).map((finding) => ({ finding })));
  results['10k lines: diagnostics in each publish'] = published.length;
  const inProcess: number[] = [];
  const inProcessCpu: number[] = [];
  for (const change of oneLineEdits(tenK, 100)) {
    const t = performance.now();
    const cpu = process.cpuUsage();
    doc.applyChanges([change], doc.version + 1);
    toDiagnostics(doc.textDocument, analyzeEdited(parser, () => doc.currentTree(parser), doc.text, {}, doc.cache).map((finding) => ({ finding })));
    const used = process.cpuUsage(cpu);
    inProcess.push(performance.now() - t);
    inProcessCpu.push((used.user + used.system) / 1000);
  }
  inProcessCpu.sort((a, b) => a - b);
  doc.dispose();

  // The same with a syntax error half-way (a stray `)` before a function, as while typing): edits
  // above it are parsed alone, edits below it need the whole tree, which has missed the others.
  const lines = tenK.split('\n');
  const half = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('def '));
  const brokenText = [...lines.slice(0, half), ')', ...lines.slice(half)].join('\n');
  const broken = new DocumentState('file:///broken.py', 'python', 1, brokenText);
  analyzeEdited(parser, () => broken.currentTree(parser), broken.text, {}, broken.cache);
  const belowError: number[] = [];
  for (const change of oneLineEdits(brokenText, 100)) {
    const t = performance.now();
    broken.applyChanges([change], broken.version + 1);
    toDiagnostics(broken.textDocument, analyzeEdited(parser, () => broken.currentTree(parser), broken.text, {}, broken.cache).map((finding) => ({ finding })));
    belowError.push(performance.now() - t);
  }
  broken.dispose();
  belowError.sort((a, b) => a - b);
  inProcess.sort((a, b) => a - b);
  results['10k lines, one-line edit, in process: p50 (ms)'] = percentile(inProcess, 50).toFixed(1);
  results['10k lines, one-line edit, in process: p95 (ms)'] = percentile(inProcess, 95).toFixed(1);
  // CPU time is what the work costs when other processes compete for the cores (wall time then counts waiting).
  results['10k lines, one-line edit, in process, CPU time: p50 / p95 (ms)'] = `${percentile(inProcessCpu, 50).toFixed(1)} / ${percentile(inProcessCpu, 95).toFixed(1)}`;
  results['10k lines, one-line edit with a syntax error half-way, in process: p50 / p95 (ms)'] = `${percentile(belowError, 50).toFixed(1)} / ${percentile(belowError, 95).toFixed(1)}`;

  // The server as it ships (dist/hotpath.js), rebuilt when a source changed.
  ensureBuilt();
  const client = new TestClient();
  await client.initialize();
  const uri = 'file:///bench-server.py';
  await client.open(uri, tenK);
  await client.diagnosticsAt(uri, 1);
  const served: number[] = [];
  let version = 1;
  for (const change of oneLineEdits(tenK, 100)) {
    const t = performance.now();
    await client.change(uri, ++version, [change]);
    await client.diagnosticsAt(uri, version);
    served.push(performance.now() - t);
  }
  // The server's own account: from each change reaching it to its diagnostics written out. The
  // round trip adds the client's side (sending, reading and parsing 128 kB of JSON), on the same two cores.
  const publish = await client.connection.sendRequest<PublishLatency>(PUBLISH_LATENCY);
  await client.shutdown();
  served.sort((a, b) => a - b);
  results['10k lines, one-line edit, real server, change received -> diagnostics written: p50 / p95 (ms, target p95 <= 10)'] = `${publish.p50.toFixed(1)} / ${publish.p95.toFixed(1)}`;
  results['10k lines, one-line edit, real server, round trip (change sent -> diagnostics received): p50 / p95 (ms)'] = `${percentile(served, 50).toFixed(1)} / ${percentile(served, 95).toFixed(1)}`;

  // 3. Whole analysis of 100k lines vs ast.parse, last: its garbage would slow what follows.
  const big = syntheticSource(100_000);
  const bigFile = path.join(os.tmpdir(), 'hotpath-bench-100k.py');
  fs.writeFileSync(bigFile, big);
  let best = Infinity;
  let count = 0;
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    const tree = parseSource(parser, big);
    count = analyze(tree, big, {}).length;
    best = Math.min(best, performance.now() - t);
    tree.delete();
  }
  const astParse = pythonAstParseSeconds(bigFile, 5) * 1000;
  results['100k lines: hotpath parse+rules+fixes (ms, best of 5)'] = best.toFixed(0);
  results['100k lines: CPython ast.parse (ms, best of 5)'] = astParse.toFixed(0);
  results['100k lines: ratio hotpath / ast.parse (target <= 1.0)'] = (best / astParse).toFixed(2);
  results['100k lines: findings'] = count;

  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(width)}  ${v}`);
  fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'analyzer.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
