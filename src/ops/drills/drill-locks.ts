// The drill holds the operator lock on what its fault touches for the whole
// drill (the engine's lock keys, so other consoles' actions on those items are
// refused meanwhile). The engine actions the drill runs itself (a standby, a
// maint, their undo) take the same keys: they pass through the drill's hold.
import type { Inventory } from '../../inventory/types.js';
import type { HeldLock, LockHolder, LockManager } from '../engine/locks/lock-types.js';
import type { InjectSpec } from './drill-spec.js';

function pacemakerCluster(inventory: Inventory): string | undefined {
  return inventory.hosts.find((h) => h.roles.pacemaker)?.roles.pacemaker?.cluster ?? (inventory.hosts.some((h) => h.roles.pacemaker) ? 'pacemaker' : undefined);
}

/** The lock keys of a (placeholder-resolved) fault; at least one, so the drill is always visible as a holder. */
export function drillLockKeys(inject: InjectSpec, inventory: Inventory): string[] {
  const cluster = pacemakerCluster(inventory);
  const lbs = inventory.hosts.filter((h) => h.roles.haproxy).map((h) => h.id);
  const redis = inventory.hosts.find((h) => h.roles.redis)?.id;
  const hostKey = (h: string | undefined) => (h && inventory.hosts.some((x) => x.id === h) ? [`host:${h}`] : []);
  const keys: string[] = [];
  const lab = inject.lab_fail;
  if (lab !== undefined) {
    const [kind = '', a = '', b = ''] = lab.split(':');
    if (kind === 'app' || kind === 'host' || kind === 'nginx') keys.push(...hostKey(a));
    else if (kind === 'etcd') keys.push('etcd:etcd:cluster');
    else if (kind === 'pacemaker' && cluster) keys.push(a === 'resource' ? `pacemaker:${cluster}:resource:${b}` : `pacemaker:${cluster}:node:${a}`);
    else if (kind === 'queue') keys.push(...hostKey(redis));
  }
  if (inject.pacemaker_standby !== undefined && cluster) keys.push(`pacemaker:${cluster}:node:${inject.pacemaker_standby}`);
  if (inject.haproxy_maint !== undefined) keys.push(...lbs.map((lb) => `haproxy:${lb}:${inject.haproxy_maint}`));
  if (inject.etcd_leader_kill) keys.push('etcd:etcd:cluster');
  for (const onHost of [inject.systemctl_stop, inject.kill, inject.iptables_block]) if (onHost) keys.push(...hostKey(onHost.host));
  if (inject.action) keys.push(...hostKey(inject.action.args[0]));
  return keys.length > 0 ? keys : [`host:${inventory.hosts[0]?.id ?? 'localhost'}`];
}

/** A lock manager for the drill's own actions: keys the drill holds are granted at once (the drill gives them back). */
export function throughDrillLock(inner: LockManager, held: HeldLock): LockManager {
  const mine = new Set(held.keys);
  return {
    backend: inner.backend,
    async acquire(keys: readonly string[], holder: LockHolder): Promise<HeldLock> {
      const rest = keys.filter((k) => !mine.has(k));
      if (rest.length > 0) return inner.acquire(rest, holder);
      return { backend: held.backend, keys, token: held.token, release: () => Promise.resolve(), onLost: (l) => held.onLost(l) };
    },
    holders: (keys) => inner.holders(keys),
    breakLock: (key) => inner.breakLock(key),
    breakStep: (key) => inner.breakStep(key),
  };
}
