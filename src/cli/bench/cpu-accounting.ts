// CPU seconds spent by processes, read from /proc: the bench's own reaped
// children (the tool it timed) and a fleet's sshd masters with every session
// they reaped. On a machine where the servers share the cores with the
// client, the servers' CPU bounds how fast any client can be.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** utime, stime, cutime, cstime of /proc/PID/stat, in seconds; 0 when the process is gone. */
function statCpu(pid: number | 'self', own: boolean, reaped: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name, which may hold spaces.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const ticks = (own ? f[11]! + f[12]! : 0) + (reaped ? f[13]! + f[14]! : 0);
    return ticks / clockTicks();
  } catch {
    return 0;
  }
}

/** CPU seconds of this process's children that have exited and been waited for. */
export function reapedChildrenCpuSeconds(): number {
  return statCpu('self', false, true);
}

/** pid -> parent pid of every process now. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      map.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone since the listing.
    }
  }
  return map;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/**
 * CPU seconds of every process whose command line contains `marker` and of
 * all their descendants (live ones, and through cutime those reaped): e.g. a
 * fleet's sshd masters with their sessions and the shells' commands. Each
 * live process counts in whole clock ticks: read it once the sessions have
 * ended, when their time has been summed into their parents' exactly.
 */
export function processTreeCpuSeconds(marker: string): number {
  const parentOf = parents();
  const inTree = new Map<number, boolean>();
  const member = (pid: number): boolean => {
    const known = inTree.get(pid);
    if (known !== undefined) return known;
    inTree.set(pid, false); // cycles cannot happen, but a pid reused mid-scan must not loop
    const parent = parentOf.get(pid);
    const yes = commandLine(pid).includes(marker) || (parent !== undefined && parent > 1 && member(parent));
    inTree.set(pid, yes);
    return yes;
  };
  let total = 0;
  for (const pid of parentOf.keys()) if (member(pid)) total += statCpu(pid, true, true);
  return total;
}

/**
 * CPU seconds `times` runs of `sh -c script` cost on this machine (run one
 * after another, as `user` when given): the work every host must do however
 * the client drives it.
 */
export function shellScriptCpuSeconds(script: string, times: number, user?: string): number {
  const before = reapedChildrenCpuSeconds();
  const loop = `i=0; while [ "$i" -lt ${times} ]; do sh -c "$1" >/dev/null 2>&1; i=$((i + 1)); done`;
  const argv = ['sh', '-c', loop, 'cpu-floor', script];
  const r = user ? spawnSync('setpriv', ['--reuid', user, '--regid', user, '--init-groups', '--', ...argv]) : spawnSync(argv[0]!, argv.slice(1));
  if (r.status !== 0) throw new Error(`measuring the host-side floor failed: ${r.stderr?.toString().trim() || `exit ${r.status}`}`);
  return reapedChildrenCpuSeconds() - before;
}

/** Every core's busy and idle seconds since boot (/proc/stat's first line; iowait counts as idle). */
export interface MachineCpu {
  busyS: number;
  idleS: number;
}

export function machineCpuSeconds(): MachineCpu {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq (guest time is already in user; steal is the hypervisor's).
  const [user, nice, system, idle, iowait, irq, softirq] = fields.slice(0, 7).map(Number) as number[];
  const ticks = clockTicks();
  return { busyS: (user! + nice! + system! + irq! + softirq!) / ticks, idleS: (idle! + iowait!) / ticks };
}
