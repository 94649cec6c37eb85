// The "held by" mark of a locked item in the service details: the lock keys
// are those the ops engine takes (`haproxy:lb1:app/web2`,
// `pacemaker:prod:resource:web-group`, `etcd:etcd:member:etcd2`), the
// holders what the etcd probe last read. Pure.
import { describeHolder } from '../../probes/lock-records.js';
import type { LockHolders } from '../../store/lock-holders.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact } from './detail-lines.js';

/** The service a detail shows (its key names the LB or cluster in lock keys) and the locks held now. */
export interface ServiceLocks {
  serviceKey: string;
  holders: LockHolders;
}

export const NO_LOCKS: ServiceLocks = { serviceKey: '', holders: new Map() };

/** "held by ops@laptop (pid 4242) since 12:03:01: exec "uptime"", or undefined when the key is free. */
export function heldBy(holders: LockHolders, key: string): string | undefined {
  const holder = holders.get(key);
  return holder ? `held by ${describeHolder(holder)}` : undefined;
}

/** A `lock` fact for the item when it is locked; nothing when it is free. */
export function lockFact(holders: LockHolders, key: string): Line[] {
  const text = heldBy(holders, key);
  return text ? [fact('lock', { text, token: 'warn' })] : [];
}
