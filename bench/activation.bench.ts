// Activation time of the esbuild bundle (issue 4's target: under 100 ms): loading dist/extension.js
// and running activate(), each in a fresh Node process (nothing cached), with a stub `vscode`
// module (bench/activationProbe.cjs). VS Code counts both as the extension's activation time. The
// language server starts after activation (not awaited), so it is not part of the figure.
// Run: npm run -s build && npx tsx bench/activation.bench.ts [RUNS]
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const RUNS = Number(process.argv[2] ?? 15);
const probe = path.join(__dirname, 'activationProbe.cjs');

const runs = Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, [probe], { encoding: 'utf8' })) as { loadMs: number; activateMs: number });
const totals = runs.map((r) => r.loadMs + r.activateMs).sort((a, b) => a - b);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`activation over ${RUNS} fresh processes (ms): load bundle median ${median(runs.map((r) => r.loadMs)).toFixed(1)}, activate() median ${median(runs.map((r) => r.activateMs)).toFixed(1)}`);
console.log(`total: best ${totals[0].toFixed(1)}, median ${median(totals).toFixed(1)}, worst ${totals[totals.length - 1].toFixed(1)} (target < 100)`);
if (median(totals) >= 100) process.exitCode = 1;
