// One flame graph in one webview (a panel or a custom editor): sets the page, hands it the
// profile once the page is ready, reports when it is drawn, and opens the source of a clicked frame.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { drawableProfile } from '../profile/core';
import { type Drawable, describeReduction } from './drawable';
import { colorScheme, webviewHtml, webviewOptions } from './html';
import { type FromPage, isFromPage, type ToPage } from './messages';

export interface FlameGraphContent {
  /** Shown in speedscope's title; its extension helps speedscope pick the importer. */
  readonly name: string;
  /** The profile file; read (and, when very long, merged for drawing) in a worker thread. */
  readonly file: vscode.Uri;
  /** Relative file names in the profile are resolved against this folder (the profile's own). */
  readonly baseFolder?: string;
}

/** Reads what the page gets for `file` in the worker thread, or says why it cannot. */
async function prepare(file: vscode.Uri): Promise<Drawable | { readonly error: string }> {
  try {
    // Files on disk are read by the worker itself; others (a virtual file system) through VS Code.
    return file.scheme === 'file' ? await drawableProfile(file.fsPath) : await drawableProfile(file.path, await vscode.workspace.fs.readFile(file));
  } catch (err) {
    return { error: `cannot read ${file.scheme === 'file' ? file.fsPath : file.toString()}: ${(err as Error).message}` };
  }
}

/** What the flame graphs report, for the status of a run and for the end-to-end tests. */
export interface FlameGraphEvent {
  readonly name: string;
  readonly outcome: 'loaded' | 'failed';
  /** `loaded`: ms from handing the profile to the page to the drawn flame graph; `failed`: why. */
  readonly detail: string;
  /** `loaded`: ms from showing the file (reading it included) to the drawn flame graph. */
  readonly totalMs?: number;
}

export class FlameGraphEvents implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<FlameGraphEvent>();
  readonly onDidReport = this.emitter.event;
  /** The latest report, for the end-to-end tests. */
  last: FlameGraphEvent | undefined;
  /** The frames opened from a flame graph, latest last, for the end-to-end tests. */
  readonly opened: { file: string; line: number }[] = [];

  report(event: FlameGraphEvent): void {
    this.last = event;
    this.emitter.fire(event);
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export class FlameGraph implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private content: FlameGraphContent | undefined;
  /** What the page gets for `content`, prepared while the page starts. */
  private prepared: Promise<Drawable | { readonly error: string }> | undefined;
  private reduced: string | undefined;
  private shownAt = 0;
  private error: string | undefined;
  private ready = false;
  /** The id of the page on show; a message from a page replaced since is stale. */
  private page = 0;
  private scheme = colorScheme(vscode.window.activeColorTheme);

  constructor(
    private readonly webview: vscode.Webview,
    private readonly extensionUri: vscode.Uri,
    private readonly events: FlameGraphEvents,
    private readonly output: vscode.LogOutputChannel,
    /** The column the flame graph is in, so that sources open beside it. */
    private readonly column: () => vscode.ViewColumn | undefined,
  ) {
    webview.options = webviewOptions(extensionUri);
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => {
        if (isFromPage(message)) void this.onMessage(message);
      }),
      // speedscope reads its colour scheme once; a new page follows a changed theme.
      vscode.window.onDidChangeActiveColorTheme((theme) => {
        if (colorScheme(theme) !== this.scheme) this.render();
      }),
    );
  }

  private settle: (() => void) | undefined;

  /**
   * Shows `content` (a fresh page each time: speedscope keeps no state between profiles). Resolves
   * once the page has drawn it or given up: heavy work in the extension host (summarizing a large
   * profile) waits for that, so that it does not hold up handing the bytes to the page.
   */
  show(content: FlameGraphContent): Promise<void> {
    this.settle?.();
    this.content = content;
    this.error = undefined;
    this.shownAt = Date.now();
    // Started now, so that reading and merging a long file overlap the page's start.
    this.prepared = prepare(content.file);
    const settled = new Promise<void>((resolve) => (this.settle = resolve));
    this.render();
    return settled;
  }

  /** Shows a message instead of a flame graph. */
  showError(message: string): void {
    this.content = undefined;
    this.prepared = undefined;
    this.error = message;
    this.render();
  }

  private render(): void {
    this.ready = false;
    this.scheme = colorScheme(vscode.window.activeColorTheme);
    try {
      this.webview.html = webviewHtml(this.webview, this.extensionUri, this.scheme, String(++this.page));
    } catch (err) {
      this.webview.html = `<!DOCTYPE html><html><body><p>${escapeHtml((err as Error).message)}</p></body></html>`;
    }
  }

  private post(message: ToPage): void {
    void this.webview.postMessage(message);
  }

  private async onMessage(message: FromPage): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A page replaced since (a new profile, a new theme) may still say it is ready.
        if (this.ready || message.page !== String(this.page)) return;
        this.ready = true;
        if (this.error !== undefined) this.post({ type: 'showError', message: this.error });
        else if (this.content && this.prepared) await this.load(this.content, this.prepared, this.page);
        return;
      case 'loaded': {
        const totalMs = Date.now() - this.shownAt;
        const reduced = this.reduced ? ` (${this.reduced})` : '';
        this.output.info(`Flame graph: ${message.name} drawn ${totalMs} ms after opening it, ${message.ms} ms in the page${reduced}.`);
        this.events.report({ name: message.name, outcome: 'loaded', detail: String(message.ms), totalMs });
        this.settle?.();
        return;
      }
      case 'loadFailed':
        this.fail(`the flame graph cannot show ${this.content?.name ?? 'the profile'}: ${message.message.trim().replace(/\.+$/, '')}`);
        return;
      case 'openFrame':
        await this.openFrame(message.file, message.line);
        return;
    }
  }

  /** Hands the prepared profile to page `page`, unless another profile or page replaced it meanwhile. */
  private async load(content: FlameGraphContent, prepared: Promise<Drawable | { readonly error: string }>, page: number): Promise<void> {
    const ready = await prepared;
    if (content !== this.content || page !== this.page) return;
    if ('error' in ready) {
      this.fail(ready.error);
      return;
    }
    this.reduced = ready.reduced && describeReduction(ready.reduced);
    // A plain Uint8Array, not Node's Buffer subclass: VS Code rebuilds typed arrays in the page by
    // their constructor's name, and there is no Buffer there.
    const { bytes } = ready;
    this.post({ type: 'load', name: content.name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
  }

  /** Reports the profile as not drawn and says why, over the page and in a notification. */
  private fail(reason: string): void {
    const name = this.content?.name ?? 'the profile';
    const text = `Hotpath: ${reason}`;
    this.events.report({ name, outcome: 'failed', detail: reason });
    // Shown over speedscope's own page, and again if the page is rebuilt (a theme change).
    this.content = undefined;
    this.prepared = undefined;
    this.error = `${text}.\n\nHotpath draws speedscope JSON, py-spy output, collapsed stacks, Chrome CPU profiles and PyTorch (Chrome trace) files.`;
    this.post({ type: 'showError', message: this.error });
    this.settle?.();
    void vscode.window.showErrorMessage(text);
  }

  private async openFrame(file: string, line: number): Promise<void> {
    const uri = await this.resolveSource(file);
    if (!uri) {
      void vscode.window.showWarningMessage(`Hotpath: ${file} (line ${line}) is not on this machine.`);
      return;
    }
    this.events.opened.push({ file: uri.fsPath, line });
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const panelColumn = this.column();
    await vscode.window.showTextDocument(uri, {
      viewColumn: panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
      preserveFocus: true,
      preview: true,
    });
  }

  /** An absolute path as it is; a relative one against the profile's folder, then each workspace folder. */
  private async resolveSource(file: string): Promise<vscode.Uri | undefined> {
    const candidates = path.isAbsolute(file)
      ? [file]
      : [this.content?.baseFolder, ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)]
          .filter((folder): folder is string => folder !== undefined)
          .map((folder) => path.join(folder, file));
    for (const candidate of candidates) {
      const uri = vscode.Uri.file(candidate);
      try {
        if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) return uri;
      } catch {
        // Not there; try the next folder.
      }
    }
    return undefined;
  }

  dispose(): void {
    this.settle?.();
    for (const d of this.disposables) d.dispose();
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
