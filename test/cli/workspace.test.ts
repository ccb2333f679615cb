// Reading sources and project configuration: the pieces `check` and the server share.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { mergeRuleOptions, readRuleOptions } from '../../server/src/workspace/options';
import { ProjectConfigLoader } from '../../server/src/workspace/pyproject';
import { decodeSource, MAX_SOURCE_LENGTH, readSourceFile } from '../../server/src/workspace/sourceFile';

test('a file deleted between listing and reading is a reason, not an exception', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ws-'));
  const file = path.join(dir, 'gone.py');
  fs.writeFileSync(file, 'x = 1\n');
  fs.rmSync(dir, { recursive: true });
  assert.deepEqual(readSourceFile(file), { ok: false, reason: 'no such file or directory' });
});

test('decoding: a BOM is dropped, CRLF kept, NUL bytes and invalid UTF-8 refused, size capped', () => {
  assert.deepEqual(decodeSource(Buffer.from('\ufeffx = 1\r\n')), { ok: true, text: 'x = 1\r\n' });
  assert.deepEqual(decodeSource(Buffer.from('')), { ok: true, text: '' });
  assert.deepEqual(decodeSource(Buffer.from([0x78, 0x00])), { ok: false, reason: 'binary file (contains NUL bytes)' });
  assert.deepEqual(decodeSource(Buffer.from([0x78, 0xc3, 0x28])), { ok: false, reason: 'not valid UTF-8' });
  const big = decodeSource(Buffer.alloc(MAX_SOURCE_LENGTH + 1, 0x20));
  assert.equal(big.ok, false);
});

test('editor or command-line options layer over [tool.hotpath]', () => {
  const base = { select: ['HP201'], ignore: ['HP101'], severity: { HP201: 'error' as const, 'gpu-sync': 'hint' as const } };
  assert.deepEqual(mergeRuleOptions(base, {}), base);
  assert.deepEqual(mergeRuleOptions(base, { select: ['array-growth'], ignore: ['HP501'], severity: { HP201: 'hint' } }), {
    select: ['array-growth'],
    ignore: ['HP101', 'HP501'],
    severity: { HP201: 'hint', 'gpu-sync': 'hint' },
  });
  assert.deepEqual(mergeRuleOptions(undefined, { select: [], ignore: [] }), {});
});

test('rule options are validated, keeping what is valid', () => {
  const { options, problems } = readRuleOptions({ select: ['hp201', 'array-growth', 'nonsense'], ignore: 'HP101', severity: { hp501: 'info', HP201: 'loud' } }, 'here');
  assert.deepEqual(options, { select: ['hp201', 'array-growth'], severity: { HP501: 'information' } });
  assert.deepEqual(problems, [
    'here: unknown rule id or category in `select`: nonsense',
    'here: `ignore` must be a list of rule ids or categories; ignored',
    'here: `severity.HP201` must be "error", "warning", "information" or "hint"',
  ]);
});

test('the nearest pyproject.toml with [tool.hotpath] applies, found once per directory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ws-'));
  try {
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'pyproject.toml'), '[tool.hotpath]\nignore = ["HP101"]\n');
    fs.writeFileSync(path.join(dir, 'a', 'pyproject.toml'), '[tool.black]\nline-length = 100\n');
    const loader = new ProjectConfigLoader();
    const config = loader.forFile(path.join(dir, 'a', 'b', 'x.py'));
    assert.equal(config?.file, path.join(dir, 'pyproject.toml'));
    assert.deepEqual(config?.options, { ignore: ['HP101'] });
    fs.writeFileSync(path.join(dir, 'a', 'pyproject.toml'), '[tool.hotpath]\nignore = ["HP501"]\n');
    assert.equal(loader.forFile(path.join(dir, 'a', 'b', 'x.py')), config, 'remembered until cleared');
    loader.clear();
    assert.deepEqual(loader.forFile(path.join(dir, 'a', 'b', 'x.py'))?.options, { ignore: ['HP501'] });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
