// Profiler overhead (issue 3's targets): the same workload bare, under the builtin sampler at
// 100 Hz, under py-spy at 100 Hz (as Hotpath runs it: attached to its runner) and under cProfile,
// interleaved, several repetitions, in one run. The workload times itself (workload_seconds), so
// interpreter start-up and the profilers' set-up and file writing are reported apart (end to end).
// Targets: builtin <= 1.03x, py-spy <= 1.02x the bare run. To tell py-spy's own cost from Hotpath's
// way of running it, py-spy also runs the workload directly (`py-spy record ... -- python`), with
// the options Hotpath gives it, and once more with --nonblocking (no pause of the process per
// sample), which Hotpath does not use.
// Run: npm run bench:profile [-- REPETITIONS]   (uses .venv/bin/python; set up with scripts/setup.sh)
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runProfile } from '../server/src/profile/run';
import { findPySpy } from '../server/src/profile/pyspy';

const ROOT = path.resolve(__dirname, '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const WORKLOAD = path.join(ROOT, 'bench', 'workloads', 'profile_workload.py');
const SCALE = '4';
const ENV = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

interface Sample {
  workload: number;
  cpu: number;
  wall: number;
}

function reported(out: string): { workload: number; cpu: number } {
  const m = /workload_seconds ([\d.]+) process_cpu_seconds ([\d.]+)/.exec(out);
  if (!m) throw new Error(`the workload did not report its time:\n${out}`);
  return { workload: Number(m[1]), cpu: Number(m[2]) };
}

async function plain(args: string[], command = PYTHON): Promise<Sample> {
  const began = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}\n${err}`);
  return { ...reported(out), wall: (performance.now() - began) / 1000 };
}

async function profiled(backend: 'builtin' | 'py-spy'): Promise<Sample> {
  const began = performance.now();
  let out = '';
  const result = await runProfile(
    { python: PYTHON, target: { script: WORKLOAD, args: [SCALE] }, env: ENV, backend, mode: 'wall', rateHz: 100, stdio: 'pipe' },
    { onOutput: (stream, t) => stream === 'stdout' && (out += t) },
  );
  if (result.backend !== backend) throw new Error(`asked for ${backend}, got ${result.backend}: ${result.warnings.join(' ')}`);
  return { ...reported(out), wall: (performance.now() - began) / 1000 };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 7);
  const pyspy = findPySpy(PYTHON);
  const out = path.join(tmpdir(), `hotpath-bench-${process.pid}.json`);
  // What Hotpath passes py-spy in wall mode (pySpyArgs), less --pid: py-spy starts the program.
  const direct = (extra: string[]) => () =>
    plain(['record', '--format', 'chrometrace', '--output', out, '--rate', '100', '--full-filenames', '--idle', ...extra, '--', PYTHON, WORKLOAD, SCALE], pyspy!);
  const runs: Record<string, () => Promise<Sample>> = {
    bare: () => plain([WORKLOAD, SCALE]),
    'builtin 100 Hz': () => profiled('builtin'),
    ...(pyspy
      ? {
          'py-spy 100 Hz': () => profiled('py-spy'),
          'py-spy record, direct': direct([]),
          'py-spy record --nonblocking, direct': direct(['--nonblocking']),
        }
      : {}),
    cProfile: () => plain(['-m', 'cProfile', '-o', process.platform === 'win32' ? 'NUL' : '/dev/null', WORKLOAD, SCALE]),
  };
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  await plain([WORKLOAD, '0.2']); // warm the file cache
  for (let r = 0; r < reps; r++) {
    // Interleaved (and rotated) so that a busy moment on the machine hits every configuration.
    const names = Object.keys(runs);
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      samples[name].push(await runs[name]());
    }
    process.stderr.write(`bench: repetition ${r + 1}/${reps}\n`);
  }
  const base = median(samples.bare.map((s) => s.workload));
  const baseCpu = median(samples.bare.map((s) => s.cpu));
  const baseWall = median(samples.bare.map((s) => s.wall));
  const best = Math.min(...samples.bare.map((s) => s.workload));
  console.log(`Profiler overhead, ${reps} repetitions, medians (workload: ${path.relative(ROOT, WORKLOAD)} ${SCALE})\n`);
  console.log('| run | workload wall s | × bare | best s | × bare | process CPU s | × bare | end to end s | × bare |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, list] of Object.entries(samples)) {
    const w = median(list.map((s) => s.workload));
    const b = Math.min(...list.map((s) => s.workload));
    const c = median(list.map((s) => s.cpu));
    const e = median(list.map((s) => s.wall));
    const x = (a: number, z: number) => `${(a / z).toFixed(3)}×`;
    console.log(`| ${name} | ${w.toFixed(3)} | ${x(w, base)} | ${b.toFixed(3)} | ${x(b, best)} | ${c.toFixed(3)} | ${x(c, baseCpu)} | ${e.toFixed(3)} | ${x(e, baseWall)} |`);
  }
  await pauses(Math.max(3, Math.round(reps / 2)), pyspy, out);
  await rm(out, { force: true });
}

/**
 * py-spy's cost per sample, apart from the noise of a shared machine: it stops the program to
 * read its stack (without --nonblocking), and the stop lasts longer the more frames there are to
 * read. bench/workloads/pause_probe.py notes the pauses of a busy loop (and the machine's own,
 * seen without a profiler), at the shallow stack of a script and 30 calls deeper.
 */
async function pauses(reps: number, pyspy: string | null, out: string): Promise<void> {
  if (!pyspy) return;
  const PROBE = path.join(ROOT, 'bench', 'workloads', 'pause_probe.py');
  const probe = async (run: () => Promise<string>) => Number(/pauses_percent ([\d.]+)/.exec(await run())![1]);
  const capture = (command: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(command, args, { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'ignore'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (t: string) => (text += t));
      child.once('error', reject);
      child.once('exit', () => resolve(text));
    });
  const viaHotpath = async (depth: string) => {
    let text = '';
    await runProfile(
      { python: PYTHON, target: { script: PROBE, args: [depth, '2'] }, env: ENV, backend: 'py-spy', mode: 'wall', rateHz: 100, stdio: 'pipe' },
      { onOutput: (stream, t) => stream === 'stdout' && (text += t) },
    );
    return text;
  };
  const spy = ['record', '--format', 'chrometrace', '--output', out, '--rate', '100', '--full-filenames', '--idle', '--'];
  const kinds: Record<string, (depth: string) => Promise<number>> = {
    'no profiler': (d) => probe(() => capture(PYTHON, [PROBE, d, '2'])),
    'py-spy record, direct': (d) => probe(() => capture(pyspy, [...spy, PYTHON, PROBE, d, '2'])),
    'py-spy record --nonblocking, direct': (d) => probe(() => capture(pyspy, [...spy.slice(0, -1), '--nonblocking', '--', PYTHON, PROBE, d, '2'])),
    'py-spy through Hotpath': (d) => probe(() => viaHotpath(d)),
  };
  const got: Record<string, number[]> = {};
  for (let r = 0; r < reps; r++) {
    for (const depth of ['0', '30']) for (const [name, run] of Object.entries(kinds)) (got[`${name}|${depth}`] ??= []).push(await run(depth));
    process.stderr.write(`bench: pauses ${r + 1}/${reps}\n`);
  }
  console.log(`\nPauses of a busy loop (bench/workloads/pause_probe.py), % of its run time, medians of ${reps}\n`);
  console.log('| run | at the top of the stack | 30 calls deep |');
  console.log('|---|---:|---:|');
  for (const name of Object.keys(kinds)) console.log(`| ${name} | ${median(got[`${name}|0`]).toFixed(2)}% | ${median(got[`${name}|30`]).toFixed(2)}% |`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
