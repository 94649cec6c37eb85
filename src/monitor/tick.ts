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

/**
 * How long a poller that finished at `now` waits: until the first tick more
 * than half an interval away. A timer may fire some milliseconds early (Node
 * counts from the loop's cached time), and a poll may run long; neither
 * makes two polls of one host a moment apart.
 */
export function untilNextTick(epochMs: number, intervalMs: number, now: number): number {
  return nextTick(epochMs, intervalMs, now + intervalMs / 2) - now;
}
