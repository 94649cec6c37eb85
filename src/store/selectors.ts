// Derived views of the store, shared by the console and --once --json.
import type { BatonState, HostState } from './types.js';

export function hostList(state: Pick<BatonState, 'hosts' | 'order'>): HostState[] {
  const list: HostState[] = [];
  for (const id of state.order) {
    const h = state.hosts[id];
    if (h) list.push(h);
  }
  return list;
}

/** Hosts up with fresh data: a host whose link is up but whose data is stale does not count. */
export function upCount(state: Pick<BatonState, 'hosts' | 'order'>, now: number, intervalMs: number): number {
  let n = 0;
  for (const id of state.order) {
    const h = state.hosts[id];
    if (h?.conn === 'up' && !isStale(h, now, intervalMs)) n++;
  }
  return n;
}

/** Time of the newest metrics in the fleet, or undefined before the first. */
export function newestUpdate(state: Pick<BatonState, 'hosts' | 'order'>): number | undefined {
  let newest: number | undefined;
  for (const id of state.order) {
    const t = state.hosts[id]?.updatedAt;
    if (t !== undefined && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/** Data older than this many poll intervals is marked stale. */
export const STALE_AFTER_INTERVALS = 3;

export function isStale(host: HostState, now: number, intervalMs: number): boolean {
  if (host.updatedAt === undefined) return false;
  return now - host.updatedAt > STALE_AFTER_INTERVALS * intervalMs;
}
