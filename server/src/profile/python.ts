// Where the shipped Python package (server/python) is, and how the target's environment reaches it.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The folder that holds `hotpath_sampler`: next to the bundle (dist/) or the sources. */
export function samplerRoot(): string {
  const candidates = [
    path.resolve(__dirname, '..', 'server', 'python'), // dist/hotpath.js, dist/extension.js
    path.resolve(__dirname, '..', '..', 'python'), // server/src/profile/*.ts under tsx
    path.resolve(__dirname, '..', '..', '..', 'server', 'python'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'hotpath_sampler', '__init__.py')));
  if (!found) throw new Error(`the hotpath_sampler Python package is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** The environment for `python -m hotpath_sampler`: our package first on PYTHONPATH; the sampler
 * puts the target's own PYTHONPATH back before the target runs. */
export function samplerEnv(base: NodeJS.ProcessEnv, root = samplerRoot()): NodeJS.ProcessEnv {
  const original = base.PYTHONPATH ?? '';
  return {
    ...base,
    PYTHONPATH: original ? `${root}${path.delimiter}${original}` : root,
    HOTPATH_ORIGINAL_PYTHONPATH: original,
  };
}
