// A synthetic speedscope profile shaped like a long sampled Python run: a program with a fixed call
// tree (a few hundred distinct stacks, 5-16 frames deep) that goes through phases (data loading,
// training steps, evaluation); within a phase each sample lands on one of the phase's 10-40 stacks,
// so the stack changes on almost every sample, as a 100 Hz sampler sees a hot loop. Used by the
// flame graph benchmark.

export interface SyntheticOptions {
  samples: number;
  /** Seed of the deterministic pseudo-random choices. */
  seed?: number;
}

function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32: deterministic, fast, good enough for a synthetic shape.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function syntheticSpeedscope({ samples, seed = 7 }: SyntheticOptions): string {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const files = ['/work/app/train.py', '/work/app/model.py', '/work/app/data.py', '/usr/lib/python3/site-packages/numpy/core/fromnumeric.py'];
  const frames = Array.from({ length: 300 }, (_, i) => ({
    name: i === 0 ? '<module>' : `fn_${i}`,
    file: files[i % files.length],
    line: 10 + ((i * 7) % 500),
  }));
  // The program's call tree: 40 phases, each a subtree of 10-40 stacks sharing a prefix.
  const phases: string[][] = [];
  for (let p = 0; p < 40; p++) {
    const prefix = [0, 1 + pick(20), 21 + pick(40)];
    const stacks: string[] = [];
    for (let s = 10 + pick(31); s > 0; s--) {
      const stack = [...prefix];
      for (let depth = 2 + pick(11); depth > 0; depth--) stack.push(61 + pick(frames.length - 61));
      stacks.push(`[${stack.join(',')}]`);
    }
    phases.push(stacks);
  }
  const out: string[] = [];
  let phase = phases[0];
  for (let s = 0; s < samples; s++) {
    if (s % 3000 === 0) phase = phases[pick(phases.length)];
    out.push(phase[pick(phase.length)]);
  }
  const profile = {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      { type: 'sampled', name: 'synthetic', unit: 'seconds', startValue: 0, endValue: samples / 100, samples: '@SAMPLES@', weights: '@WEIGHTS@' },
    ],
    name: 'synthetic',
    activeProfileIndex: 0,
    exporter: 'hotpath-bench',
  };
  return JSON.stringify(profile)
    .replace('"@SAMPLES@"', `[${out.join(',')}]`)
    .replace('"@WEIGHTS@"', `[${new Array(samples).fill('0.01').join(',')}]`);
}
