// One activation of the built extension (dist/extension.js) in a fresh Node process, with the
// `vscode` module replaced by a stub that accepts any call: prints how long loading the bundle
// and running activate() took. Spawned by bench/activation.bench.ts.
'use strict';
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

/** Any property, call or `new` gives another stub; `then` is absent so nothing awaits it forever. */
function stub(name) {
  const cache = new Map();
  const target = function () {};
  return new Proxy(target, {
    get(_, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === Symbol.iterator) return function* () {};
      if (!cache.has(key)) cache.set(key, stub(`${name}.${String(key)}`));
      return cache.get(key);
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

// esbuild's interop copies the module's own keys: list every namespace, class and enum of the API.
const declarations = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const apiNames = [...new Set([...declarations.matchAll(/^\s*export (?:namespace|class|enum) (\w+)/gm)].map((m) => m[1]))];
const vscode = Object.fromEntries(apiNames.map((name) => [name, stub(`vscode.${name}`)]));
// The language client checks the host's version against its own engine requirement.
vscode.version = '1.100.3';
const load = Module._load;
Module._load = function (request, parent, isMain) {
  return request === 'vscode' ? vscode : load.call(this, request, parent, isMain);
};

const root = path.resolve(__dirname, '..');
const context = {
  subscriptions: [],
  extensionUri: stub('extensionUri'),
  extensionPath: root,
  asAbsolutePath: (p) => path.join(root, p),
  storageUri: undefined,
  globalStorageUri: stub('globalStorageUri'),
  workspaceState: stub('workspaceState'),
  globalState: stub('globalState'),
};

const t0 = performance.now();
const extension = require(path.join(root, 'dist', 'extension.js'));
const t1 = performance.now();
Promise.resolve(extension.activate(context)).then(() => {
  const t2 = performance.now();
  process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, activateMs: t2 - t1 })}\n`);
  // The language client may have started the server; this process is done either way.
  process.exit(0);
});
