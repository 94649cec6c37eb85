// The figures of a drill run, computed from what it recorded (pure), with
// properties over random traffic, and the report rendered from them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFigures, longestOutage, recoveryAt } from '../../../src/ops/drills/drill-figures.js';
import { renderMarkdown } from '../../../src/ops/drills/drill-report.js';
import type { DrillRun } from '../../../src/ops/drills/drill-run.js';
import { summarizeRepeats } from '../../../src/ops/drills/drill-repeat.js';
import type { TrafficRecord } from '../../../src/ops/drills/traffic-probe.js';

const T0 = 1_000_000;
/** One request every 100 ms from T0, each taking 10 ms; `bad` says which fail. */
const traffic = (n: number, bad: (i: number) => boolean): TrafficRecord[] =>
  Array.from({ length: n }, (_, i) => ({ probe: 'web', startAt: T0 + i * 100, endAt: T0 + i * 100 + 10, outcome: bad(i) ? 'fail' : 'ok' }));

function run(requests: TrafficRecord[], over: Partial<DrillRun> = {}): DrillRun {
  return {
    id: '20261203T120000Z-00000000', drill: 'd', file: 'd.yaml', inventory: 'lab', startedAt: T0 - 1000, injectedAt: T0 + 2000, restoreAt: T0 + 6000, restoredAt: T0 + 6500, endedAt: T0 + 10_000,
    inject: { label: 'lab fail app:web2', outcome: 'ok', detail: 'stopped', startAt: T0 + 1990, endAt: T0 + 2100 }, restore: [], restored: true, requests, slowMs: { web: 5 },
    events: [{ at: T0 + 2700, source: 'haproxy', severity: 'crit', message: 'lb1: web/web2 went DOWN' }], detect: undefined,
    conditions: [{ name: 'web2 DOWN', after: 'inject', withinMs: 5000, metAt: T0 + 3000 }], budget: { recovered_above: 95 }, placeholders: {},
    ...over,
  };
}

describe('drill figures', () => {
  it('an outage from 2.0 s to 3.5 s: detection, RTO, longest outage, requests and conditions', () => {
    const f = computeFigures(run(traffic(100, (i) => i >= 20 && i < 35)));
    expect(f.detectionMs).toBe(700);
    // The last bad 2 s window starts at 3.4 s; the first ok after it ends at 3.51 s.
    expect(f.rtoMs).toBe(1510);
    expect(f.longestOutageMs).toBe(1600);
    expect(f.requests).toEqual({ ok: 85, fail: 15, unknown: 0, slow: 85, total: 100 });
    expect(f.conditions).toEqual([{ name: 'web2 DOWN', metAtMs: 1000, withinMs: 5000, after: 'inject' }]);
    expect(f.passed).toBe(true);
  });

  it('a budget exceeded and a condition not met fail the drill, each named', () => {
    const f = computeFigures(run(traffic(100, (i) => i >= 20 && i < 35), { budget: { recovered_above: 95, rto: 1000, failed_requests: 20 }, conditions: [{ name: 'x', after: 'inject', withinMs: 100, metAt: null }] }));
    expect(f.exceeded).toEqual([{ figure: 'rtoMs', value: 1510, budget: 1000 }]);
    expect(f.failures).toEqual(['x: not met within 0.1 s', 'budget exceeded: rtoMs 1510 > 1000']);
    expect(f.passed).toBe(false);
  });

  it('traffic never back: no RTO, and an RTO budget counts that as exceeded', () => {
    const f = computeFigures(run(traffic(100, (i) => i >= 20), { budget: { recovered_above: 95, rto: 60_000 } }));
    expect(f.rtoMs).toBeNull();
    expect(f.exceeded[0]).toMatchObject({ figure: 'rtoMs', value: null });
  });

  it('properties: no failure means RTO 0; the longest outage is at least every failed stretch and at most the traffic span', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 30, maxLength: 200 }), (bads) => {
        const requests = traffic(bads.length, (i) => bads[i]!);
        const outage = longestOutage(requests)!;
        expect(outage).toBeLessThanOrEqual(bads.length * 100 + 10);
        let stretch = 0;
        bads.forEach((b, i) => {
          stretch = b ? stretch + 1 : 0;
          if (b && i + 1 < bads.length) expect(outage).toBeGreaterThanOrEqual(stretch * 100);
        });
        if (bads.every((b) => !b)) expect(recoveryAt(requests, T0, 95)).toBe(T0);
        const back = recoveryAt(requests, T0, 95);
        if (back !== null && back > T0) expect(requests.some((r) => r.endAt === back && r.outcome === 'ok')).toBe(true);
      }),
    );
  });

  it('--repeat: min, median and max of each figure; a figure a run lacked is counted apart', () => {
    const a = computeFigures(run(traffic(100, (i) => i >= 20 && i < 35)));
    const b = computeFigures(run(traffic(100, (i) => i >= 20 && i < 25)));
    const c = computeFigures(run(traffic(100, (i) => i >= 20)));
    const s = summarizeRepeats([a, b, c]);
    expect(s.rtoMs).toEqual({ min: b.rtoMs, median: (b.rtoMs! + a.rtoMs!) / 2, max: a.rtoMs, missing: 1 });
    expect(s.requests.fail).toMatchObject({ min: 5, median: 15, max: 80 });
  });

  it('the Markdown report: verdict, figures table with budgets, conditions, a timeline with the fault window shaded and its marks', () => {
    const r = run(traffic(100, (i) => i >= 20 && i < 35), { budget: { recovered_above: 95, rto: 1000 } });
    const md = renderMarkdown(computeFigures(r), r);
    expect(md).toMatch(/^# Drill d: FAILED$/m);
    expect(md).toContain('| RTO (fault to traffic back above 95 %) | 1.51 s | 1.00 s | **EXCEEDED** |');
    expect(md).toContain('| web2 DOWN | 1.00 s | 5.00 s |');
    const chart = md.split('```')[1]!.split('\n');
    const full = chart.find((l) => l.startsWith(' 100% |'))!;
    expect(full.slice(7)).toMatch(/^#+:*#+:+#+$/);
    const marks = chart.find((l) => l.startsWith('      +'))!;
    expect(marks.indexOf('I')).toBeLessThan(marks.indexOf('D'));
    expect(marks.indexOf('D')).toBeLessThan(marks.indexOf('B'));
    expect(marks.indexOf('B')).toBeLessThan(marks.indexOf('R'));
    expect(md).toContain('- +3.70 s crit haproxy: lb1: web/web2 went DOWN');
  });
});
