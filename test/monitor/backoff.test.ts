import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { reconnectDelay, RECONNECT_CAP_MS } from '../../src/monitor/backoff.js';

describe('reconnectDelay', () => {
  it('doubles from 1 s with equal jitter', () => {
    expect(reconnectDelay(0, { random: () => 0 })).toBe(500);
    expect(reconnectDelay(0, { random: () => 1 })).toBe(1000);
    expect(reconnectDelay(3, { random: () => 1 })).toBe(8000);
    expect(reconnectDelay(3, { random: () => 0 })).toBe(4000);
  });

  it('never exceeds the 60 s cap and never drops below half of it once capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = reconnectDelay(attempt, { random: () => r });
        expect(d).toBeLessThanOrEqual(RECONNECT_CAP_MS);
        expect(d).toBeGreaterThanOrEqual(Math.min(RECONNECT_CAP_MS, 1000 * 2 ** Math.min(attempt, 30)) / 2);
      }),
    );
  });
});
