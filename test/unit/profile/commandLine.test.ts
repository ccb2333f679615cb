import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePythonProcesses, splitArgs } from '../../../src/profile/commandLine';

test('splitArgs splits words and keeps quoted spaces, like a shell', () => {
  assert.deepEqual(splitArgs('--epochs 3  --name "my run" \'a b\' c\\ d'), ['--epochs', '3', '--name', 'my run', 'a b', 'c d']);
  assert.deepEqual(splitArgs('""'), ['']);
  assert.deepEqual(splitArgs('  '), []);
  assert.deepEqual(splitArgs('--msg "say \\"hi\\""'), ['--msg', 'say "hi"']);
});

test('splitArgs rejects an unclosed quote', () => {
  assert.throws(() => splitArgs('--name "my run'), /unclosed " quote/);
});

test('parsePythonProcesses keeps python, python3 and python3.11 executables, not other commands', () => {
  const ps = [
    '    1 /sbin/init',
    '  812 /usr/bin/python3 train.py --epochs 3',
    '  813 /work/.venv/bin/python3.11 -m torch.distributed.run',
    '  900 node /work/dist/hotpath.js server',
    '  901 python serve.py',
    '  902 /usr/bin/pythonista',
    '  950 /usr/bin/python3 -c pass',
  ].join('\n');
  assert.deepEqual(parsePythonProcesses(ps, [950]), [
    { pid: 812, command: '/usr/bin/python3 train.py --epochs 3' },
    { pid: 813, command: '/work/.venv/bin/python3.11 -m torch.distributed.run' },
    { pid: 901, command: 'python serve.py' },
  ]);
});
