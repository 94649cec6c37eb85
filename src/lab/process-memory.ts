// Memory of a process tree (the lab supervisor and every daemon under it),
// for `lab status`: the lab promises to stay under 1 GiB. RSS counts a shared
// page once per process (the three Pacemaker nodes share their libraries);
// PSS splits it among them, so the PSS sum is what the tree really holds.
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

/** Proportional set size in bytes (smaps_rollup's Pss); the RSS where the kernel has no smaps_rollup. */
function pss(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return rss(pid);
  }
}

export function treeMemory(root: number): { processes: number; rssBytes: number; pssBytes: number } {
  const pids = processTree(root);
  const sum = (of: (pid: number) => number) => pids.reduce((total, pid) => total + of(pid), 0);
  return { processes: pids.length, rssBytes: sum(rss), pssBytes: sum(pss) };
}
