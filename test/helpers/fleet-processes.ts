// The processes under one sshd fleet (its listeners' command lines name the
// fleet's directory), so a test counts its own sessions, never those of
// other fleets or other work on the machine.
import { execFileSync } from 'node:child_process';

export function fleetProcesses(fleetDir: string): string[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='])
    .toString()
    .trim()
    .split('\n')
    .map((l) => {
      const [pid, ppid, ...args] = l.trim().split(/\s+/);
      return { pid: pid!, ppid: ppid!, args: args.join(' ') };
    });
  const ours = new Set(rows.filter((r) => r.args.includes(fleetDir)).map((r) => r.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) if (ours.has(r.ppid) && !ours.has(r.pid)) grew = Boolean(ours.add(r.pid));
  }
  return rows.filter((r) => ours.has(r.pid)).map((r) => r.args);
}
