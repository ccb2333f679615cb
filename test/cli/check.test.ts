// `hotpath check` as users run it: exit codes, output formats, paths, configuration, bad input.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, repoRoot } from '../support/dist';
import { applySpecEdits, hotpath, type SpecEdit } from './run';

const fixtures = 'test/fixtures/cli';
const growth = `${fixtures}/growth.py`;
const invariant = `${fixtures}/invariant.py`;
const clean = `${fixtures}/clean.py`;
// The rules these tests exercise; other rules may also have something to say about the fixtures.
const FOCUS = '--select=HP201,HP501';

interface JsonFinding extends Omit<SpecEdit, 'newText'> {
  path: string;
  rule: string;
  category: string;
  severity: string;
  message: string;
  fixes: { title: string; edits: SpecEdit[] }[];
}

function checkJson(args: string[], cwd?: string) {
  const result = hotpath(['check', '--format', 'json', ...args], cwd);
  const output = JSON.parse(result.stdout) as { version: number; findings: JsonFinding[] };
  return { ...result, output };
}

let tmp: string;
before(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-cli-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `files` (path -> text or bytes) under a fresh directory of tmp and returns its path. */
function tree(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = path.join(tmp, name);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

const GROWTH_SOURCE = fs.readFileSync(path.join(repoRoot, growth), 'utf8');

describe('exit codes', () => {
  test('0 when clean, with a summary line', () => {
    const r = hotpath(['check', FOCUS, clean]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'No findings in 1 file.\n');
    assert.equal(r.stderr, '');
  });

  test('1 when there are findings, one text line each', () => {
    const r = hotpath(['check', FOCUS, growth]);
    assert.equal(r.code, 1, r.stderr);
    const [first, summary] = r.stdout.trimEnd().split('\n');
    assert.match(first, /^test\/fixtures\/cli\/growth\.py:7:15: HP201 \[array-growth\] .*np\.append/);
    assert.equal(summary, 'Found 1 finding in 1 file (1 with a fix; 1 file checked).');
  });

  for (const [name, args, message] of [
    ['an unknown flag', ['check', '--frobnicate', clean], /Unknown option '--frobnicate'/],
    ['no path', ['check'], /no path given/],
    ['a missing path', ['check', 'does/not/exist.py'], /does\/not\/exist\.py: no such file or directory/],
    ['an unknown format', ['check', '--format', 'xml', clean], /unknown format 'xml'/],
    ['an unknown rule', ['check', '--select', 'HP1,array-growth', clean], /--select: unknown rule id or category: HP1/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
  ] as const) {
    test(`2 on a usage error: ${name}`, () => {
      const r = hotpath([...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^hotpath: error: /);
      assert.match(r.stderr, message);
    });
  }
});

describe('--format json', () => {
  test('follows the findings spec: 1-based lines, code-point columns, exclusive end, fixes as line/column edits', () => {
    const { code, output } = checkJson([FOCUS, growth]);
    assert.equal(code, 1);
    assert.equal(output.version, 1);
    assert.equal(output.findings.length, 1);
    const f = output.findings[0];
    assert.deepEqual(Object.keys(f), ['path', 'line', 'column', 'endLine', 'endColumn', 'rule', 'category', 'severity', 'message', 'fixes']);
    assert.deepEqual(
      { path: f.path, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, rule: f.rule, category: f.category, severity: f.severity },
      { path: growth, line: 7, column: 15, endLine: 7, endColumn: 36, rule: 'HP201', category: 'array-growth', severity: 'warning' },
    );
    // The range covers exactly the growing call.
    const line7 = GROWTH_SOURCE.split('\n')[6];
    assert.equal(line7.slice(f.column - 1, f.endColumn - 1), 'np.append(out, x * 2)');
    assert.match(f.message, /np\.append/);
    assert.ok(f.fixes.length >= 1);
    for (const fix of f.fixes) {
      assert.equal(typeof fix.title, 'string');
      for (const e of fix.edits) assert.deepEqual(Object.keys(e), ['line', 'column', 'endLine', 'endColumn', 'newText']);
    }
  });

  test('each fix, applied from its line/column edits, leaves a file without the finding', () => {
    for (const file of [growth, invariant]) {
      const source = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      const { output } = checkJson([FOCUS, file]);
      const [finding] = output.findings;
      assert.ok(finding, `${file} has a finding`);
      for (const [i, fix] of finding.fixes.entries()) {
        const fixedPath = path.join(tmp, `fixed-${i}-${path.basename(file)}`);
        fs.writeFileSync(fixedPath, applySpecEdits(source, fix.edits));
        const after = checkJson([fixedPath]);
        assert.deepEqual(after.output.findings.filter((g) => g.rule === finding.rule), [], `${file}: fix "${fix.title}" leaves no ${finding.rule}`);
      }
    }
  });

  test('HP501 offers a fix that hoists the call', () => {
    const { output } = checkJson([FOCUS, invariant]);
    assert.equal(output.findings.length, 1);
    const [f] = output.findings;
    assert.equal(f.rule, 'HP501');
    assert.equal(f.category, 'loop-invariant-call');
    assert.equal(f.line, 7);
    assert.match(f.fixes[0]?.title ?? '', /^Hoist/);
  });

  test('--select and --ignore take ids and categories', () => {
    assert.deepEqual(checkJson(['--select', 'HP501', growth, invariant]).output.findings.map((f) => f.rule), ['HP501']);
    assert.deepEqual(checkJson([FOCUS, '--ignore', 'loop-invariant-call', growth, invariant]).output.findings.map((f) => f.rule), ['HP201']);
    const none = checkJson(['--select=array-growth', '--ignore=HP201', growth]);
    assert.equal(none.code, 0);
    assert.deepEqual(none.output, { version: 1, findings: [] });
  });
});

describe('--format sarif', () => {
  test('is SARIF 2.1.0 with rules, results, locations and fixes', () => {
    const r = hotpath(['check', '--format', 'sarif', FOCUS, growth, clean]);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'hotpath');
    const rules = run.tool.driver.rules as { id: string; name: string; shortDescription: { text: string }; help: { markdown: string } }[];
    const hp201 = rules.find((rule) => rule.id === 'HP201');
    assert.ok(hp201, 'HP201 is among the rules');
    assert.match(hp201.name, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(hp201.shortDescription.text.length > 0);
    assert.ok(hp201.help.markdown.length > 0);
    assert.equal(run.columnKind, 'unicodeCodePoints');
    assert.equal(run.results.length, 1);
    const result = run.results[0];
    assert.equal(result.ruleId, 'HP201');
    assert.equal(rules[result.ruleIndex].id, 'HP201');
    assert.equal(result.level, 'warning');
    const location = result.locations[0].physicalLocation;
    assert.equal(location.artifactLocation.uri, growth);
    assert.deepEqual(location.region, { startLine: 7, startColumn: 15, endLine: 7, endColumn: 36 });
    const change = result.fixes[0].artifactChanges[0];
    assert.equal(change.artifactLocation.uri, growth);
    assert.ok(change.replacements.length > 0);
    assert.ok('startLine' in change.replacements[0].deletedRegion);
    assert.equal(typeof change.replacements[0].insertedContent.text, 'string');
  });
});

describe('paths', () => {
  test('directories are searched recursively, skipping .git, virtual environments and caches', () => {
    const growthText = GROWTH_SOURCE;
    tree('walk', {
      'proj/a.py': growthText,
      'proj/pkg/b.py': growthText,
      'proj/pkg/notes.txt': growthText,
      'proj/.git/hooks/c.py': growthText,
      'proj/.venv/lib/d.py': growthText,
      'proj/venv/e.py': growthText,
      'proj/env-any-name/pyvenv.cfg': 'home = /usr/bin\n',
      'proj/env-any-name/lib/f.py': growthText,
      'proj/node_modules/g.py': growthText,
      'proj/pkg/__pycache__/h.py': growthText,
      'proj/lib/site-packages/i.py': growthText,
      'proj/.tox/j.py': growthText,
    });
    const cwd = path.join(tmp, 'walk');
    const { output, stderr } = checkJson([FOCUS, 'proj'], cwd);
    assert.equal(stderr, '');
    assert.deepEqual(output.findings.map((f) => f.path), ['proj/a.py', 'proj/pkg/b.py']);
  });

  test('paths stay as given: relative, with ./ or a trailing slash, or absolute', () => {
    const cwd = path.join(tmp, 'walk');
    assert.deepEqual(checkJson([FOCUS, './proj/pkg/'], cwd).output.findings.map((f) => f.path), ['./proj/pkg/b.py']);
    assert.deepEqual(checkJson([FOCUS, 'proj/a.py'], cwd).output.findings.map((f) => f.path), ['proj/a.py']);
    const absolute = path.join(cwd, 'proj', 'a.py');
    assert.deepEqual(checkJson([FOCUS, absolute]).output.findings.map((f) => f.path), [absolute]);
  });

  test('a file named twice is reported once', () => {
    const { output } = checkJson([FOCUS, growth, fixtures, `./${growth}`]);
    assert.deepEqual(output.findings.map((f) => f.path), [growth, invariant]);
  });
});

describe('[tool.hotpath] in pyproject.toml', () => {
  test('the nearest pyproject.toml with the table applies; flags layer over it', () => {
    const dir = tree('config', {
      'pyproject.toml':
        '[project]\nname = "demo"\n\n[tool.hotpath]\nselect = ["HP201", "HP501"]\nignore = ["loop-invariant-call"]\nseverity = { HP201 = "error" }\n',
      'src/growth.py': GROWTH_SOURCE,
      'src/invariant.py': fs.readFileSync(path.join(repoRoot, invariant), 'utf8'),
      // A pyproject.toml without [tool.hotpath] does not hide the one above it.
      'src/pyproject.toml': '[project]\nname = "inner"\n',
      'other/pyproject.toml': '[tool.hotpath]\nselect = ["HP501"]\n',
      'other/growth.py': GROWTH_SOURCE,
    });
    const inSrc = checkJson(['src'], dir);
    assert.deepEqual(inSrc.output.findings.map((f) => [f.path, f.rule, f.severity]), [['src/growth.py', 'HP201', 'error']]);
    assert.equal(checkJson(['other'], dir).code, 0);
    // --select replaces the file's select; ignore lists add up.
    assert.deepEqual(checkJson(['--select', 'HP201', 'other'], dir).output.findings.map((f) => f.rule), ['HP201']);
    assert.equal(checkJson(['--ignore', 'HP201', 'src'], dir).code, 0);
  });

  test('an invalid pyproject.toml is a warning, not a crash', () => {
    const dir = tree('badconfig', {
      'pyproject.toml': '[tool.hotpath]\nselect = "HP201"\nseverity = { HP201 = "loud" }\n',
      'growth.py': GROWTH_SOURCE,
      'broken/pyproject.toml': '[tool.hotpath\nselect = [\n',
      'broken/growth.py': GROWTH_SOURCE,
    });
    const r = checkJson([FOCUS, '.'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(r.output.findings.map((f) => [f.path, f.severity]), [['./growth.py', 'warning'], ['./broken/growth.py', 'warning']]);
    assert.match(r.stderr, /`select` must be a list/);
    assert.match(r.stderr, /`severity\.HP201` must be/);
    assert.match(r.stderr, /broken\/pyproject\.toml: invalid TOML/);
  });
});

describe('bad input', () => {
  test('binary and non-UTF-8 files are skipped with a one-line warning each; the rest is checked', () => {
    const dir = tree('bad', {
      'a_binary.py': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0x00]),
      'b_latin1.py': Buffer.from('x = "caf\xe9"\n', 'latin1'),
      'c_growth.py': GROWTH_SOURCE,
    });
    const r = checkJson([FOCUS, '.'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(r.output.findings.map((f) => f.path), ['./c_growth.py']);
    assert.deepEqual(r.stderr.trimEnd().split('\n'), [
      'hotpath: warning: ./a_binary.py: skipped: binary file (contains NUL bytes)',
      'hotpath: warning: ./b_latin1.py: skipped: not valid UTF-8',
    ]);
  });

  test('empty files, BOM, CRLF and tabs: positions stay right', () => {
    const crlfTabs = '\ufeffimport numpy as np\r\ndef f(xs):\r\n\tout = np.array([])\r\n\tfor x in xs:\r\n\t\tout = np.append(out, x)\r\n\treturn out\r\n';
    const dir = tree('text', { 'empty.py': '', 'crlf.py': crlfTabs, 'blank.py': '\n\n   \n' });
    const r = checkJson([FOCUS, '.'], dir);
    assert.equal(r.stderr, '');
    assert.deepEqual(r.output.findings.map((f) => [f.path, f.rule, f.line, f.column, f.endLine, f.endColumn]), [['./crlf.py', 'HP201', 5, 9, 5, 9 + 'np.append(out, x)'.length]]);
  });

  test('columns count code points, not UTF-16 units', () => {
    const source = GROWTH_SOURCE.replace('        out = np.append(out, x * 2)', '        label = "🚀"; out = np.append(out, x * 2)');
    const dir = tree('unicode', { 'u.py': source });
    const [f] = checkJson([FOCUS, 'u.py'], dir).output.findings;
    const prefix = '        label = "🚀"; out = ';
    assert.equal(f.column, [...prefix].length + 1);
    assert.equal(f.endColumn, f.column + 'np.append(out, x * 2)'.length);
  });

  test('10,000-deep nesting and a 50 MB file do not crash it', () => {
    const deep = `x = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\ny = ${'['.repeat(10_000)}\n`;
    const dir = tree('huge', { 'deep.py': deep, 'growth.py': GROWTH_SOURCE });
    fs.writeFileSync(path.join(dir, 'huge.py'), Buffer.alloc(50 * 1024 * 1024, 'x = 1\n'));
    const r = checkJson([FOCUS, '.'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(r.output.findings.map((f) => f.path), ['./growth.py']);
    assert.match(r.stderr, /^hotpath: warning: \.\/huge\.py: skipped: file too large to analyze \(50\.0 MB; the limit is 10\.0 MB\)$/m);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  });
});

describe('the shared corpus', () => {
  const shared = path.resolve(repoRoot, '..', 'shared');
  const corpus = path.join(shared, 'corpus', 'public');
  const missing = !fs.existsSync(corpus) && `no corpus at ${corpus} (the shared folder sits beside the repository in CI)`;

  test('check --format json ../shared/corpus/public prints valid JSON about its files', { skip: missing }, () => {
    const arg = path.relative(repoRoot, corpus);
    const started = Date.now();
    const { code, output, stderr } = checkJson([arg]);
    assert.ok(code === 0 || code === 1, `exit code ${code}: ${stderr}`);
    assert.equal(output.version, 1);
    assert.ok(Array.isArray(output.findings));
    for (const f of output.findings) {
      assert.ok(f.path.startsWith(`${arg}/`), f.path);
      assert.ok(f.line >= 1 && f.column >= 1, `${f.path}:${f.line}:${f.column}`);
    }
    assert.ok(Date.now() - started < 40_000, 'well within the 40 s the hook allows');
  });
});
