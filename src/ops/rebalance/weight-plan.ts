// The HAProxy lever's pure planner: new weights per LB, backend and server
// from a strategy, within bounds (never below 1 for a server in rotation,
// unless asked: then a server on a host over the band may go to 0, out of
// rotation, but never the last one of its backend; never above 256, at most
// X % per step), and the predicted result. A plan
// never widens the spread: when the strategy's full step would, the largest
// fraction of it that does not is taken (none at all, if need be).
import { MAX_WEIGHT } from '../failover/haproxy/haproxy-weight.js';
import { balances, LoadModel, shares, spreadOf, type FleetHost, type ModelBackend } from './load-model.js';
import { desiredShares, type Candidate, type Strategy } from './strategies.js';

export interface WeightPlanInput {
  hosts: readonly FleetHost[];
  backends: readonly ModelBackend[];
  strategy: Strategy;
  /** Half-width of the balance band, percent points. */
  band: number;
  /** Largest change of one server's weight per rebalance, percent of its (rescaled) weight. */
  maxStepPercent: number;
  seed: number;
  /** A server on a host over the band may go down to weight 0 (never the last in rotation of its backend). */
  allowZero?: boolean;
}

export interface ServerWeight {
  lb: string;
  backend: string;
  server: string;
  host: string | null;
  before: number;
  after: number;
  shareBefore: number;
  shareAfter: number;
}

export interface BackendWeights {
  lb: string;
  backend: string;
  /** Every weight was multiplied by this before the step (1..100), so small weights (HAProxy's default 1) can move by X %. */
  scale: number;
  servers: ServerWeight[];
}

export interface HostForecast {
  id: string;
  capacity: number;
  before: number;
  after: number;
  balanceBefore: 'over' | 'under' | 'balanced';
  balanceAfter: 'over' | 'under' | 'balanced';
}

export interface WeightPlan {
  strategy: Strategy;
  band: number;
  maxStepPercent: number;
  /** How much of the strategy's step was taken (1 = all of it; less when all of it would widen the spread). */
  fraction: number;
  backends: BackendWeights[];
  /** Servers whose weight changes, LB by LB. */
  changes: ServerWeight[];
  target: { before: number; after: number };
  spread: { before: number; after: number };
  hosts: HostForecast[];
}

/** Fractions of the step tried, largest first; 0 = leave the weights alone. */
const LADDER = [1, 0.75, 0.5, 0.25, 0.125, 0];
const LEAST_LOADED_MAX_MOVES = 400;

interface Bounds {
  scale: number;
  start: number[];
  lo: number[];
  hi: number[];
  /** Servers the strategy may move: in rotation and on a host whose load is known. */
  movable: boolean[];
}

/**
 * The lowest weight each server may get: 1 in rotation; 0 when allowed for a
 * server on a host over the band, unless every server in rotation is one:
 * then the one on the least loaded host keeps 1, so the backend keeps a server.
 */
function floorsOf(b: ModelBackend, model: LoadModel, movable: boolean[], over: ReadonlySet<number> | undefined): number[] {
  const floors = b.servers.map((s, i) => (over && movable[i] && over.has(model.indexOf(s.hostId)) ? 0 : 1));
  const inRotation = b.servers.flatMap((s, i) => (s.inRotation && s.weight > 0 ? [i] : []));
  if (inRotation.length > 0 && inRotation.every((i) => floors[i] === 0)) {
    const keep = inRotation.reduce((best, i) => (model.hosts[model.indexOf(b.servers[i]!.hostId)]!.load < model.hosts[model.indexOf(b.servers[best]!.hostId)]!.load ? i : best));
    floors[keep] = 1;
  }
  return floors;
}

function boundsOf(b: ModelBackend, model: LoadModel, step: number, over: ReadonlySet<number> | undefined): Bounds {
  const weights = b.servers.map((s) => s.weight);
  const top = Math.max(1, ...weights);
  const scale = Math.max(1, Math.floor(Math.min(100 / top, MAX_WEIGHT / (top * (1 + step)))));
  const start = weights.map((w) => w * scale);
  const movable = b.servers.map((s) => s.inRotation && s.weight > 0 && model.indexOf(s.hostId) >= 0);
  const floors = floorsOf(b, model, movable, over);
  return {
    scale,
    start,
    movable,
    lo: start.map((w, i) => (movable[i] ? Math.max(floors[i]!, Math.ceil(w * (1 - step))) : w)),
    hi: start.map((w, i) => (movable[i] ? Math.min(MAX_WEIGHT, Math.floor(w * (1 + step))) : w)),
  };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** The strategy's goal weights for one backend (closed-form strategies). */
function goalWeights(b: ModelBackend, bounds: Bounds, model: LoadModel, input: WeightPlanInput, strategy: Exclude<Strategy, 'least_loaded'>): number[] {
  const idx = bounds.movable.flatMap((m, i) => (m ? [i] : []));
  if (idx.length < 2) return bounds.start;
  const candidates: Candidate[] = idx.map((i) => model.hosts[model.indexOf(b.servers[i]!.hostId)]!);
  const desired = desiredShares(strategy, candidates, input.seed, input.allowZero === true);
  const total = idx.reduce((sum, i) => sum + bounds.start[i]!, 0);
  const sum = desired.reduce((a, d) => a + d, 0);
  const goal = [...bounds.start];
  idx.forEach((i, k) => (goal[i] = clamp(Math.round((desired[k]! / sum) * total), bounds.lo[i]!, bounds.hi[i]!)));
  return goal;
}

/** least_loaded: move weight, a step at a time, from the most to the least loaded host until the band holds. */
function leastLoadedGoal(all: Bounds[], model: LoadModel, band: number): number[][] {
  const weights = all.map((b) => [...b.start]);
  const primary = primaryBackends(model.backends);
  const hostOf = model.backends.map((b) => b.servers.map((s) => model.indexOf(s.hostId)));
  const live = model.incremental(weights);
  const loads = live.loads;
  for (let move = 0; move < LEAST_LOADED_MAX_MOVES; move++) {
    const target = live.target();
    let best: { gap: number; b: number; from: number; to: number } | undefined;
    model.backends.forEach((backend, b) => {
      if (!primary[b]) return;
      // Linear scans, not sorts: this runs up to LEAST_LOADED_MAX_MOVES times over every server.
      const bounds = all[b]!;
      const w = weights[b]!;
      let from = -1;
      let to = -1;
      for (let s = 0; s < backend.servers.length; s++) {
        if (!bounds.movable[s]) continue;
        const l = loads[hostOf[b]![s]!]!;
        if (w[s]! > bounds.lo[s]! && (from < 0 || l > loads[hostOf[b]![from]!]!)) from = s;
        if (w[s]! < bounds.hi[s]! && (to < 0 || l < loads[hostOf[b]![to]!]!)) to = s;
      }
      if (from < 0 || to < 0 || from === to) return;
      const high = loads[hostOf[b]![from]!]!;
      const low = loads[hostOf[b]![to]!]!;
      const gap = high - low;
      const outside = high > target + band || low < target - band;
      if (outside && gap > 0 && (!best || gap > best.gap)) best = { gap, b, from, to };
    });
    if (!best) break;
    const w = weights[best.b]!;
    const total = w.reduce((a, x) => a + x, 0);
    const delta = Math.max(1, Math.min(Math.round(total * 0.02), w[best.from]! - all[best.b]!.lo[best.from]!, all[best.b]!.hi[best.to]! - w[best.to]!));
    w[best.from]! -= delta;
    w[best.to]! += delta;
    live.move(best.b, best.from, best.to, delta);
  }
  // The other LB of a pair gets the same weights when it has the same servers and weights.
  model.backends.forEach((backend, b) => {
    if (primary[b]) return;
    const p = model.backends.findIndex((o) => o.backend === backend.backend);
    const twin = model.backends[p]!.servers;
    if (twin.length === backend.servers.length && twin.every((s, i) => s.name === backend.servers[i]!.name && all[p]!.start[i] === all[b]!.start[i])) weights[b] = [...weights[p]!];
  });
  return weights;
}

/** True for the first LB's copy of each backend: the one the model predicts from. */
function primaryBackends(backends: readonly ModelBackend[]): boolean[] {
  const seen = new Set<string>();
  return backends.map((b) => !seen.has(b.backend) && Boolean(seen.add(b.backend)));
}

export function planWeights(input: WeightPlanInput): WeightPlan {
  const model = new LoadModel(input.hosts, input.backends);
  const step = input.maxStepPercent / 100;
  const before = spreadOf(input.hosts, input.hosts.map((h) => h.load));
  const balanceBefore = balances(input.hosts.map((h) => h.load), before.target, input.band);
  const over = input.allowZero ? new Set(balanceBefore.flatMap((b, i) => (b === 'over' ? [i] : []))) : undefined;
  const bounds = input.backends.map((b) => boundsOf(b, model, step, over));
  const goals =
    input.strategy === 'least_loaded'
      ? leastLoadedGoal(bounds, model, input.band)
      : input.backends.map((b, i) => goalWeights(b, bounds[i]!, model, input, input.strategy as Exclude<Strategy, 'least_loaded'>));
  const originals = input.backends.map((b) => b.servers.map((s) => s.weight));
  let chosen = { fraction: 0, weights: originals, loads: input.hosts.map((h) => h.load) };
  for (const fraction of LADDER) {
    if (fraction === 0) break;
    const weights = bounds.map((b, i) => b.start.map((w, s) => Math.round(w + fraction * (goals[i]![s]! - w))));
    const loads = model.predict(weights);
    if (spreadOf(input.hosts, loads).spread <= before.spread + 1e-9) {
      chosen = { fraction, weights, loads };
      break;
    }
  }
  // Same shares as now (only rescaled): no change at all.
  const same = chosen.weights.every((w, i) => {
    const rotation = input.backends[i]!.servers.map((s) => s.inRotation);
    const now = shares(originals[i]!, rotation);
    return shares(w, rotation).every((x, s) => Math.abs(x - now[s]!) < 1e-12);
  });
  if (same) chosen = { fraction: 0, weights: originals, loads: input.hosts.map((h) => h.load) };
  const after = spreadOf(input.hosts, chosen.loads);
  const backends: BackendWeights[] = input.backends.map((b, i) => {
    const rotation = b.servers.map((s) => s.inRotation);
    const shareBefore = shares(originals[i]!, rotation);
    const shareAfter = shares(chosen.weights[i]!, rotation);
    return {
      lb: b.lb,
      backend: b.backend,
      scale: chosen.fraction === 0 ? 1 : bounds[i]!.scale,
      servers: b.servers.map((s, k) => ({
        lb: b.lb,
        backend: b.backend,
        server: s.name,
        host: model.indexOf(s.hostId) >= 0 ? s.hostId! : null,
        before: s.weight,
        after: chosen.weights[i]![k]!,
        shareBefore: shareBefore[k]!,
        shareAfter: shareAfter[k]!,
      })),
    };
  });
  const balanceAfter = balances(chosen.loads, after.target, input.band);
  return {
    strategy: input.strategy,
    band: input.band,
    maxStepPercent: input.maxStepPercent,
    fraction: chosen.fraction,
    backends,
    changes: backends.flatMap((b) => b.servers.filter((s) => s.after !== s.before)),
    target: { before: before.target, after: after.target },
    spread: { before: before.spread, after: after.spread },
    hosts: input.hosts.map((h, i) => ({ id: h.id, capacity: h.capacity, before: h.load, after: chosen.loads[i]!, balanceBefore: balanceBefore[i]!, balanceAfter: balanceAfter[i]! })),
  };
}
