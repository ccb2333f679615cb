// Settings per document: `hotpath.*` pulled from the client through `workspace/configuration`
// (scoped to the document), layered over `[tool.hotpath]` of the nearest pyproject.toml.
import type { Connection } from 'vscode-languageserver';
import { mergeRuleOptions, readRuleOptions, type RuleOptions } from '../workspace/options';
import { DEFAULT_RANKING, type RankingSettings, SETTINGS_SECTION } from '../protocol';
import { ProjectConfigLoader } from '../workspace/pyproject';
import type { Logger } from './logger';
import { uriToPath } from './uri';

export interface DocumentSettings {
  enable: boolean;
  /** The editor's rule settings merged over the project's. */
  options: RuleOptions;
  /** The file's path, when it has one (for pyproject.toml and test-file detection). */
  path: string | undefined;
  /** How a loaded profile ranks the findings. */
  ranking: RankingSettings;
}

export class SettingsStore {
  private readonly resolved = new Map<string, DocumentSettings>();
  private readonly pending = new Map<string, Promise<DocumentSettings>>();
  private readonly projects = new ProjectConfigLoader();
  private readonly reported = new Set<string>();
  /** Bumped by `clear()`, so that an answer asked for before a change is not cached after it. */
  private generation = 0;
  /** Settings a client pushed (initializationOptions, didChangeConfiguration) for when it cannot be asked. */
  private pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly log: Logger,
    private readonly canPull: () => boolean,
  ) {}

  /** The settings of `uri` when already known: the fast path of every keystroke. */
  peek(uri: string): DocumentSettings | undefined {
    return this.resolved.get(uri);
  }

  get(uri: string): Promise<DocumentSettings> {
    const known = this.resolved.get(uri);
    if (known) return Promise.resolve(known);
    let request = this.pending.get(uri);
    if (!request) {
      const generation = this.generation;
      request = this.load(uri).then((settings) => {
        if (generation === this.generation) {
          this.resolved.set(uri, settings);
          this.pending.delete(uri);
        }
        return settings;
      });
      this.pending.set(uri, request);
    }
    return request;
  }

  forget(uri: string): void {
    this.resolved.delete(uri);
    this.pending.delete(uri);
  }

  /**
   * Settings sent by a client that does not answer `workspace/configuration`: the `hotpath` section
   * as `initializationOptions`, or `{ hotpath: {...} }` in `workspace/didChangeConfiguration`.
   */
  setPushed(section: unknown): void {
    if (section !== undefined && section !== null) this.pushed = section;
  }

  /** Drops everything known: settings or a pyproject.toml changed. */
  clear(): void {
    this.generation++;
    this.resolved.clear();
    this.pending.clear();
    this.projects.clear();
    this.reported.clear();
  }

  private async load(uri: string): Promise<DocumentSettings> {
    const path = uriToPath(uri);
    const project = path ? this.projects.forFile(path) : undefined;
    if (project) this.reportOnce(project.file, project.problems);
    let raw: unknown = this.pushed;
    if (this.canPull()) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
      } catch (err) {
        this.log.error(`Could not read the hotpath settings for ${uri}: ${String(err)}`);
      }
    }
    const editor = readEditorSettings(raw);
    this.reportOnce('settings', editor.problems);
    return { enable: editor.enable, options: mergeRuleOptions(project?.options, editor.options), path, ranking: editor.ranking };
  }

  private reportOnce(key: string, problems: readonly string[]): void {
    if (!problems.length || this.reported.has(key)) return;
    this.reported.add(key);
    for (const problem of problems) this.log.warn(problem);
  }
}

/** A `HotpathSettings` object (../protocol.ts) from the client, read defensively: any client may send anything. */
function readEditorSettings(raw: unknown): { enable: boolean; options: RuleOptions; ranking: RankingSettings; problems: string[] } {
  const section = isRecord(raw) ? raw : {};
  const rules = isRecord(section.rules) ? section.rules : {};
  const { options, problems } = readRuleOptions(rules, 'hotpath.rules settings');
  return { enable: section.enable !== false, options, ranking: readRanking(section.profile), problems };
}

function readRanking(raw: unknown): RankingSettings {
  const profile = isRecord(raw) ? raw : {};
  const percent = (value: unknown, fallback: number) =>
    typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : fallback;
  return {
    hotThreshold: percent(profile.hotThreshold, DEFAULT_RANKING.hotThreshold),
    coldThreshold: percent(profile.coldThreshold, DEFAULT_RANKING.coldThreshold),
    hideColdFindings: profile.hideColdFindings === true,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
