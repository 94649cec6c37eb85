// Who holds which operator lock, as every etcd cluster's last snapshot says:
// the marks the panes put on locked items. The selector is memoised on the
// services object, so a zustand selector can call it on every render.
import type { EtcdSnapshot } from '../probes/etcd-types.js';
import type { LockHolder } from '../probes/lock-records.js';
import type { ServicesState } from './services.js';

export type LockHolders = ReadonlyMap<string, LockHolder>;

const NONE: LockHolders = new Map();
const cache = new WeakMap<ServicesState, LockHolders>();

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
  const result = found.size === 0 ? NONE : found;
  cache.set(services, result);
  return result;
}
