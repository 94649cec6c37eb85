// Reconnect delays: exponential with "equal jitter" so a fleet that lost its
// network at once does not reconnect in lock-step.
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  random?: () => number;
}

export const RECONNECT_BASE_MS = 1000;
export const RECONNECT_CAP_MS = 60_000;

/** Delay before reconnect attempt `attempt` (0 = first retry): in [d/2, d], d = min(cap, base*2^attempt). */
export function reconnectDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? RECONNECT_BASE_MS;
  const cap = options.capMs ?? RECONNECT_CAP_MS;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 0), 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
