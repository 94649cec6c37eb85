// How the planner predicts the result: a server's share of its backend is
// weight / sum of the backend's weights in rotation (HAProxy's roundrobin
// and leastconn under even sessions), and a host's load is assumed to follow
// its traffic: load after = load now * share after / share now, averaged over
// the backends it serves. Hosts that serve nothing keep their load. Pure.
import { balanceOf, capacityMean, type Balance } from '../../store/fleet-load.js';

export interface FleetHost {
  id: string;
  /** Percent points, 0..100. */
  load: number;
  capacity: number;
}

export interface ModelServer {
  name: string;
  /** The runtime weight now. */
  weight: number;
  /** UP (or unchecked), not a backup, weight above 0: takes a share. */
  inRotation: boolean;
  /** The inventory host it runs on (its name is the host's id), when it has one. */
  hostId?: string;
}

export interface ModelBackend {
  lb: string;
  backend: string;
  servers: ModelServer[];
}

export const shares = (weights: readonly number[], inRotation: readonly boolean[]): number[] => {
  const total = weights.reduce((sum, w, i) => (inRotation[i] ? sum + w : sum), 0);
  return weights.map((w, i) => (inRotation[i] && total > 0 ? w / total : 0));
};

/** Capacity-weighted mean and the largest distance from it. */
export function spreadOf(hosts: readonly FleetHost[], loads: readonly number[]): { target: number; spread: number } {
  const target = capacityMean(hosts.keys(), (i) => loads[i]!, (i) => hosts[i]!.capacity) ?? 0;
  return { target, spread: loads.reduce((max, l) => Math.max(max, Math.abs(l - target)), 0) };
}

export function balances(loads: readonly number[], target: number, band: number): Balance[] {
  return loads.map((l) => balanceOf(l, target, band));
}

/**
 * Predicts host loads from new weights. Only the first LB that has a backend
 * counts for it (an active/passive pair carries one LB's traffic at a time).
 */
export class LoadModel {
  private readonly hostIndex = new Map<string, number>();
  /** Per primary backend: its index in `backends`, and each server's host index or -1. */
  private readonly primaries: { backend: number; hostOf: number[]; before: number[] }[] = [];

  constructor(
    readonly hosts: readonly FleetHost[],
    readonly backends: readonly ModelBackend[],
  ) {
    hosts.forEach((h, i) => this.hostIndex.set(h.id, i));
    const seen = new Set<string>();
    backends.forEach((b, index) => {
      if (seen.has(b.backend)) return;
      seen.add(b.backend);
      const rotation = b.servers.map((s) => s.inRotation);
      this.primaries.push({
        backend: index,
        hostOf: b.servers.map((s) => (s.hostId === undefined ? -1 : (this.hostIndex.get(s.hostId) ?? -1))),
        before: shares(
          b.servers.map((s) => s.weight),
          rotation,
        ),
      });
    });
  }

  indexOf(hostId: string | undefined): number {
    return hostId === undefined ? -1 : (this.hostIndex.get(hostId) ?? -1);
  }

  /**
   * Loads kept up to date as weight moves between two servers of one backend
   * (its total unchanged, so only those two hosts' loads change): the
   * least_loaded loop's cost per move stays constant instead of a full predict.
   */
  incremental(weights: readonly (readonly number[])[]): { loads: number[]; target(): number; move(backend: number, from: number, to: number, delta: number): void } {
    const loads = this.predict(weights);
    const n = this.hosts.length;
    const ratioSum = new Float64Array(n);
    const ratioCount = new Uint32Array(n);
    const totals = new Map<number, number>();
    const primaryOf = new Map(this.primaries.map((p) => [p.backend, p]));
    for (const p of this.primaries) {
      const b = this.backends[p.backend]!;
      const w = weights[p.backend]!;
      const total = w.reduce((sum, x, i) => (b.servers[i]!.inRotation ? sum + x : sum), 0);
      totals.set(p.backend, total);
      p.hostOf.forEach((h, s) => {
        if (h < 0 || p.before[s]! <= 0) return;
        ratioSum[h]! += (total > 0 ? w[s]! / total : 0) / p.before[s]!;
        ratioCount[h]! += 1;
      });
    }
    let capacity = 0;
    let weighted = 0;
    this.hosts.forEach((h, i) => {
      capacity += h.capacity;
      weighted += h.capacity * loads[i]!;
    });
    const update = (p: (typeof this.primaries)[number], s: number, dw: number, total: number) => {
      const h = p.hostOf[s]!;
      if (h < 0 || p.before[s]! <= 0 || total <= 0) return;
      ratioSum[h]! += dw / total / p.before[s]!;
      const next = Math.min(100, Math.max(0, this.hosts[h]!.load * (ratioSum[h]! / ratioCount[h]!)));
      weighted += this.hosts[h]!.capacity * (next - loads[h]!);
      loads[h] = next;
    };
    return {
      loads,
      target: () => (capacity > 0 ? weighted / capacity : 0),
      move: (backend, from, to, delta) => {
        const p = primaryOf.get(backend);
        if (!p) return;
        const total = totals.get(backend)!;
        update(p, from, -delta, total);
        update(p, to, delta, total);
      },
    };
  }

  /** Host loads with `weights[b][s]` as every backend's weights. */
  predict(weights: readonly (readonly number[])[]): number[] {
    const ratioSum = new Float64Array(this.hosts.length);
    const ratioCount = new Uint32Array(this.hosts.length);
    for (const p of this.primaries) {
      const b = this.backends[p.backend]!;
      const after = shares(
        weights[p.backend]!,
        b.servers.map((s) => s.inRotation),
      );
      p.hostOf.forEach((h, s) => {
        if (h < 0 || p.before[s]! <= 0) return;
        ratioSum[h]! += after[s]! / p.before[s]!;
        ratioCount[h]! += 1;
      });
    }
    return this.hosts.map((host, i) => {
      const ratio = ratioCount[i]! > 0 ? ratioSum[i]! / ratioCount[i]! : 1;
      return Math.min(100, Math.max(0, host.load * ratio));
    });
  }
}
