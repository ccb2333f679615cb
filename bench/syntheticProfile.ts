// A synthetic speedscope profile shaped like a sampled Python program: a module that calls a few
// dozen functions across a few files, stacks 6-18 deep, consecutive samples often the same stack
// (a loop stays on a line for a while). Used by the flame graph benchmark and the e2e tests.

export interface SyntheticOptions {
  samples: number;
  /** Seed of the deterministic pseudo-random walk. */
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
  const frames: { name: string; file: string; line: number }[] = [];
  const files = ['/work/app/train.py', '/work/app/model.py', '/work/app/data.py', '/usr/lib/python3/site-packages/numpy/core/fromnumeric.py'];
  for (let i = 0; i < 400; i++) {
    frames.push({ name: i === 0 ? '<module>' : `fn_${i}`, file: files[i % files.length], line: 10 + ((i * 7) % 500) });
  }
  const stacks: number[][] = [];
  let stack = [0];
  const out: string[] = [];
  for (let s = 0; s < samples; s++) {
    // Stay on the same stack most of the time; otherwise pop a few frames and push new ones.
    if (next() < 0.3) {
      const depth = Math.max(1, stack.length - Math.floor(next() * 4));
      stack = stack.slice(0, depth);
      const target = 6 + Math.floor(next() * 12);
      while (stack.length < target) stack.push(1 + Math.floor(next() * (frames.length - 1)));
      stacks.push(stack);
    }
    out.push(`[${stack.join(',')}]`);
  }
  const profile = {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [
      {
        type: 'sampled',
        name: 'synthetic',
        unit: 'seconds',
        startValue: 0,
        endValue: samples / 100,
        samples: '@SAMPLES@',
        weights: '@WEIGHTS@',
      },
    ],
    name: 'synthetic',
    activeProfileIndex: 0,
    exporter: 'hotpath-bench',
  };
  return JSON.stringify(profile)
    .replace('"@SAMPLES@"', `[${out.join(',')}]`)
    .replace('"@WEIGHTS@"', `[${new Array(samples).fill('0.01').join(',')}]`);
}
