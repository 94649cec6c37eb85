// Who runs an action: the local user, this machine and our pid. Journaled
// with every run and written to each target's syslog.
import { hostname, userInfo } from 'node:os';

export interface Operator {
  user: string;
  host: string;
  pid: number;
}

export function currentOperator(): Operator {
  let user = process.env.USER ?? process.env.LOGNAME ?? '';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container's random uid): the environment's name, or the uid.
    user ||= String(process.getuid?.() ?? 'unknown');
  }
  return { user, host: hostname(), pid: process.pid };
}

export function operatorLabel(who: Pick<Operator, 'user' | 'host'>): string {
  return `${who.user}@${who.host}`;
}

/** True when `who` is a process of this machine that still runs. */
export function isAliveHere(who: Operator): boolean {
  if (who.host !== hostname()) return false;
  try {
    process.kill(who.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
