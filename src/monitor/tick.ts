// The monitor's common clock: ticks at epoch + k * interval. Every poller
// waits for the next tick instead of an interval after its own last poll,
// so hosts that reconnected at scattered moments (backoff is jittered) poll
// in step with the others again from their next poll on: their updates land
// in one store write and one frame per tick, not one each.

/** The first tick strictly after `now` (`now` itself when the interval is not positive). */
export function nextTick(epochMs: number, intervalMs: number, now: number): number {
  if (!(intervalMs > 0)) return now;
  return epochMs + (Math.floor((now - epochMs) / intervalMs) + 1) * intervalMs;
}

/** The least gap between two polls of one poller, as a share of the interval. */
export const MIN_GAP_SHARE = 0.1;

/**
 * How long a poller that finished at `now` waits: until the first tick more
 * than a tenth of an interval away. A timer may fire some milliseconds early
 * (Node counts from the loop's cached time): that gap keeps two polls of one
 * host from landing a moment apart. It is kept small because a slow poll
 * (a loaded host, a probe waiting out a dead member) that misses the next
 * tick delays the news by a whole interval.
 */
export function untilNextTick(epochMs: number, intervalMs: number, now: number): number {
  return nextTick(epochMs, intervalMs, now + intervalMs * MIN_GAP_SHARE) - now;
}
