// Runs analyses off the message loop: a burst of changes is analyzed once, at the newest version.
//
// Changes only mark a document dirty. The next turn of the event loop (setImmediate, no fixed delay,
// so a lone edit is analyzed at once) takes the dirty documents one at a time, yielding between
// them so incoming messages are read; a document edited again meanwhile is simply dirty again,
// and whatever it was about to analyze for an older version is never done.
export class AnalysisScheduler {
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Immediate | undefined;
  private running = false;

  constructor(private readonly analyze: (uri: string) => Promise<void> | void) {}

  schedule(uri: string): void {
    this.dirty.add(uri);
    if (!this.running && !this.timer) this.timer = setImmediate(() => void this.drain());
  }

  cancel(uri: string): void {
    this.dirty.delete(uri);
  }

  dispose(): void {
    if (this.timer) clearImmediate(this.timer);
    this.timer = undefined;
    this.dirty.clear();
  }

  private async drain(): Promise<void> {
    this.timer = undefined;
    this.running = true;
    try {
      while (this.dirty.size) {
        const uri: string = this.dirty.values().next().value!;
        this.dirty.delete(uri);
        try {
          await this.analyze(uri);
        } catch {
          // The analyze callback logs its own failures; one document must not stop the others.
        }
        // Let the messages that arrived during the analysis be read before the next one.
        if (this.dirty.size) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
      if (this.dirty.size && !this.timer) this.timer = setImmediate(() => void this.drain());
    }
  }
}
