import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MIN_GAP_SHARE, nextTick, untilNextTick } from '../../src/monitor/tick.js';

describe('the common poll clock', () => {
  test('the next tick after a moment, on it, and before the epoch', () => {
    expect(nextTick(1000, 500, 1000)).toBe(1500);
    expect(nextTick(1000, 500, 1499)).toBe(1500);
    expect(nextTick(1000, 500, 1500)).toBe(2000);
    expect(nextTick(1000, 500, 10_123)).toBe(10_500);
    expect(nextTick(1000, 500, 700)).toBe(1000);
    expect(untilNextTick(1000, 2000, 4300)).toBe(700);
    expect(untilNextTick(1000, 2000, 4900)).toBe(2100);
    expect(untilNextTick(1000, 2000, 3900)).toBe(1100);
  });

  test('property: the next tick is on the clock, after now, at most one interval away', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (epoch, interval, offset) => {
        const now = epoch + offset;
        const tick = nextTick(epoch, interval, now);
        expect(tick).toBeGreaterThan(now);
        expect(tick - now).toBeLessThanOrEqual(interval);
        expect((tick - epoch) % interval === 0).toBe(true);
      }),
    );
  });

  test('property: a poller waits for a tick more than a tenth of an interval and at most 1.1 intervals away', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (epoch, interval, offset) => {
        const now = epoch + offset;
        const wait = untilNextTick(epoch, interval, now);
        expect(wait).toBeGreaterThan(interval * MIN_GAP_SHARE);
        expect(wait).toBeLessThanOrEqual((1 + MIN_GAP_SHARE) * interval);
        expect((now + wait - epoch) % interval === 0).toBe(true);
      }),
    );
  });

  test('property: pollers that finish within the first nine tenths of one interval all poll next on the same tick', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 42 }), fc.integer({ min: 1, max: 600_000 }), fc.integer({ min: 0, max: 10_000 }), fc.array(fc.double({ min: 0, max: 1 - MIN_GAP_SHARE, maxExcluded: true, noNaN: true }), { minLength: 2 }), (epoch, interval, k, phases) => {
        // Strictly inside the first nine tenths: p * interval may round up to exactly 0.9 * interval.
        const last = Math.ceil(interval * (1 - MIN_GAP_SHARE)) - 1;
        const finished = phases.map((p) => epoch + k * interval + Math.min(Math.floor(p * interval), last));
        const ticks = new Set(finished.map((now) => now + untilNextTick(epoch, interval, now)));
        expect(ticks).toEqual(new Set([epoch + (k + 1) * interval]));
      }),
      // A phase just under 0.9 whose product rounds to exactly nine tenths (seen in CI).
      { examples: [[0, 10, 0, [0.8999999999999999, 0, 0]]] },
    );
  });

  test('an interval that is not positive waits for nothing', () => {
    expect(untilNextTick(0, 0, 123)).toBe(0);
  });
});
