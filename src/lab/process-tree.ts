// Kills a process together with everything it forked, found through the
// parent pids in /proc (Linux). sshd forks per connection and again per
// session, and each connection calls setsid(), so neither killing the listener
// nor killing its process group ends the sessions already logged in.
// Synchronous on purpose: it also runs from a process 'exit' handler.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** State letter and parent pid from /proc/PID/stat; undefined when the process is gone. */
function readStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may itself hold spaces or ')'.
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** pid -> pids of its children, for every process visible now. */
function childrenByParent(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  return children;
}

/** The process and all its descendants, parents before children. */
export function processTree(root: number): number[] {
  const children = childrenByParent();
  const tree: number[] = [];
  const queue = [root];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone (ESRCH): nothing to do.
  }
}

/**
 * SIGKILLs the tree. It first freezes every member with SIGSTOP and rescans
 * until no new child appears, so a connection accepted mid-kill cannot fork a
 * survivor. Returns the pids signalled.
 */
export function killTree(root: number): number[] {
  if (!readStat(root)) return [];
  const seen = new Set<number>();
  for (let round = 0; round < 50; round++) {
    const fresh = processTree(root).filter((pid) => !seen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      seen.add(pid);
      signal(pid, 'SIGSTOP');
    }
  }
  for (const pid of seen) signal(pid, 'SIGKILL');
  return [...seen];
}

/** False for a zombie (dead, not yet reaped) or a pid that no longer exists. */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** True once none of the pids is running (gone, or a zombie awaiting its parent). */
export function allGone(pids: readonly number[]): boolean {
  return !pids.some(isAlive);
}

/** Polls until allGone or the deadline; returns whether they went. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!allGone(pids)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

// The reaper is a separate node process, so it cannot import this module: it
// carries its own copy of the /proc walk above, in plain JavaScript.
const REAPER_SOURCE = `
const fs = require('fs');
const roots = new Set();
let buf = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  buf += d;
  for (let i = buf.indexOf('\\n'); i >= 0; i = buf.indexOf('\\n')) {
    const line = buf.slice(0, i);
    buf = buf.slice(i + 1);
    if (line[0] === '+') roots.add(Number(line.slice(1)));
    else roots.delete(Number(line.slice(1)));
  }
});
process.stdin.on('close', () => {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    try {
      const stat = fs.readFileSync('/proc/' + name + '/stat', 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) || []), Number(name)]);
    } catch {}
  }
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    try { process.kill(pid, 'SIGKILL'); } catch {}
    queue.push(...(children.get(pid) || []));
  }
});
`;

/**
 * A watchdog for when this process dies without cleaning up (SIGKILL, crash):
 * it holds the read end of a pipe, and when the pipe closes it kills the trees
 * of every pid still registered. It never keeps this process alive.
 */
export class Reaper {
  private readonly stdin: Socket;

  constructor() {
    const child = spawn(process.execPath, ['-e', REAPER_SOURCE], { detached: true, stdio: ['pipe', 'ignore', 'ignore'] });
    child.unref();
    this.stdin = child.stdin as Socket;
    this.stdin.unref();
    // If the reaper itself dies, writes fail with EPIPE; the 'exit' handlers still clean up.
    this.stdin.on('error', () => undefined);
  }

  watch(pid: number): void {
    this.stdin.write(`+${pid}\n`);
  }

  forget(pid: number): void {
    this.stdin.write(`-${pid}\n`);
  }

  /** Ends the watchdog; it kills whatever is still registered, normally nothing. */
  close(): void {
    this.stdin.end();
  }
}
