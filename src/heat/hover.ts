// The hover on a profiled line: its self and total time, samples, and GPU work for torch profiles.
import * as vscode from 'vscode';
import { formatPercent, formatSeconds } from '../../server/src/cost/format';
import type { LoadedProfile } from '../profile/store';
import type { FileHeat, LineHeat } from './model';

export class LineCostHover implements vscode.HoverProvider {
  constructor(
    private readonly fileOf: (document: vscode.TextDocument) => FileHeat | undefined,
    private readonly profile: () => LoadedProfile | undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const heat = this.fileOf(document)?.lines.get(position.line + 1);
    const profile = this.profile();
    if (!heat || !profile) return undefined;
    return new vscode.Hover(lineCostMarkdown(heat, profile), document.lineAt(position.line).range);
  }
}

export function lineCostMarkdown(heat: LineHeat, profile: LoadedProfile): vscode.MarkdownString {
  const { summary } = profile;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Hotpath profile** · ${escape(profile.title)} · \`${heat.function}\`\n\n`);
  md.appendMarkdown('| | time | share of the run |\n|---|---:|---:|\n');
  md.appendMarkdown(`| self | ${formatSeconds(heat.selfSeconds)} | ${formatPercent(heat.selfPercent)} |\n`);
  md.appendMarkdown(`| total | ${formatSeconds(heat.totalSeconds)} | ${formatPercent(heat.totalPercent)} |\n\n`);
  if (heat.samples !== undefined) {
    md.appendMarkdown(`≈ ${heat.samples.toLocaleString('en-US')} of ${summary.sampleCount.toLocaleString('en-US')} samples\n\n`);
  }
  if (heat.gpu) {
    const { kernelSeconds, kernelCount, syncCount } = heat.gpu;
    const device = summary.gpu?.device ? ` (${escape(summary.gpu.device)})` : '';
    md.appendMarkdown(
      `GPU${device}: ${formatSeconds(kernelSeconds)} in ${kernelCount.toLocaleString('en-US')} kernel${kernelCount === 1 ? '' : 's'}, ` +
        `${syncCount.toLocaleString('en-US')} host-device sync${syncCount === 1 ? '' : 's'}\n\n`,
    );
  }
  md.appendMarkdown(`*Self: time on this line itself (calls into C code such as NumPy included); total: also everything it called.*`);
  return md;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
