// The speedscope file format (https://www.speedscope.app/file-format-schema.json), as far as the
// profiler reads and writes it, plus the `hotpath` block our writers add (extra properties are
// allowed by the schema and ignored by speedscope).
import type { ProfileBackend, ProfileMode } from './summary';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number | null;
  col?: number | null;
}

export interface SampledProfile {
  type: 'sampled';
  name: string;
  unit: string;
  startValue: number;
  endValue: number;
  samples: number[][];
  weights: number[];
}

export interface EventedProfile {
  type: 'evented';
  name: string;
  unit: string;
  startValue: number;
  endValue: number;
  events: { type: 'O' | 'C'; at: number; frame: number }[];
}

/** What Hotpath's own writers add: how the profile was taken, and each frame's `def` line. */
export interface HotpathBlock {
  version: 1;
  backend: ProfileBackend;
  mode: ProfileMode;
  rateHz?: number;
  /** Wall-clock length of the run. */
  durationSeconds?: number;
  sampleCount?: number;
  pid?: number;
  /** The line of each frame's `def`, in the order of `shared.frames` (null when unknown). */
  defLines?: (number | null)[];
  exit?: { kind: string; code?: number; type?: string };
  gpu?: unknown;
  [key: string]: unknown;
}

export interface SpeedscopeFile {
  $schema: string;
  shared: { frames: SpeedscopeFrame[] };
  profiles: (SampledProfile | EventedProfile)[];
  name?: string;
  exporter?: string;
  activeProfileIndex?: number;
  hotpath?: HotpathBlock;
}

export function isSpeedscope(doc: unknown): doc is SpeedscopeFile {
  if (typeof doc !== 'object' || doc === null) return false;
  const d = doc as Partial<SpeedscopeFile>;
  return typeof d.$schema === 'string' && Array.isArray(d.profiles) && Array.isArray(d.shared?.frames);
}

/** Seconds per unit of a profile's values (0 when the unit is not a time). */
export function secondsPerUnit(unit: string): number {
  switch (unit) {
    case 'seconds':
      return 1;
    case 'milliseconds':
      return 1e-3;
    case 'microseconds':
      return 1e-6;
    case 'nanoseconds':
      return 1e-9;
    default:
      return 0;
  }
}

/** Each profile as weighted stacks (outermost frame first), evented profiles included. */
export function* weightedStacks(profile: SampledProfile | EventedProfile): Generator<{ stack: readonly number[]; seconds: number }> {
  const scale = secondsPerUnit(profile.unit) || 1;
  if (profile.type === 'sampled') {
    const n = Math.min(profile.samples.length, profile.weights.length);
    for (let i = 0; i < n; i++) yield { stack: profile.samples[i], seconds: profile.weights[i] * scale };
    return;
  }
  const stack: number[] = [];
  let last = profile.startValue;
  for (const event of profile.events) {
    if (event.at > last && stack.length) yield { stack: [...stack], seconds: (event.at - last) * scale };
    last = event.at;
    if (event.type === 'O') stack.push(event.frame);
    else {
      const at = stack.lastIndexOf(event.frame);
      if (at >= 0) stack.splice(at, 1);
    }
  }
}
