// Starts code-server (VS Code 1.100.3's server, web workbench and Node extension
// host) isolated in the run folder, on a free loopback port, and stops it again.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

const READY_LINE = 'HTTP server listening on';

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Resolves once code-server says it is listening; rejects if it exits first or
 * takes longer than `readyTimeoutMs`. The returned `stop()` ends its whole
 * process group (the extension host and any language server started by it).
 */
export async function startCodeServer({ harnessDir, paths, port, readyTimeoutMs = 90_000 }) {
  const entry = path.join(harnessDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed (${entry} is missing): run \`bash scripts/setup-e2e.sh\``);
  }
  const config = path.join(paths.dir, 'code-server.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const args = [
    entry,
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', paths.userData,
    '--extensions-dir', paths.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    paths.workspace,
  ];
  const env = { ...cleanEnv(process.env) };
  Object.assign(env, {
    XDG_CONFIG_HOME: paths.xdgConfig,
    XDG_DATA_HOME: paths.xdgData,
    XDG_CACHE_HOME: paths.xdgCache,
    TMPDIR: paths.tmp,
    // An empty gallery: no marketplace requests.
    EXTENSIONS_GALLERY: '{}',
    // The suite finds the run folder here (and, failing that, next to the workspace).
    HOTPATH_E2E_RUN_DIR: paths.dir,
  });

  const logFile = path.join(paths.logs, 'code-server.log');
  const log = fs.createWriteStream(logFile);
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let exited = false;
  const exitedPromise = new Promise((resolve) => child.once('exit', (code, signal) => {
    exited = true;
    resolve({ code, signal });
  }));

  const ready = new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      log.write(chunk);
      if (seen !== null) {
        seen = (seen + chunk.toString()).slice(-4096);
        if (seen.includes(READY_LINE)) {
          seen = null;
          resolve();
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exitedPromise.then(({ code, signal }) =>
      reject(new Error(`code-server exited before it was ready (code ${code}, signal ${signal}); see ${logFile}`)),
    );
  });

  const stop = async () => {
    if (!exited) {
      signalGroup(child.pid, 'SIGTERM');
      const killed = await Promise.race([exitedPromise.then(() => true), delay(5_000).then(() => false)]);
      if (!killed) signalGroup(child.pid, 'SIGKILL');
    }
    // The extension host or a language server may outlive code-server itself.
    signalGroup(child.pid, 'SIGKILL');
    await new Promise((resolve) => log.end(resolve));
  };

  try {
    await withTimeout(ready, readyTimeoutMs, `code-server did not print "${READY_LINE}" within ${readyTimeoutMs / 1000} s; see ${logFile}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { pid: child.pid, logFile, stop, exited: exitedPromise };
}

/** Drop variables that would make code-server talk to an enclosing VS Code. */
function cleanEnv(env) {
  const out = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') continue;
    out[key] = value;
  }
  return out;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
