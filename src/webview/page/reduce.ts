// Makes a very long sampled profile quick to draw. speedscope's time-order view draws one box per
// change of stack, so a million samples of a hot loop (a new stack almost every sample) take it tens
// of seconds. Past `maxSamples`, the run is cut into equal slices of consecutive samples and, inside
// each slice, samples with the same stack become one sample carrying their summed weight; the
// slices are as many as keeps the result within `maxSamples`. Totals per stack, and so the
// left-heavy and sandwich views, are exact; the time-order view keeps the order of the slices but
// not the order inside one. Pure data in and out: the extension's profile worker runs it before the
// profile goes to the page (src/webview/drawable.ts), and the unit tests run it directly.

export interface SampledProfile {
  type: 'sampled';
  name?: string;
  samples: number[][];
  weights: number[];
  [key: string]: unknown;
}

export interface SpeedscopeFile {
  $schema?: string;
  profiles: ({ type: string; [key: string]: unknown } | SampledProfile)[];
  [key: string]: unknown;
}

export interface Reduction {
  readonly before: number;
  readonly after: number;
}

export function isSpeedscopeFile(value: unknown): value is SpeedscopeFile {
  const file = value as SpeedscopeFile | null;
  return typeof file === 'object' && file !== null && typeof file.$schema === 'string' && file.$schema.includes('speedscope') && Array.isArray(file.profiles);
}

function isSampled(profile: SpeedscopeFile['profiles'][number]): profile is SampledProfile {
  return profile.type === 'sampled' && Array.isArray(profile.samples) && Array.isArray(profile.weights);
}

/** A node of the stack trie: the stacks that start with the same frames share a path. */
interface StackNode {
  id: number;
  readonly children: Map<number, StackNode>;
}

/**
 * Interns each sample's stack: the same id for the same stack. A trie of frame indices, walked
 * frame by frame, rather than a map of joined strings: no string per sample (a million of them
 * took most of the time).
 */
function stackIds(samples: number[][]): Int32Array {
  const ids = new Int32Array(samples.length);
  const root: StackNode = { id: -1, children: new Map() };
  let known = 0;
  for (let i = 0; i < samples.length; i++) {
    const stack = samples[i];
    let node = root;
    for (let d = 0; d < stack.length; d++) {
      let child = node.children.get(stack[d]);
      if (child === undefined) {
        child = { id: -1, children: new Map() };
        node.children.set(stack[d], child);
      }
      node = child;
    }
    if (node.id < 0) node.id = known++;
    ids[i] = node.id;
  }
  return ids;
}

/** How many samples `slices` slices give: distinct stacks per slice, summed. */
function reducedCount(ids: Int32Array, slices: number, seenIn: Int32Array): number {
  const size = Math.ceil(ids.length / slices);
  seenIn.fill(-1);
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const slice = Math.floor(i / size);
    if (seenIn[ids[i]] !== slice) {
      seenIn[ids[i]] = slice;
      count++;
    }
  }
  return count;
}

/** Reduces, in place, every sampled profile longer than `maxSamples`; undefined when none was. */
export function reduceSamples(file: SpeedscopeFile, maxSamples: number): Reduction | undefined {
  let before = 0;
  let after = 0;
  for (const profile of file.profiles) {
    if (!isSampled(profile) || profile.samples.length <= maxSamples) continue;
    const { samples, weights } = profile;
    const ids = stackIds(samples);
    const seenIn = new Int32Array(ids.reduce((max, id) => Math.max(max, id), 0) + 1);
    // The most slices (the finest time order) that keep the result within maxSamples: the count
    // grows with the slices, so a binary search finds it in a few passes.
    let slices = 1;
    for (let lo = 2, hi = Math.min(maxSamples, samples.length); lo <= hi; ) {
      const mid = Math.floor((lo + hi) / 2);
      if (reducedCount(ids, mid, seenIn) <= maxSamples) {
        slices = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const size = Math.ceil(samples.length / slices);
    const outSamples: number[][] = [];
    const outWeights: number[] = [];
    const at = new Int32Array(seenIn.length);
    seenIn.fill(-1);
    for (let i = 0; i < samples.length; i++) {
      const slice = Math.floor(i / size);
      const id = ids[i];
      if (seenIn[id] !== slice) {
        seenIn[id] = slice;
        at[id] = outSamples.length;
        outSamples.push(samples[i]);
        outWeights.push(weights[i] ?? 0);
      } else {
        outWeights[at[id]] += weights[i] ?? 0;
      }
    }
    before += samples.length;
    after += outSamples.length;
    profile.samples = outSamples;
    profile.weights = outWeights;
    profile.name = `${profile.name ?? 'profile'} (${samples.length.toLocaleString('en')} samples, drawn as ${outSamples.length.toLocaleString('en')})`;
  }
  return before > 0 ? { before, after } : undefined;
}
