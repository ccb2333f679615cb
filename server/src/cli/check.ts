// `hotpath check [--format text|json|sarif] [--select IDS] [--ignore IDS] PATH...`
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../analyzer/analyze';
import { createParser, parseSource } from '../analyzer/parse';
import { RULES } from '../analyzer/registry';
import { PathKeys } from '../cost/paths';
import { type FileCosts, indexByFile, rankFindings } from '../cost/ranking';
import { readProfileCosts } from '../cost/readCosts';
import { DEFAULT_RANKING, type RankingSettings } from '../protocol';
import { isRuleKey, mergeRuleOptions, type RuleOptions, toAnalyzeOptions } from '../workspace/options';
import { ProjectConfigLoader } from '../workspace/pyproject';
import { readSourceFile } from '../workspace/sourceFile';
import { collectSourceFiles } from './collect';
import { formatJson } from './format/json';
import { type CheckReport, locateFindings } from './format/report';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { EXIT_CLEAN, EXIT_FINDINGS, parseCommandLine, splitList, UsageError } from './usage';

export const CHECK_HELP = `Usage: hotpath check [options] PATH...

Reports the slow paths in Python files, and in the .py files under directories
(virtual environments, .git, node_modules, __pycache__ and site-packages are skipped).

Options:
  --format text|json|sarif  output format (default: text)
  --select IDS              only these rules: comma-separated ids (HP201) or categories (array-growth)
  --ignore IDS              not these rules
  --profile FILE            rank the findings by a profile summary (hotpath profile --format json):
                            each says what its code cost, those taking at least 10% of the run are
                            raised one severity step
  --hide-cold               with --profile, leave out findings under 1% of the run (in files the
                            profile measured)
  -h, --help                show this help

[tool.hotpath] in the nearest pyproject.toml above each file adds to these: --select replaces
its select, --ignore adds to its ignore.

Exit status: 0 no findings, 1 findings, 2 usage error.
`;

export interface CheckIo {
  out(text: string): void;
  warn(message: string): void;
  cwd: string;
  version: string;
}

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

export async function runCheck(args: string[], io: CheckIo): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    format: { type: 'string' },
    select: { type: 'string', multiple: true },
    ignore: { type: 'string', multiple: true },
    profile: { type: 'string' },
    'hide-cold': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(CHECK_HELP);
    return EXIT_CLEAN;
  }
  const format = (values.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${values.format}' (expected text, json or sarif)`);
  const flags: RuleOptions = { select: ruleList(values.select, '--select'), ignore: ruleList(values.ignore, '--ignore') };
  if (positionals.length === 0) throw new UsageError('no path given: name the files or directories to check');
  if (values['hide-cold'] && !values.profile) throw new UsageError('--hide-cold needs --profile');
  const ranking = values.profile
    ? { costs: loadCosts(path.resolve(io.cwd, values.profile)), settings: { ...DEFAULT_RANKING, hideColdFindings: values['hide-cold'] === true } }
    : undefined;

  const report = await check(positionals, flags, io.warn, ranking);
  const output =
    format === 'json'
      ? formatJson(report)
      : format === 'sarif'
        ? formatSarif(report, RULES, io.version, io.cwd)
        : formatText(report);
  io.out(output);
  return report.findings.length ? EXIT_FINDINGS : EXIT_CLEAN;
}

function ruleList(values: string[] | undefined, flag: string): string[] {
  const keys = splitList(values);
  const unknown = keys.filter((k) => !isRuleKey(k));
  if (unknown.length) throw new UsageError(`${flag}: unknown rule id or category: ${unknown.join(', ')}`);
  return keys;
}

/** A profile's costs by file, and how they rank findings. */
interface Ranking {
  costs: { byFile: Map<string, FileCosts>; keys: PathKeys };
  settings: RankingSettings;
}

/** The costs of a `hotpath profile --format json` summary file, by file. */
function loadCosts(file: string): Ranking['costs'] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--profile: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const costs = readProfileCosts(raw);
  if (!costs) throw new UsageError(`--profile: ${file} is not a profile summary (hotpath profile --format json)`);
  const keys = new PathKeys();
  return { byFile: indexByFile(costs, (p) => keys.keyOf(p)), keys };
}

/** Analyzes every file; a file that cannot be read or analyzed is reported and skipped. */
async function check(paths: string[], flags: RuleOptions, warn: (message: string) => void, ranking?: Ranking): Promise<CheckReport> {
  const report: CheckReport = { findings: [], skipped: [], filesChecked: 0 };
  const skip = (path: string, reason: string) => {
    report.skipped.push({ path, reason });
    warn(`${path}: skipped: ${reason}`);
  };
  const files = collectSourceFiles(paths, warn);
  const configs = new ProjectConfigLoader();
  const reportedConfigs = new Set<string>();
  const parser = await createParser();
  try {
    for (const file of files) {
      const source = readSourceFile(file.absolute);
      if (!source.ok) {
        skip(file.display, source.reason);
        continue;
      }
      const config = configs.forFile(file.absolute);
      if (config && !reportedConfigs.has(config.file)) {
        reportedConfigs.add(config.file);
        config.problems.forEach(warn);
      }
      const options = toAnalyzeOptions(mergeRuleOptions(config?.options, flags), file.display);
      let tree;
      try {
        tree = parseSource(parser, source.text);
        let found = analyze(tree, source.text, options);
        if (ranking) {
          const costs = ranking.costs.byFile.get(ranking.costs.keys.keyOf(file.absolute));
          found = rankFindings(found, source.text, costs, ranking.settings).map((r) => r.finding);
        }
        report.findings.push(...locateFindings(file.display, source.text, found));
        report.filesChecked++;
      } catch (err) {
        skip(file.display, `analysis failed: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        tree?.delete();
      }
    }
  } finally {
    parser.delete();
  }
  return report;
}
