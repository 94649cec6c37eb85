import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvailabilityTracker, HOUR_MS, LOSS_WINDOW } from '../../src/probes/availability.js';

describe('AvailabilityTracker', () => {
  it('has nothing to say before the first probe', () => {
    expect(new AvailabilityTracker().summary()).toBeUndefined();
  });

  it('counts availability since start and over the last hour, loss over the last probes, and the last change', () => {
    const t = new AvailabilityTracker();
    const at = (min: number) => min * 60_000;
    expect(t.record(at(0), true, 1, null)).toBeUndefined();
    // An hour of failures, then a probe that passes.
    for (let m = 1; m <= 60; m++) t.record(at(m), false, null, 'refused');
    expect(t.record(at(61), true, 2.5, null)).toBe(false);
    const s = t.summary()!;
    expect(s).toMatchObject({ up: true, since: at(61), probes: 62, lastFailure: { at: at(60), reason: 'refused' } });
    expect(s.availabilityPct).toBe(3.23);
    // The last hour: minutes 2-61, one passed of 60.
    expect(s.availabilityHourPct).toBe(1.67);
    expect(s.lossPct).toBe(95);
    expect(s.latencyMs.slice(-2)).toEqual([null, 2.5]);
  });

  it('keeps availability between 0 and 100 and the hour no longer than an hour', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 600_000 })), { minLength: 1, maxLength: 300 }), (probes) => {
        const t = new AvailabilityTracker();
        let now = 0;
        for (const [up, gap] of probes) t.record((now += gap), up, up ? 1 : null, up ? null : 'x');
        const s = t.summary()!;
        for (const p of [s.availabilityPct, s.availabilityHourPct, s.lossPct]) expect(p >= 0 && p <= 100).toBe(true);
        expect(s.up).toBe(probes.at(-1)![0]);
        const lastHour = probes.length - probes.findIndex((_, i) => probes.slice(0, i + 1).reduce((a, [, g]) => a + g, 0) > now - HOUR_MS);
        expect(Math.round((s.availabilityHourPct / 100) * lastHour)).toBeLessThanOrEqual(lastHour);
        expect(s.lossPct).toBe(Math.round((probes.slice(-Math.min(LOSS_WINDOW, lastHour)).filter(([up]) => !up).length / Math.min(LOSS_WINDOW, lastHour)) * 10_000) / 100);
      }),
    );
  });
});
