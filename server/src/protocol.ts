// What the extension client and the server both know: the settings section and its shape, and the
// custom messages between them. The client imports this file too (types and constants only), so
// the two cannot drift.
import type { Severity } from './analyzer/finding';
import type { FunctionCost, LineCost } from './profile/summary';

export const SETTINGS_SECTION = 'hotpath';

/** How findings are ranked by a loaded profile (`hotpath.profile.*`). Thresholds are percentages of the run. */
export interface RankingSettings {
  /** A finding whose code takes at least this share is raised one severity step. */
  hotThreshold: number;
  /** A finding whose code takes less than this share is cold. */
  coldThreshold: number;
  /** Cold findings are not reported (in files the profile measured). */
  hideColdFindings: boolean;
}

/** The `hotpath` settings section, as the client answers `workspace/configuration`. */
export interface HotpathSettings {
  enable: boolean;
  rules: {
    select: string[];
    ignore: string[];
    severity: Record<string, Severity>;
  };
  profile: RankingSettings;
}

export const DEFAULT_RANKING: RankingSettings = { hotThreshold: 10, coldThreshold: 1, hideColdFindings: false };

export const DEFAULT_SETTINGS: HotpathSettings = {
  enable: true,
  rules: { select: [], ignore: [], severity: {} },
  profile: DEFAULT_RANKING,
};

/** What the server needs of a profile to rank findings: per-line and per-function costs (absolute paths). */
export interface ProfileCosts {
  durationSeconds: number;
  lines: LineCost[];
  functions: FunctionCost[];
}

/**
 * Client to server, whenever the profile on show changes (and when the server (re)starts):
 * the costs of the new profile, or `profile: null` when it was cleared. The server re-ranks and
 * re-publishes the diagnostics of every open document.
 */
export const DID_CHANGE_PROFILE = 'hotpath/didChangeProfile';

export interface DidChangeProfileParams {
  profile: ProfileCosts | null;
}

/** `hot`: at least the hot threshold (raised a severity step); `cold`: under the cold threshold (may be hidden). */
export type Heat = 'hot' | 'warm' | 'cold';

/** What a Hotpath diagnostic's `data` tells the client about the code the finding is about. */
export interface DiagnosticRegionData {
  /** The whole construct (all of a loop), 0-based first and last line. */
  region: { startLine: number; endLine: number };
  /** What the loaded profile measured there, when it measured the file. */
  cost?: { seconds: number; percent: number; heat: Heat };
  /** The titles of its fixes (their edits stay on the server until a code action asks). */
  fixes: { title: string }[];
}

/**
 * Client to server (a request, no parameters): how long the server took to publish a document's
 * diagnostics after a change reached it, from that change (the oldest one not yet published, in a
 * burst) until the diagnostics were written out, over its recent publishes. For benchmarks and
 * bug reports about slow diagnostics.
 */
export const PUBLISH_LATENCY = 'hotpath/publishLatency';

/** Milliseconds, over the last `count` publishes after a change (none: all zero). */
export interface PublishLatency {
  count: number;
  p50: number;
  p95: number;
  max: number;
}
