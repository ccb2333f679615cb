// Where a run writes. Artifacts worth reading (the copied workspace, logs,
// screenshots, results) go to a fresh folder under .test-artifacts/e2e/. Profiles
// and caches (VS Code's user data, XDG dirs, TMPDIR, Chromium's profile) go to a
// short scratch folder in the system temp dir, removed after the run: unix socket
// paths (VS Code's IPC handles) must stay under 108 characters, which a
// repository checked out deep in a CI runner would exceed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const KEEP_RUNS = 5;

/** Settings for the test profile: no walkthrough, no prompts over the screenshots. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'git.openRepositoryInParentFolders': 'never',
  'git.autoRepositoryDetection': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
};

export function makeRunFolder(repoRoot) {
  const base = path.join(repoRoot, '.test-artifacts', 'e2e');
  fs.mkdirSync(base, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  let dir = path.join(base, `run-${stamp}`);
  for (let i = 2; fs.existsSync(dir); i++) dir = path.join(base, `run-${stamp}-${i}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hp-e2e-'));

  const paths = {
    dir,
    workspace: path.join(dir, 'workspace'),
    signals: path.join(dir, 'signals'),
    screenshots: path.join(dir, 'screenshots'),
    logs: path.join(dir, 'logs'),
    scratch,
    userData: path.join(scratch, 'user-data'),
    extensions: path.join(scratch, 'extensions'),
    xdgConfig: path.join(scratch, 'xdg', 'config'),
    xdgData: path.join(scratch, 'xdg', 'data'),
    xdgCache: path.join(scratch, 'xdg', 'cache'),
    tmp: path.join(scratch, 'tmp'),
    home: path.join(scratch, 'home'),
    chromium: path.join(scratch, 'chromium'),
  };
  for (const p of Object.values(paths)) fs.mkdirSync(p, { recursive: true });
  fs.cpSync(path.join(repoRoot, 'test', 'e2e', 'workspace'), paths.workspace, { recursive: true });
  fs.mkdirSync(path.join(paths.userData, 'User'), { recursive: true });
  // Profiles run with the project's virtual environment (NumPy, py-spy), as a developer would set it.
  const venvPython = path.join(repoRoot, '.venv', 'bin', 'python');
  const settings = fs.existsSync(venvPython) ? { ...USER_SETTINGS, 'hotpath.pythonPath': venvPython } : USER_SETTINGS;
  fs.writeFileSync(path.join(paths.userData, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);

  const latest = path.join(base, 'latest');
  try {
    fs.rmSync(latest, { force: true });
    fs.symlinkSync(path.basename(dir), latest);
  } catch {
    // Another run made it at the same moment; only a convenience.
  }
  pruneOldRuns(base);
  return paths;
}

/** Keeps VS Code's own logs (extension host, server) with the artifacts, then drops the scratch folder. */
export function removeScratch(paths) {
  const vscodeLogs = path.join(paths.userData, 'logs');
  try {
    fs.cpSync(vscodeLogs, path.join(paths.logs, 'vscode'), { recursive: true });
  } catch {
    // No logs were written (code-server did not start).
  }
  fs.rmSync(paths.scratch, { recursive: true, force: true });
}

function pruneOldRuns(base) {
  const runs = fs
    .readdirSync(base)
    .filter((name) => name.startsWith('run-'))
    .sort();
  for (const name of runs.slice(0, Math.max(0, runs.length - KEEP_RUNS))) {
    fs.rmSync(path.join(base, name), { recursive: true, force: true });
  }
}
