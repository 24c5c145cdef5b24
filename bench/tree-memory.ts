// Peak resident memory of what runs in this process and its descendants (Linux /proc), sampled while it runs:
// a build's memory is the sum of its processes (astro build, the render processes) and what this process
// grew by (it runs `ctm build`'s own part, beside the benchmark's data it held before).
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

/** This process's RSS and the sum of its descendants'. */
function treeRss(root: number): { self: number; children: number } {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command (which may hold spaces) in parentheses: state, ppid, … rss is the 24th.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * PAGE);
    } catch {
      // gone while listed
    }
  }
  let children = 0;
  for (const [pid, bytes] of rss) {
    for (let p = parent.get(pid); p; p = parent.get(p)) {
      if (p === root) {
        children += bytes;
        break;
      }
    }
  }
  return { self: rss.get(root) ?? 0, children };
}

/** Samples every `everyMs` until the returned stop(), which gives the peak in bytes. */
export function samplePeakMemory(everyMs = 100): () => number {
  const before = treeRss(process.pid).self;
  const sample = () => {
    const { self, children } = treeRss(process.pid);
    return Math.max(0, self - before) + children;
  };
  let peak = sample();
  const timer = setInterval(() => (peak = Math.max(peak, sample())), everyMs);
  return () => {
    clearInterval(timer);
    return Math.max(peak, sample());
  };
}
