// What the extension client and the server both know: the settings section and its shape.
// The client imports this file too (types and constants only), so the two cannot drift.
import type { Severity } from './analyzer/finding';

export const SETTINGS_SECTION = 'hotpath';

/** The `hotpath` settings section, as the client answers `workspace/configuration`. */
export interface HotpathSettings {
  enable: boolean;
  rules: {
    select: string[];
    ignore: string[];
    severity: Record<string, Severity>;
  };
}

export const DEFAULT_SETTINGS: HotpathSettings = { enable: true, rules: { select: [], ignore: [], severity: {} } };
