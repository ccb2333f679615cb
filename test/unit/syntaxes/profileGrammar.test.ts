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

  it('a table row: shares, durations, the location and the function', () => {
    assert.deepEqual(tokens('  56.1%   1.80 s   60.7%   1.95 s  /abs/train.py:42  step'), [
      ['56.1%', 'constant.numeric.percent'],
      ['1.80 s', 'constant.numeric.duration'],
      ['60.7%', 'constant.numeric.percent'],
      ['1.95 s', 'constant.numeric.duration'],
      ['/abs/train.py', 'string.unquoted.path'],
      [':', 'punctuation.separator.line'],
      ['42', 'constant.numeric.line'],
      ['  step', ''],
    ]);
  });

  it('summary lines, headings and rules', () => {
    assert.deepEqual(tokens('Samples: 3150'), [
      ['Samples', 'variable.other.key'],
      [':', 'punctuation.separator.key-value'],
      ['3150', 'constant.numeric'],
    ]);
    assert.deepEqual(tokens('Hottest lines:'), [['Hottest lines:', 'markup.heading']]);
    assert.deepEqual(tokens('-----------'), [['-----------', 'comment.line.rule']]);
  });
});
