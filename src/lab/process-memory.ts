// Memory of a process tree (the lab supervisor and every daemon under it),
// for `lab status`: the lab promises to stay under 1 GiB.
import { readFileSync } from 'node:fs';
import { processTree } from './process-tree.js';

/** Resident set size in bytes (VmRSS); 0 for a process gone or a kernel thread. */
function rss(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function treeMemory(root: number): { processes: number; rssBytes: number } {
  const pids = processTree(root);
  return { processes: pids.length, rssBytes: pids.reduce((sum, pid) => sum + rss(pid), 0) };
}
