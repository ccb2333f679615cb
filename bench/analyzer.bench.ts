// Analyzer speed and memory (issue 2's targets), printed as a table:
//  1. whole analysis (parse, all rules, fixes) of a 100k-line file vs CPython's ast.parse, same run;
//  2. one-line edits in a 10k-line file: incremental reparse + re-analysis, p50/p95;
//  3. memory held per open 10k-line document (tree + caches).
// Run: npm run bench  (uses python3 from PATH for the ast.parse side)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, AnalysisCache } from '../server/src/analyzer/analyze';
import { createParser, parseSource } from '../server/src/analyzer/parse';

const ROOT = path.resolve(__dirname, '..');

/** A realistic file of `lines` lines, made of the project's own Python examples and fixtures. */
function syntheticSource(lines: number): string {
  const dirs = ['test/fixtures/rules', 'examples', 'test/e2e/workspace'].map((d) => path.join(ROOT, d));
  const parts = dirs
    .filter((d) => fs.existsSync(d))
    .flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.py')).map((f) => fs.readFileSync(path.join(d, f), 'utf8')));
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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const parser = await createParser();
  const results: Record<string, number | string> = {};

  // 1. Whole analysis of 100k lines vs ast.parse.
  const big = syntheticSource(100_000);
  const bigFile = path.join(os.tmpdir(), 'hotpath-bench-100k.py');
  fs.writeFileSync(bigFile, big);
  let best = Infinity;
  let count = 0;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const tree = parseSource(parser, big);
    count = analyze(tree, big, {}).length;
    best = Math.min(best, performance.now() - t);
    tree.delete();
  }
  const astParse = pythonAstParseSeconds(bigFile, 3) * 1000;
  results['100k lines: hotpath parse+rules+fixes (ms, best of 3)'] = best.toFixed(0);
  results['100k lines: CPython ast.parse (ms, best of 3)'] = astParse.toFixed(0);
  results['100k lines: ratio hotpath / ast.parse (target <= 1.0)'] = (best / astParse).toFixed(2);
  results['100k lines: findings'] = count;

  // 2. One-line edits in a 10k-line file.
  let text = syntheticSource(10_000);
  const cache = new AnalysisCache();
  let tree = parseSource(parser, text);
  analyze(tree, text, {}, cache);
  const times: number[] = [];
  const edits = 60;
  for (let k = 0; k < edits; k++) {
    const lineStart = text.indexOf('\n', Math.floor((text.length * (k + 0.5)) / edits)) + 1;
    const at = text.indexOf('\n', lineStart);
    const before = text.slice(0, at);
    const row = before.split('\n').length - 1;
    const column = at - (before.lastIndexOf('\n') + 1);
    const t = performance.now();
    text = `${before} ${text.slice(at)}`;
    tree.edit({
      startIndex: at, oldEndIndex: at, newEndIndex: at + 1,
      startPosition: { row, column }, oldEndPosition: { row, column }, newEndPosition: { row, column: column + 1 },
    });
    const next = parseSource(parser, text, tree);
    tree.delete();
    tree = next;
    analyze(tree, text, {}, cache);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  results['10k lines, one-line edit: reparse+re-analysis p50 (ms)'] = percentile(times, 50).toFixed(1);
  results['10k lines, one-line edit: reparse+re-analysis p95 (ms, target <= 10)'] = percentile(times, 95).toFixed(1);
  tree.delete();

  // 3. Memory per open 10k-line document: trees and caches held for several documents.
  const gc = (globalThis as { gc?: () => void }).gc;
  const docs = 8;
  gc?.();
  const base = process.memoryUsage().rss;
  const held: { tree: ReturnType<typeof parseSource>; cache: AnalysisCache }[] = [];
  for (let d = 0; d < docs; d++) {
    const source = syntheticSource(10_000).replace(/^/, `# document ${d}\n`);
    const c = new AnalysisCache();
    const t = parseSource(parser, source);
    analyze(t, source, {}, c);
    held.push({ tree: t, cache: c });
  }
  gc?.();
  const perDoc = (process.memoryUsage().rss - base) / docs / 2 ** 20;
  results['memory per open 10k-line document (MB, RSS growth, target < 20)'] = perDoc.toFixed(1);
  for (const h of held) h.tree.delete();

  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [k, v] of Object.entries(results)) console.log(`${k.padEnd(width)}  ${v}`);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'analyzer.json'), `${JSON.stringify(results, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
