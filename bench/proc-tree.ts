/**
 * Resident memory of a whole process tree, read from /proc (Linux only).
 *
 * The tree is the root pid plus every descendant found by following the ppid field of /proc/<pid>/stat;
 * its RSS is the sum of VmRSS from /proc/<pid>/status. Processes may exit between the two reads: they count as 0.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Children of every live process, keyed by parent pid. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid);
    if (list) list.push(Number(name));
    else children.set(ppid, [Number(name)]);
  }
  return children;
}

/** The pids of root's descendants (not root itself). */
export function descendants(root: number): number[] {
  const children = childrenByParent();
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0; // kernel threads and zombies have no VmRSS
  } catch {
    return 0;
  }
}

/** Summed RSS of root's tree; includeRoot false measures only what root started (e.g. the bench's own children). */
export function treeRssBytes(root: number, includeRoot: boolean): number {
  const pids = descendants(root);
  if (includeRoot) pids.push(root);
  return pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
}

export interface RssSample {
  /** performance.now() when taken. */
  readonly tMs: number;
  readonly bytes: number;
}

export interface RssSampler {
  /** Takes a last sample, stops, and returns every sample and the maximum. */
  stop(): { samples: RssSample[]; peakBytes: number };
}

/** Samples treeRssBytes(root) every intervalMs until stopped. */
export function sampleTreeRss(root: number, options: { includeRoot: boolean; intervalMs?: number }): RssSampler {
  const samples: RssSample[] = [];
  const take = (): void => {
    samples.push({ tMs: performance.now(), bytes: treeRssBytes(root, options.includeRoot) });
  };
  take();
  const timer = setInterval(take, options.intervalMs ?? 50);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { samples, peakBytes: Math.max(...samples.map((s) => s.bytes)) };
    },
  };
}

export const toMB = (bytes: number): number => bytes / (1024 * 1024);
