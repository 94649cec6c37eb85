// What a lab may leave behind if something went wrong: processes whose
// command line names the lab dir (or, for Erlang's helpers, whose working
// directory is in it), socket files in it, and the real Pacemaker cluster's
// network (bridge, veths, network namespaces and their /run/netns mounts)
// with any process still inside it, and a device fault's iptables rule. `lab down` and the tests check that
// there are none; `lab down` kills and removes them.
import { lstatSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { labNetworkObjects, networkOwner, removeNetwork } from './pacemaker-real/node-network.js';
import { isAlive, killTree, waitGone } from './process-tree.js';
import { sweepDeviceRules } from './devices/devices-component.js';

export interface Leftover {
  pid: number;
  /** Executable name (/proc/PID/comm). */
  comm: string;
  cmdline: string;
}

// What the lab runs. Anything else naming the dir (an operator's `tail -f
// DIR/logs/...`) is reported, never killed.
const LAB_PROGRAMS = new Set(['sshd', 'haproxy', 'etcd', 'redis-server', 'nginx', 'node', 'setpriv', 'unshare', 'sh', 'beam.smp', 'epmd', 'erl_child_setup', 'inet_gethost', 'postgres', 'psql', 'prometheus', 'prometheus-aler', 'mariadbd', 'mariadb']);

// RabbitMQ's epmd and the VM's helpers name no lab path on their command
// line; the lab starts them with a working directory in the lab dir.
const BY_CWD = new Set(['epmd', 'beam.smp', 'erl_child_setup', 'inet_gethost', 'postgres']);

function ancestors(): Set<number> {
  const found = new Set<number>();
  for (let pid = process.pid; pid > 1 && !found.has(pid); ) {
    found.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return found;
}

/** Processes whose command line mentions `dir`, leaving out this one and those that started it. */
export function labProcesses(dir: string): Leftover[] {
  const found: Leftover[] = [];
  const skip = ancestors();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || skip.has(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (cmdline.includes(dir) || (BY_CWD.has(comm) && inside(readlinkSync(`/proc/${pid}/cwd`), dir))) found.push({ pid, comm, cmdline });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function netns(pid: number | 'self'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/**
 * Every live process (zombies left out) whose executable name
 * (/proc/PID/comm, which keeps 15 characters) is one of `names`, in this
 * process's network namespace: the real Pacemaker cluster's nodes run the
 * same programs in namespaces of their own, and are not this machine's.
 */
export function processesNamed(names: readonly string[]): Leftover[] {
  const wanted = new Set(names.map((n) => n.slice(0, 15)));
  const own = netns('self');
  const found: Leftover[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || !isAlive(pid)) continue;
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (wanted.has(comm) && netns(pid) === own) found.push({ pid, comm, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

function inside(path: string, dir: string): boolean {
  const d = dir.replace(/\/+$/, '');
  return path === d || path.startsWith(`${d}/`);
}

/** Socket files anywhere under `dir`. */
export function labSockets(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(d, name);
      try {
        const stat = lstatSync(path, { throwIfNoEntry: false });
        if (stat?.isSocket()) found.push(path);
        else if (stat?.isDirectory()) walk(path);
      } catch {
        // removed while we looked
      }
    }
  };
  walk(dir);
  return found;
}

/** Live processes in one of the lab's network namespaces (named in /run/netns). */
export function processesInNamespaces(namespaces: readonly string[]): Leftover[] {
  const inodes = new Set(namespaces.flatMap((ns) => {
    try {
      return [`net:[${statSync(`/run/netns/${ns}`).ino}]`];
    } catch {
      return [];
    }
  }));
  const found: Leftover[] = [];
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || !isAlive(pid) || !inodes.has(netns(pid) ?? '')) continue;
    try {
      found.push({ pid, comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() });
    } catch {
      // exited while we looked
    }
  }
  return found;
}

/** The real cluster's network objects (and the processes in them) a lab in `dir` left; [] when another lab owns them. */
export async function labNetworkLeftovers(dir: string): Promise<string[]> {
  if (networkOwner() !== dir) return [];
  const { namespaces, links } = await labNetworkObjects();
  return [
    ...links.map((l) => `link ${l}`),
    ...namespaces.map((n) => `network namespace ${n} (mounted on /run/netns/${n})`),
    ...processesInNamespaces(namespaces).map((p) => `pid ${p.pid} in a lab network namespace: ${p.cmdline.slice(0, 160)}`),
  ];
}

/** Kills what runs in the lab's network namespaces, then removes them, the veths and the bridge. */
async function sweepNetwork(dir: string): Promise<string[]> {
  if (networkOwner() !== dir) return [];
  const { namespaces } = await labNetworkObjects();
  const report: string[] = [];
  const inside = processesInNamespaces(namespaces);
  const pids = inside.flatMap((p) => killTree(p.pid));
  for (const p of inside) report.push(`killed pid ${p.pid} (in a lab network namespace): ${p.cmdline.slice(0, 160)}`);
  if (!(await waitGone(pids, 5000))) report.push(`processes ${pids.join(' ')} survived SIGKILL for 5 s`);
  for (const removed of await removeNetwork()) report.push(`removed ${removed}`);
  return report;
}

/** Kills and removes what is left; returns a line per thing it had to remove. */
export async function sweepLeftovers(dir: string): Promise<string[]> {
  const report: string[] = [...(await sweepNetwork(dir)), ...(await sweepDeviceRules())];
  const found = labProcesses(dir);
  const processes = found.filter((p) => LAB_PROGRAMS.has(p.comm));
  for (const p of found.filter((f) => !processes.includes(f))) report.push(`left running (not the lab's): pid ${p.pid}: ${p.cmdline.slice(0, 160)}`);
  const pids = processes.flatMap((p) => killTree(p.pid));
  for (const p of processes) report.push(`killed pid ${p.pid}: ${p.cmdline.slice(0, 160)}`);
  if (!(await waitGone(pids, 5000))) report.push(`processes ${pids.join(' ')} survived SIGKILL for 5 s`);
  for (const socket of labSockets(dir)) {
    rmSync(socket, { force: true });
    report.push(`removed socket ${socket}`);
  }
  return report;
}
