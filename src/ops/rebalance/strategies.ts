// The seed's node selection strategies (C88 ClusterManager) turned into the
// share of a backend's traffic each server should get. Pure; weighted_random
// draws from a seeded generator, so the same input and seed give the same plan.

import { REBALANCE_STRATEGIES, type RebalanceStrategy } from '../../inventory/types.js';

export const STRATEGIES = REBALANCE_STRATEGIES;
export type Strategy = RebalanceStrategy;

/** A server of one backend that takes part, with the load of the host it runs on. */
export interface Candidate {
  /** Host load in percent points (0..100). */
  load: number;
  capacity: number;
}

/** mulberry32: a small, well-mixed 32-bit generator; deterministic for a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A server on a fully loaded host keeps a sliver of share: the planner never takes it out of rotation (unless allowed to). */
const MIN_SPARE = 0.01;

const spare = (c: Candidate, floor: number): number => c.capacity * Math.max(floor, 1 - c.load / 100);

/** Seed C88: weight = capacity * 100 / (1 + load). */
const seedWeight = (c: Candidate): number => (c.capacity * 100) / (1 + c.load);

/**
 * weighted_random: the seed picks a node at random in proportion to its
 * weight; as a share, that is `draws` weighted picks counted per server
 * (so the plan is what a run of the seed's selector would have sent).
 */
function weightedDraws(candidates: readonly Candidate[], seed: number, draws = 1000): number[] {
  const weights = candidates.map(seedWeight);
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = candidates.map(() => 0);
  const random = seededRandom(seed);
  for (let d = 0; d < draws; d++) {
    let at = random() * total;
    let i = 0;
    while (i < weights.length - 1 && at >= weights[i]!) at -= weights[i++]!;
    counts[i]! += 1;
  }
  // Every candidate keeps at least one draw: nobody leaves rotation by chance.
  return counts.map((c) => Math.max(1, c));
}

/**
 * Unnormalised desired shares per candidate for the strategies that have a
 * closed form; least_loaded is iterative and lives in the weight planner.
 */
export function desiredShares(strategy: Exclude<Strategy, 'least_loaded'>, candidates: readonly Candidate[], seed: number, allowZero = false): number[] {
  switch (strategy) {
    case 'resource_based':
      return candidates.map((c) => spare(c, allowZero ? 0 : MIN_SPARE));
    case 'round_robin':
      return candidates.map(() => 1);
    case 'weighted_random':
      return weightedDraws(candidates, seed);
  }
}
