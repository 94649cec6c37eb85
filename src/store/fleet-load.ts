// Cluster load and rebalance (seed notes, C88:533-568). A node's load is the
// mean of its CPU and memory use; the target is the capacity-weighted mean
// (the chapter sums capacity but forgets to use it), and a ±10-point band
// separates overloaded from underloaded nodes so hosts near the mean do not
// flap. Pure: the console, --once --json and the rebalance planner share it.
import type { HostSpec } from '../inventory/types.js';
import type { HostMetrics } from '../probes/host-metrics.js';
import type { BatonState, HistoryPoint, HostState } from './types.js';

export const BALANCE_BAND_POINTS = 10;
export const DEFAULT_CAPACITY = 1;

export type Balance = 'over' | 'under' | 'balanced';

type Fleet = Pick<BatonState, 'hosts' | 'order'>;

/** `capacity` from the host's inventory vars (number or numeric string), else 1. */
export function hostCapacity(spec: HostSpec): number {
  const raw = spec.vars['capacity'];
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : DEFAULT_CAPACITY;
}

/** Load in percent points; null until CPU % is known (it needs two samples). */
export function hostLoadPercent(metrics: Pick<HostMetrics, 'cpuPercent' | 'memUsedPercent'>): number | null {
  if (metrics.cpuPercent === null) return null;
  return (metrics.cpuPercent + metrics.memUsedPercent) / 2;
}

export function balanceOf(load: number, target: number, band = BALANCE_BAND_POINTS): Balance {
  if (load > target + band) return 'over';
  if (load < target - band) return 'under';
  return 'balanced';
}

export interface HostLoad {
  id: string;
  load: number;
  capacity: number;
  balance: Balance;
}

export interface FleetLoad {
  /** Capacity-aware mean load in percent points; null when no host reports. */
  target: number | null;
  band: number;
  /** Hosts that count: up, Linux, with CPU % known. Inventory order. */
  hosts: HostLoad[];
  /** Most loaded first. */
  overloaded: HostLoad[];
  /** Least loaded first. */
  underloaded: HostLoad[];
}

function reportingLoad(host: HostState): number | null {
  if (host.conn !== 'up' || host.unsupported !== undefined || !host.metrics) return null;
  return hostLoadPercent(host.metrics);
}

/** Capacity-weighted mean of `load` over `items`; null for an empty list. */
export function capacityMean<T>(items: Iterable<T>, load: (item: T) => number | null, capacity: (item: T) => number): number | null {
  let weighted = 0;
  let total = 0;
  for (const item of items) {
    const value = load(item);
    if (value === null) continue;
    const c = capacity(item);
    weighted += value * c;
    total += c;
  }
  return total > 0 ? weighted / total : null;
}

export function fleetLoad(state: Fleet, band = BALANCE_BAND_POINTS): FleetLoad {
  const measured: { id: string; load: number; capacity: number }[] = [];
  for (const id of state.order) {
    const host = state.hosts[id];
    const load = host ? reportingLoad(host) : null;
    if (host && load !== null) measured.push({ id, load, capacity: hostCapacity(host.spec) });
  }
  const target = capacityMean(measured, (m) => m.load, (m) => m.capacity);
  if (target === null) return { target, band, hosts: [], overloaded: [], underloaded: [] };
  const hosts = measured.map((m) => ({ ...m, balance: balanceOf(m.load, target, band) }));
  return {
    target,
    band,
    hosts,
    overloaded: hosts.filter((h) => h.balance === 'over').sort((a, b) => b.load - a.load),
    underloaded: hosts.filter((h) => h.balance === 'under').sort((a, b) => a.load - b.load),
  };
}

export interface GroupLoad {
  name: string;
  hosts: number;
  reporting: number;
  /** Capacity-aware mean load of the reporting members, percent points. */
  load: number | null;
}

/** Per inventory group, by name. Empty when the inventory has no groups. */
export function groupLoads(state: Fleet & Pick<BatonState, 'inventory'>): GroupLoad[] {
  const names = Object.keys(state.inventory.groups).sort();
  return names.map((name) => {
    const members = (state.inventory.groups[name] ?? []).flatMap((id) => {
      const host = state.hosts[id];
      return host ? [host] : [];
    });
    let reporting = 0;
    const load = capacityMean(
      members,
      (h) => {
        const value = reportingLoad(h);
        if (value !== null) reporting++;
        return value;
      },
      (h) => hostCapacity(h.spec),
    );
    return { name, hosts: members.length, reporting, load };
  });
}

export interface FleetSeries {
  /** Bucket end times, oldest first. */
  at: number[];
  /** Mean CPU % of the reporting hosts per bucket (null = nobody reported). */
  cpu: (number | null)[];
  /** Capacity-aware mean load % per bucket: the rebalance target over time. */
  load: (number | null)[];
}

export interface BucketOptions {
  /** End of the newest bucket (use the newest update, not the wall clock, so a still fleet draws a still chart). */
  end: number;
  bucketMs: number;
  buckets: number;
}

/** The newest history point of each bucket, oldest bucket first. */
export function bucketHistory(points: readonly HistoryPoint[], options: BucketOptions): (HistoryPoint | null)[] {
  const { end, bucketMs, buckets } = options;
  const out: (HistoryPoint | null)[] = new Array<HistoryPoint | null>(buckets).fill(null);
  const start = end - buckets * bucketMs;
  // Walk back from the newest point: only the window is visited, not the ring.
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    if (!p || p.at <= start) break;
    if (p.at > end) continue;
    const b = Math.min(buckets - 1, Math.floor((p.at - start - 1) / bucketMs));
    if (out[b] === null) out[b] = p;
  }
  return out;
}

export function fleetSeries(state: Fleet, options: BucketOptions): FleetSeries {
  const { end, bucketMs, buckets } = options;
  const cpuSum = new Array<number>(buckets).fill(0);
  const cpuCount = new Array<number>(buckets).fill(0);
  const loadSum = new Array<number>(buckets).fill(0);
  const capSum = new Array<number>(buckets).fill(0);
  for (const id of state.order) {
    const host = state.hosts[id];
    if (!host || host.unsupported !== undefined) continue;
    const capacity = hostCapacity(host.spec);
    bucketHistory(host.history.items, options).forEach((p, b) => {
      if (!p || p.cpuPercent === null) return;
      cpuSum[b]! += p.cpuPercent;
      cpuCount[b]! += 1;
      loadSum[b]! += ((p.cpuPercent + p.memUsedPercent) / 2) * capacity;
      capSum[b]! += capacity;
    });
  }
  const at = cpuSum.map((_, b) => end - (buckets - 1 - b) * bucketMs);
  return {
    at,
    cpu: cpuSum.map((sum, b) => (cpuCount[b]! > 0 ? sum / cpuCount[b]! : null)),
    load: loadSum.map((sum, b) => (capSum[b]! > 0 ? sum / capSum[b]! : null)),
  };
}
