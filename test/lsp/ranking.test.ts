// Findings ranked by a loaded profile, against the real built server over stdio: the client sends
// `hotpath/didChangeProfile`, the server re-publishes the open documents' diagnostics.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { DID_CHANGE_PROFILE, type DidChangeProfileParams, type ProfileCosts } from '../../server/src/protocol';
import { ensureBuilt } from '../support/dist';
import { TestClient } from './client';

const SOURCE = `import numpy as np

def step(a, b):
    out = np.empty(len(a))
    for i in range(len(a)):
        out[i] = a[i] * b[i]
    return out

def grow(xs):
    acc = np.array([])
    for x in xs:
        acc = np.append(acc, x)
    return acc
`;
const HP101 = 'This loop computes element-wise arithmetic one element at a time in Python; the same work as a NumPy array expression runs in compiled code.';
const HP201 =
  '`acc` is grown with `np.append` on every iteration, copying all of it each time (quadratic). Collect the pieces in a list and join them once after the loop.';

const RULES = { select: ['HP101', 'HP201'], ignore: [], severity: {} };

let client: TestClient;
let dir: string;
let realFile: string;
let docUri: string;
let hideCold = false;
let version = 1;

/** A 4-second run of the file at `file`: the loop in `step` 1.9 s (lines 5-6), the growth in `grow` 20 ms. */
function profileOf(file: string): ProfileCosts {
  const line = (n: number, fn: string, s: number) => ({ path: file, line: n, function: fn, selfSeconds: s, totalSeconds: s, selfPercent: s * 25, totalPercent: s * 25 });
  return {
    durationSeconds: 4,
    lines: [line(6, 'step', 1.7), line(5, 'step', 0.2), line(12, 'grow', 0.02)],
    functions: [
      { path: file, name: 'step', line: 3, selfSeconds: 1.9, totalSeconds: 1.9, selfPercent: 47.5, totalPercent: 47.5 },
      { path: file, name: 'grow', line: 9, selfSeconds: 0.02, totalSeconds: 0.02, selfPercent: 0.5, totalPercent: 0.5 },
    ],
  };
}

const summary = (ds: Diagnostic[]) => ds.map((d) => [d.code, d.range.start.line, d.severity, d.message]);

before(async () => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotpath-ranking-'));
  fs.mkdirSync(path.join(dir, 'real'));
  realFile = path.join(fs.realpathSync(dir), 'real', 'train.py');
  fs.writeFileSync(realFile, SOURCE);
  // The editor opens the file through a symbolic link; the profile names its real path.
  fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
  docUri = pathToFileURL(path.join(dir, 'linked', 'train.py')).href;
  client = new TestClient();
  client.settingsFor = () => ({ enable: true, rules: RULES, profile: { hotThreshold: 10, coldThreshold: 1, hideColdFindings: hideCold } });
  await client.initialize();
  await client.open(docUri, SOURCE, version);
});

after(() => {
  client.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sendProfile(profile: ProfileCosts | null): Promise<void> {
  const params: DidChangeProfileParams = { profile };
  return client.connection.sendNotification(DID_CHANGE_PROFILE, params);
}

/** Waits until the document's newest diagnostics are `expected` (code, line, severity, message); fails with what came last. */
async function published(expected: unknown[][], uri = docUri): Promise<Diagnostic[]> {
  try {
    return await client.diagnostics(uri, (p) => isDeepStrictEqual(summary(p.diagnostics), expected), 5_000);
  } catch {
    assert.deepEqual(summary(client.publications(uri).at(-1)?.diagnostics ?? []), expected);
    throw new Error('unreachable');
  }
}

const PLAIN = [
  ['HP101', 4, 2, HP101],
  ['HP201', 11, 2, HP201],
];
const RANKED = [
  ['HP101', 4, 1, `This loop is 48% of the run (1.9 s). ${HP101}`],
  ['HP201', 11, 2, `This call is 0.5% of the run (20 ms). ${HP201}`],
];

describe('findings ranked by a loaded profile', () => {
  test('without a profile the findings are as the analyzer reports them', async () => {
    await published(PLAIN);
  });

  test('a profile makes the hot loop say its cost and raises it to an error; the cold call says its cost', async () => {
    await sendProfile(profileOf(realFile));
    const diagnostics = await published(RANKED);
    assert.deepEqual(
      diagnostics.map((d) => [(d.data as { region: unknown }).region, (d.data as { cost: unknown }).cost]),
      [
        [{ startLine: 4, endLine: 5 }, { seconds: 1.9, percent: 47.5, heat: 'hot' }],
        [{ startLine: 11, endLine: 11 }, { seconds: 0.02, percent: 0.5, heat: 'cold' }],
      ],
    );
  });

  test('hotpath.profile.hideColdFindings hides the cold finding, and only in a measured file', async () => {
    hideCold = true;
    try {
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await published([RANKED[0]]);
      // A file the profile did not measure keeps all its findings, unranked.
      const other = `untitled:Untitled-ranking`;
      await client.open(other, SOURCE, 1);
      await published(PLAIN, other);
      await client.close(other);
    } finally {
      hideCold = false;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    }
    await published(RANKED);
  });

  test('clearing the profile (null) brings back the plain findings', async () => {
    await sendProfile(null);
    await published(PLAIN);
  });

  test('a malformed notification is survived: nothing is ranked and the server keeps serving', async () => {
    await sendProfile(profileOf(realFile));
    await published(RANKED);
    await client.connection.sendNotification(DID_CHANGE_PROFILE, { profile: { durationSeconds: 'soon', lines: 7 } });
    await published(PLAIN);
  });
});
