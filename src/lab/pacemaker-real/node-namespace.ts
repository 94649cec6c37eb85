// One node of the real cluster as a machine of its own: in its network
// namespace, a new PID, mount and UTS namespace whose init is a tiny reaper.
// The node has its own hostname, /proc, /run, /dev/shm (where Pacemaker's
// IPC lives), and its own /var/lib/pacemaker, /var/lib/corosync,
// /etc/corosync and /var/log/pacemaker (bind mounts of its dir in the lab
// dir). Its own PID namespace matters: resource agents find and kill their
// daemons by name (the nginx agent's pkill), which must not reach another
// node's. When the init dies (the lab's supervisor died, or `lab down`), the
// kernel kills every process of the node.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { allGone, isAlive } from '../process-tree.js';
import { netnsName, type NodeName } from './real-cluster-files.js';

/** The node's state dirs (in the lab dir) and where each is mounted on the node. */
export const NODE_MOUNTS = {
  'var-lib-pacemaker': '/var/lib/pacemaker',
  'var-lib-corosync': '/var/lib/corosync',
  'etc-corosync': '/etc/corosync',
  'log-pacemaker': '/var/log/pacemaker',
} as const;

/** Dirs a booting node needs in its empty /run (sshd's privilege separation, the agents' state, nginx). */
const RUN_DIRS = '/run/sshd /run/resource-agents /run/nginx /run/lock';

// PID 1 of the node: reaps what gets orphaned (nginx daemonises), forever.
const INIT = 'while (1) { sleep 1 if wait() == -1 }';

// Runs as root inside the new namespaces: $1 node name, $2 its state dir.
const SETUP = `set -e
node=$1 state=$2
hostname "$node"
mount -t sysfs sysfs /sys
mount -t tmpfs -o mode=0755,size=64m baton-node-run /run
mkdir -p ${RUN_DIRS}
mount -t tmpfs -o mode=1777,size=64m baton-node-shm /dev/shm
${Object.entries(NODE_MOUNTS)
  .map(([dir, target]) => `mount --bind "$state/${dir}" ${target}`)
  .join('\n')}
exec perl -e '${INIT}'
`;

/** argv of the process that makes the node's namespaces (its child becomes the node's init). */
export function nodeNamespaceArgv(node: NodeName, stateDir: string): { command: string; args: string[] } {
  return {
    command: 'nsenter',
    args: [
      `--net=/run/netns/${netnsName(node)}`,
      '--',
      // --kill-child: the node's init dies with this process, and with it every process of the node.
      'unshare', '--pid', '--fork', '--kill-child', '--mount-proc', '--mount', '--uts', '--propagation', 'private',
      '--', 'sh', '-c', SETUP, `baton-${node}`, node, stateDir,
    ],
  };
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The program's file name (comm keeps only 15 characters: pacemaker-contr). */
function program(pid: number): string {
  try {
    return basename(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return comm(pid);
  }
}

/** The node's init once its namespaces are set up (the child of `unshare`, turned into perl). */
export async function waitForInit(unsharePid: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const child = readdirSync('/proc').map(Number).find((pid) => Number.isInteger(pid) && parentOf(pid) === unsharePid);
    if (child !== undefined && comm(child) === 'perl') return child;
    if (!isAlive(unsharePid)) throw new Error('its namespaces could not be set up (unshare exited)');
    if (Date.now() > deadline) throw new Error(`its namespaces were not set up within ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

/** argv prefix that runs a command on the node: in its network, mount and UTS namespaces (and PID, for daemons). */
export function onNode(init: number, options: { pid?: boolean } = {}): string[] {
  return ['nsenter', '-t', String(init), ...(options.pid ? ['-p'] : []), '-m', '-u', '-n', '--'];
}

function namespaceOf(pid: number, kind: 'pid' | 'net'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

export interface NodeProcess {
  pid: number;
  /** The executable's file name, e.g. pacemaker-controld. */
  program: string;
}

/** Live processes whose namespace of `kind` is the one `anchor` is in (the anchor itself left out). */
export function processesSharing(anchor: number, kind: 'pid' | 'net'): NodeProcess[] {
  const ns = namespaceOf(anchor, kind);
  if (ns === undefined) return [];
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid !== anchor && isAlive(pid) && namespaceOf(pid, kind) === ns)
    .map((pid) => ({ pid, program: program(pid) }));
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs every process of the node but its init: a crash. The scan is
 * repeated until none is left, so a daemon pacemakerd respawned in between
 * goes too. No SIGSTOP first: nsenter, the parent of corosync and
 * pacemakerd outside the node, stops itself when its child stops, and would
 * then never reap it. Resolves with the processes killed.
 */
export async function killNodeProcesses(init: number, timeoutMs: number): Promise<NodeProcess[]> {
  const killed = new Map<number, NodeProcess>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = processesSharing(init, 'pid').filter((p) => !killed.has(p.pid));
    if (fresh.length === 0 && allGone([...killed.keys()])) return [...killed.values()];
    for (const p of fresh) {
      killed.set(p.pid, p);
      signal(p.pid, 'SIGKILL');
    }
    if (Date.now() > deadline) throw new Error(`processes ${[...killed.keys()].join(' ')} survived SIGKILL for ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

/** Shell run on the node at boot: an empty /run and /dev/shm, as after a reboot (sshd's dir kept). */
export function bootCleanScript(node: NodeName): string {
  // The hostname check makes sure this runs in the node's mount namespace, never the machine's.
  return `[ "$(hostname)" = ${node} ] || exit 1
find /run /dev/shm -mindepth 1 -maxdepth 1 ! -name sshd -exec rm -rf {} +
mkdir -p ${RUN_DIRS}`;
}
