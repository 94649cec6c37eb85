// How a strategy cuts the targets into batches, in order. Pure.
// serial: a count, a percentage of all targets (rounded up, at least 1), or
// a list whose last entry repeats (Ansible's `serial: [1, 25%, 100%]`).
// max_unavailable caps every batch: a batch's hosts are out of rotation
// together, and batches never overlap.
import type { Amount, StrategySpec } from './deploy-spec.js';

/** An amount of `total`: a count as is, a percentage rounded up; at least 1. */
export function resolveAmount(amount: Amount, total: number): number {
  if (typeof amount === 'number') return Math.max(1, amount);
  return Math.max(1, Math.ceil((Number.parseFloat(amount) / 100) * total));
}

export function batchSizes(strategy: Pick<StrategySpec, 'kind' | 'serial'>, total: number, maxUnavailable?: Amount): number[] {
  if (total === 0) return [];
  const cap = maxUnavailable === undefined ? total : resolveAmount(maxUnavailable, total);
  const serial = strategy.kind === 'parallel' ? [total] : strategy.kind === 'sequential' ? [1] : Array.isArray(strategy.serial) ? strategy.serial : [strategy.serial];
  const sizes: number[] = [];
  for (let left = total, i = 0; left > 0; i++) {
    const size = Math.min(left, cap, resolveAmount(serial[Math.min(i, serial.length - 1)]!, total));
    sizes.push(size);
    left -= size;
  }
  return sizes;
}

/** The targets, in their order, cut into batches. */
export function batchesOf<T>(targets: readonly T[], sizes: readonly number[]): T[][] {
  let at = 0;
  return sizes.map((n) => targets.slice(at, (at += n)));
}

/** Whether `failed` hosts of a batch of `size` stop the deploy: more than max_fail, or the whole batch (as Ansible does even at 100 %). */
export function batchFailed(failed: number, size: number, maxFail?: Amount): boolean {
  if (failed === 0) return false;
  if (failed >= size) return true;
  if (maxFail === undefined) return true;
  if (typeof maxFail === 'number') return failed > maxFail;
  return (failed / size) * 100 > Number.parseFloat(maxFail);
}
