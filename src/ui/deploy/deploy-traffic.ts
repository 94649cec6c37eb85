// Live LB traffic per deploy host, from the HAProxy snapshots the monitor
// already polls (`show stat`): on every LB, the servers named as the host,
// their requests and 5xx answers per second over the last refreshes (the
// difference of HAProxy's counters req_tot and hrsp_5xx), their weight (a
// canary's share) and state. Pure.
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import type { ServicesState } from '../../store/services.js';
import type { Part } from '../widgets/styled-lines.js';

/** Refreshes the rates are taken over. */
export const TRAFFIC_WINDOW = 5;

interface ServerCount {
  backend: string;
  server: string;
  requests: number | null;
  errors: number | null;
  weight: number | null;
  state: string;
}

export interface TrafficSample {
  at: number;
  servers: ServerCount[];
}

/** Per LB (its HAProxy service's key), its last snapshots' server counters, oldest first. */
export type TrafficHistory = ReadonlyMap<string, readonly TrafficSample[]>;

/** The history with each LB's newest snapshot added, when it is new; the last TRAFFIC_WINDOW kept. */
export function addSamples(history: TrafficHistory, services: ServicesState, keep = TRAFFIC_WINDOW): TrafficHistory {
  const next = new Map(history);
  for (const s of Object.values(services)) {
    if (s.kind !== 'haproxy' || !s.snapshot || s.updatedAt === undefined) continue;
    const samples = history.get(s.key) ?? [];
    if (samples.at(-1)?.at === s.updatedAt) continue;
    const servers = (s.snapshot as HaproxySnapshot).backends.flatMap((b) =>
      b.servers.map((v) => ({ backend: b.name, server: v.name, requests: v.requests ?? null, errors: v.responses5xx ?? null, weight: v.weight, state: v.statusText })),
    );
    next.set(s.key, [...samples, { at: s.updatedAt, servers }].slice(-keep));
  }
  return next;
}

export interface HostTraffic {
  lb: string;
  backend: string;
  /** Per second over the window; null with fewer than two readings (or a counter missing). */
  requests: number | null;
  errors: number | null;
  weight: number | null;
  state: string;
}

/** A counter's rate over the readings since its last reset (HAProxy restarted: the counter went down). */
function rate(points: ReadonlyArray<{ at: number; value: number | null }>): number | null {
  let from = 0;
  for (let i = 1; i < points.length; i++) if ((points[i]!.value ?? 0) < (points[i - 1]!.value ?? 0)) from = i;
  const first = points[from];
  const last = points.at(-1);
  if (!first || !last || first === last || first.value === null || last.value === null || last.at <= first.at) return null;
  return ((last.value - first.value) * 1000) / (last.at - first.at);
}

export function hostTraffic(history: TrafficHistory, host: string): HostTraffic[] {
  const out: HostTraffic[] = [];
  for (const [lb, samples] of history) {
    const last = samples.at(-1);
    for (const now of last?.servers.filter((v) => v.server === host) ?? []) {
      const series = samples.map((s) => ({ at: s.at, v: s.servers.find((x) => x.backend === now.backend && x.server === host) }));
      const points = (pick: (v: ServerCount) => number | null) => series.map((p) => ({ at: p.at, value: p.v ? pick(p.v) : null }));
      out.push({ lb, backend: now.backend, requests: rate(points((v) => v.requests)), errors: rate(points((v) => v.errors)), weight: now.weight, state: now.state });
    }
  }
  return out.sort((a, b) => a.lb.localeCompare(b.lb) || a.backend.localeCompare(b.backend));
}

const perSecond = (n: number | null) => (n === null ? '…' : n.toFixed(1));

/** The host row's traffic parts: per LB, requests and 5xx per second, weight, and the state when it is not UP. */
export function trafficParts(list: readonly HostTraffic[]): Part[] {
  return list.flatMap((t): Part[] => [
    { text: ` ${t.lb} `, token: 'muted' },
    { text: `${perSecond(t.requests)} req/s `, token: 'text' },
    { text: `${perSecond(t.errors)} 5xx/s`, token: (t.errors ?? 0) > 0 ? 'crit' : 'muted' },
    { text: ` w${t.weight ?? '?'}`, token: 'muted' },
    ...(t.state === 'UP' ? [] : [{ text: ` ${t.state}`, token: 'warn' as const }]),
  ]);
}
