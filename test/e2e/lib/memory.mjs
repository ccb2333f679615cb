// Samples the resident memory of everything this runner started (code-server,
// the extension host, the language server, Chromium) and keeps the peak.
// Linux only (reads /proc); elsewhere it reports nothing. The sum of RSS
// counts shared pages once per process, so it is an upper bound.
import * as fs from 'node:fs';

export function watchPeakMemory(intervalMs = 500) {
  if (process.platform !== 'linux') return { stop: () => undefined };
  let peak = 0;
  const sample = () => {
    try {
      peak = Math.max(peak, descendantsRssBytes(process.pid));
    } catch {
      // A process vanished mid-read; the next sample will do.
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

function descendantsRssBytes(root) {
  const children = new Map();
  const rss = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let status;
    try {
      status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    const pid = Number(name);
    rss.set(pid, kb * 1024);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
