// The TextMate grammar of `syntaxes/` tokenizes folded stacks and profile text as VS Code would
// (vscode-textmate with the Oniguruma regular expressions VS Code uses).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { repoRoot } from '../../support/dist';

const GRAMMAR = path.join(repoRoot, 'syntaxes', 'hotpath-profile.tmLanguage.json');
const SUFFIX = '.hotpath-profile';

let grammar: textmate.IGrammar;

before(async () => {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) =>
      scope === 'text.hotpath-profile' ? textmate.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR) : null,
  });
  const loaded = await registry.loadGrammar('text.hotpath-profile');
  assert.ok(loaded);
  grammar = loaded;
});

/** Each token of `line` with its innermost Hotpath scope below the file's (suffix dropped), whitespace-only tokens left out. */
function tokens(line: string): [string, string][] {
  const { tokens: found } = grammar.tokenizeLine(line, textmate.INITIAL);
  return found
    .map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes.slice(1).filter((s) => s.endsWith(SUFFIX)).at(-1)?.slice(0, -SUFFIX.length) ?? ''])
    .filter(([text]) => text.trim() !== '');
}

describe('hotpath-profile grammar', () => {
  it('folded stacks: functions, file and line, separators and the count', () => {
    assert.deepEqual(tokens('<module> (train.py:40);main (train.py:31);step (/abs/train.py:12) 137'), [
      ['<module>', 'entity.name.function'],
      [' (', ''],
      ['train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['40', 'constant.numeric.line'],
      [')', ''],
      [';', 'punctuation.separator.frame'],
      ['main', 'entity.name.function'],
      [' (', ''],
      ['train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['31', 'constant.numeric.line'],
      [')', ''],
      [';', 'punctuation.separator.frame'],
      ['step', 'entity.name.function'],
      [' (', ''],
      ['/abs/train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['12', 'constant.numeric.line'],
      [')', ''],
      ['137', 'constant.numeric.count'],
    ]);
    assert.deepEqual(tokens('main;step 5'), [
      ['main', 'entity.name.function'],
      [';', 'punctuation.separator.frame'],
      ['step', 'entity.name.function'],
      ['5', 'constant.numeric.count'],
    ]);
  });

  it('the title of `hotpath profile --format text`: backend, mode, duration, samples', () => {
    assert.deepEqual(tokens('hotpath profile: builtin backend, wall mode, 3.210 s, 3150 samples'), [
      ['hotpath profile', 'markup.heading.title'],
      [':', 'punctuation.separator.key-value'],
      ['builtin', 'constant.language.backend'],
      [' backend, ', ''],
      ['wall', 'constant.language.mode'],
      [' mode, ', ''],
      ['3.210 s', 'constant.numeric.duration'],
      [', ', ''],
      ['3150', 'constant.numeric'],
      [' samples', ''],
    ]);
  });

  it('section headings and column names', () => {
    assert.deepEqual(tokens('Lines, by total time:'), [['Lines, by total time:', 'markup.heading']]);
    assert.deepEqual(tokens('    total  total%      self   self%  line'), [['    total  total%      self   self%  line', 'markup.heading.columns']]);
    assert.deepEqual(tokens('   kernel kernels  syncs  line'), [['   kernel kernels  syncs  line', 'markup.heading.columns']]);
  });

  it('a line row: times, shares, the location and its function', () => {
    assert.deepEqual(tokens('   1.950s   60.7%    1.800s   56.1%  train.py:42 (step)'), [
      ['1.950s', 'constant.numeric.duration'],
      ['60.7%', 'constant.numeric.percent'],
      ['1.800s', 'constant.numeric.duration'],
      ['56.1%', 'constant.numeric.percent'],
      ['train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['42', 'constant.numeric.line'],
      [' (', ''],
      ['step', 'entity.name.function'],
      [')', ''],
    ]);
  });

  it('a function row and a GPU row', () => {
    assert.deepEqual(tokens('   2.950s   91.9%    1.900s   59.2%  Trainer.step (/abs/train.py:30)'), [
      ['2.950s', 'constant.numeric.duration'],
      ['91.9%', 'constant.numeric.percent'],
      ['1.900s', 'constant.numeric.duration'],
      ['59.2%', 'constant.numeric.percent'],
      ['Trainer.step', 'entity.name.function'],
      [' (', ''],
      ['/abs/train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['30', 'constant.numeric.line'],
      [')', ''],
    ]);
    assert.deepEqual(tokens('   0.800s     120      3  train.py:42'), [
      ['0.800s', 'constant.numeric.duration'],
      ['120', 'constant.numeric'],
      ['3', 'constant.numeric'],
      ['train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['42', 'constant.numeric.line'],
    ]);
    assert.deepEqual(tokens('GPU idle: 0.100 s'), [
      ['GPU idle', 'variable.other.key'],
      [':', 'punctuation.separator.key-value'],
      ['0.100 s', 'constant.numeric.duration'],
    ]);
  });

  it('summary lines and rules', () => {
    assert.deepEqual(tokens('Samples: 3150'), [
      ['Samples', 'variable.other.key'],
      [':', 'punctuation.separator.key-value'],
      ['3150', 'constant.numeric'],
    ]);
    assert.deepEqual(tokens('-----------'), [['-----------', 'comment.line.rule']]);
  });
});
