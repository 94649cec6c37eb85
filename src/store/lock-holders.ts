// Who holds which operator lock, as every etcd cluster's last snapshot says:
// the marks the panes put on locked items. The selector is memoised on the
// services object, so a zustand selector can call it on every render.
import type { EtcdSnapshot } from '../probes/etcd-types.js';
import type { LockHolder } from '../probes/lock-records.js';
import type { ServicesState } from './services.js';

export type LockHolders = ReadonlyMap<string, LockHolder>;

const cache = new WeakMap<ServicesState, LockHolders>();
/** The last result: an etcd poll that changes no lock hands the panes the same map, so they need not redraw. */
let last: LockHolders = new Map();

const sameHolder = (a: LockHolder | undefined, b: LockHolder): boolean =>
  a !== undefined && a.user === b.user && a.host === b.host && a.pid === b.pid && a.action === b.action && a.actionId === b.actionId && a.since === b.since;

function sameLocks(a: LockHolders, b: LockHolders): boolean {
  return a.size === b.size && [...b].every(([key, holder]) => sameHolder(a.get(key), holder));
}

/** Lock key -> holder from every etcd service's snapshot; a key two clusters hold shows the newer holder. */
export function lockHolders(services: ServicesState): LockHolders {
  const cached = cache.get(services);
  if (cached) return cached;
  const found = new Map<string, LockHolder>();
  for (const s of Object.values(services)) {
    if (s.kind !== 'etcd' || s.snapshot === undefined) continue;
    for (const { key, holder } of (s.snapshot as EtcdSnapshot).locks) {
      const other = found.get(key);
      if (!other || holder.since > other.since) found.set(key, holder);
    }
  }
  if (!sameLocks(last, found)) last = found;
  cache.set(services, last);
  return last;
}
