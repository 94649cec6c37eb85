// Which lock backend an inventory gets: etcd leases when it has an etcd
// cluster (every console that reaches the fleet sees the same locks), lock
// directories on the hosts otherwise.
import type { Inventory } from '../../../inventory/types.js';
import type { Transport } from '../../../transport/types.js';
import { DirLockManager } from './dir-locks.js';
import { EtcdLockManager } from './etcd-locks.js';
import type { LockManager } from './lock-types.js';

/** Long enough to ride out a slow renewal; short enough that a dead console's locks free themselves soon. */
export const DEFAULT_LOCK_TTL_MS = 15_000;

/**
 * A lock key is `KIND:ANCHOR[:ITEM...]`: `host:web1`, `haproxy:lb1:app/web2`,
 * `pacemaker:prod:resource:web-group`. Its directory lives on ANCHOR when
 * that is a host, else on the first host (inventory order) of the cluster
 * ANCHOR names, so every console picks the same host.
 */
export function lockHostFor(inventory: Inventory, key: string): string {
  const anchor = key.split(':')[1] ?? '';
  if (inventory.hosts.some((h) => h.id === anchor)) return anchor;
  const member = inventory.hosts.find((h) => h.roles.pacemaker?.cluster === anchor || (anchor === 'etcd' && h.roles.etcd));
  if (member) return member.id;
  throw new Error(`lock key ${JSON.stringify(key)} names no host or cluster of inventory ${inventory.name}`);
}

export function createLockManager(inventory: Inventory, transports: ReadonlyMap<string, Transport>, ttlMs = DEFAULT_LOCK_TTL_MS): LockManager {
  const members = inventory.hosts.filter((h) => h.roles.etcd).map((h) => ({ hostId: h.id, role: h.roles.etcd ?? {} }));
  if (members.length > 0) return new EtcdLockManager({ transports, members, ttlMs });
  return new DirLockManager({ transports, hostFor: (key) => lockHostFor(inventory, key), ttlMs });
}
