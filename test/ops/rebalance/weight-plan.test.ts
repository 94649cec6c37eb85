// The HAProxy lever's planner: the properties over random fleets,
// loads, capacities and weights, for every strategy, and a few fixed cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FleetHost, ModelBackend } from '../../../src/ops/rebalance/load-model.js';
import { STRATEGIES, type Strategy } from '../../../src/ops/rebalance/strategies.js';
import { planWeights, type WeightPlanInput } from '../../../src/ops/rebalance/weight-plan.js';

const fleet = fc
  .array(
    fc.record({
      load: fc.double({ min: 0, max: 100, noNaN: true }),
      capacity: fc.constantFrom(0.5, 1, 1, 2, 4),
      weight: fc.oneof(fc.constant(1), fc.integer({ min: 0, max: 256 })),
      inRotation: fc.boolean(),
      behindLb: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((rows) => {
    const hosts: FleetHost[] = rows.map((r, i) => ({ id: `h${i}`, load: r.load, capacity: r.capacity }));
    const servers = rows.flatMap((r, i) => (r.behindLb ? [{ name: `h${i}`, weight: r.weight, inRotation: r.inRotation && r.weight > 0, hostId: `h${i}` }] : []));
    const backends: ModelBackend[] = [
      { lb: 'lb1', backend: 'app', servers: [...servers, { name: 'sorry', weight: 1, inRotation: false }] },
      { lb: 'lb2', backend: 'app', servers: servers.map((s) => ({ ...s })) },
    ];
    return { hosts, backends };
  });

const input = fc.record({
  fleet,
  strategy: fc.constantFrom(...STRATEGIES),
  band: fc.integer({ min: 1, max: 30 }),
  maxStepPercent: fc.integer({ min: 1, max: 100 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

type Drawn = { fleet: { hosts: FleetHost[]; backends: ModelBackend[] }; strategy: Strategy; band: number; maxStepPercent: number; seed: number };

const toInput = (i: Drawn): WeightPlanInput => ({
  hosts: i.fleet.hosts,
  backends: i.fleet.backends,
  strategy: i.strategy,
  band: i.band,
  maxStepPercent: i.maxStepPercent,
  seed: i.seed,
});

describe('rebalance weight planner: properties', () => {
  it('never increases the spread (max distance from the capacity-weighted mean)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planWeights(toInput(i));
        expect(plan.spread.after).toBeLessThanOrEqual(plan.spread.before + 1e-9);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps weights in bounds: 1..256 for a server in rotation, untouched shares for the rest, within the per-step limit', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planWeights(toInput(i));
        const step = i.maxStepPercent / 100;
        for (const b of plan.backends) {
          for (const s of b.servers) {
            expect(s.after).toBeGreaterThanOrEqual(0);
            expect(s.after).toBeLessThanOrEqual(256);
            expect(Number.isInteger(s.after)).toBe(true);
            if (s.after === s.before) continue;
            const start = s.before * b.scale;
            if (s.host === null || s.before === 0) expect(s.after).toBe(start);
            else {
              expect(s.after).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(start * (1 - step))));
              expect(s.after).toBeLessThanOrEqual(Math.floor(start * (1 + step)));
            }
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never takes a server out of rotation', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planWeights(toInput(i));
        for (const b of plan.backends) for (const s of b.servers) if (s.before > 0) expect(s.after).toBeGreaterThanOrEqual(1);
        for (const b of plan.backends)
          b.servers.forEach((s) => {
            if (s.shareBefore > 0) expect(s.shareAfter).toBeGreaterThan(0);
          });
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic for the same input and seed', () => {
    fc.assert(
      fc.property(input, (i) => {
        expect(planWeights(toInput(i))).toEqual(planWeights(toInput(structuredClone(i))));
      }),
      { numRuns: 200 },
    );
  });
});

describe('rebalance weight planner: weight 0 when asked (allowZero)', () => {
  const zero = (i: Drawn): WeightPlanInput => ({ ...toInput(i), allowZero: true });

  it('never widens the spread, stays within the step, and only servers on hosts over the band reach 0', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planWeights(zero(i));
        expect(plan.spread.after).toBeLessThanOrEqual(plan.spread.before + 1e-9);
        const step = i.maxStepPercent / 100;
        for (const b of plan.backends)
          for (const s of b.servers) {
            if (s.after === s.before) continue;
            const start = s.before * b.scale;
            expect(s.after).toBeGreaterThanOrEqual(Math.max(0, Math.ceil(start * (1 - step))));
            expect(s.after).toBeLessThanOrEqual(Math.min(256, Math.floor(start * (1 + step))));
            if (s.after === 0) expect(plan.hosts.find((h) => h.id === s.host)!.balanceBefore).toBe('over');
          }
      }),
      { numRuns: 400 },
    );
  });

  it('never takes the last server in rotation of a backend to 0', () => {
    fc.assert(
      fc.property(input, (i) => {
        const plan = planWeights(zero({ ...i, maxStepPercent: 100 }));
        plan.backends.forEach((b, k) => {
          const inRotation = i.fleet.backends[k]!.servers.filter((s) => s.inRotation && s.weight > 0).map((s) => s.name);
          if (inRotation.length > 0) expect(b.servers.some((s) => inRotation.includes(s.server) && s.after > 0)).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('resource_based with --max-step 100 takes web2, on a host at 100 %, out of rotation; by default it keeps 1 at least', () => {
    const base: WeightPlanInput = { ...three([20, 100, 20]), maxStepPercent: 100 };
    const web2 = (p: ReturnType<typeof planWeights>) => p.backends[0]!.servers.find((s) => s.server === 'web2')!;
    expect(web2(planWeights({ ...base, allowZero: true }))).toMatchObject({ before: 1, after: 0, shareAfter: 0 });
    expect(web2(planWeights(base)).after).toBeGreaterThanOrEqual(1);
    // At 50 % a step cannot reach 0 (100 -> 50 at most), asked or not.
    expect(web2(planWeights({ ...base, maxStepPercent: 50, allowZero: true })).after).toBe(50);
  });

  it('when every server of a backend is on a host over the band, the one on the least loaded host stays in rotation', () => {
    const plan = planWeights({
      hosts: [{ id: 'web1', load: 90, capacity: 1 }, { id: 'web2', load: 99, capacity: 1 }, { id: 'db1', load: 5, capacity: 1 }, { id: 'db2', load: 5, capacity: 1 }],
      backends: [{ lb: 'lb1', backend: 'web', servers: ['web1', 'web2'].map((h) => ({ name: h, weight: 10, inRotation: true, hostId: h })) }],
      strategy: 'least_loaded',
      band: 10,
      maxStepPercent: 100,
      seed: 14,
      allowZero: true,
    });
    const after = Object.fromEntries(plan.backends[0]!.servers.map((s) => [s.server, s.after]));
    expect(after.web1).toBeGreaterThanOrEqual(1);
  });
});

const three = (loads: number[], weight = 1): WeightPlanInput => ({
  hosts: loads.map((load, i) => ({ id: `web${i + 1}`, load, capacity: 1 })),
  backends: [{ lb: 'lb1', backend: 'web', servers: loads.map((_, i) => ({ name: `web${i + 1}`, weight, inRotation: true, hostId: `web${i + 1}` })) }],
  strategy: 'resource_based',
  band: 10,
  maxStepPercent: 50,
  seed: 14,
});

describe('rebalance weight planner: cases', () => {
  it('resource_based lowers the overloaded server and rescales HAProxy\'s default weight 1 so it can move by 50 %', () => {
    const plan = planWeights(three([20, 90, 20]));
    const web2 = plan.changes.find((c) => c.server === 'web2')!;
    expect(plan.backends[0]!.scale).toBe(100);
    expect(web2.after).toBe(50);
    expect(web2.shareAfter).toBeLessThan(web2.shareBefore);
    expect(plan.hosts.find((h) => h.id === 'web2')!.after).toBeLessThan(90);
    expect(plan.spread.after).toBeLessThan(plan.spread.before);
  });

  it('plans nothing for a balanced fleet', () => {
    for (const strategy of ['resource_based', 'least_loaded', 'round_robin'] as const) {
      const plan = planWeights({ ...three([40, 40, 40], 10), strategy });
      expect(plan.changes).toEqual([]);
    }
  });

  it('least_loaded moves weight from the most to the least loaded host', () => {
    const plan = planWeights({ ...three([30, 80, 20]), strategy: 'least_loaded' });
    const w = Object.fromEntries(plan.backends[0]!.servers.map((s) => [s.server, s.after]));
    expect(w.web2).toBeLessThan(100);
    expect(w.web3).toBeGreaterThan(100);
  });

  it('weighted_random depends on the seed only through its draws', () => {
    const a = planWeights({ ...three([10, 60, 30]), strategy: 'weighted_random', seed: 1 });
    const b = planWeights({ ...three([10, 60, 30]), strategy: 'weighted_random', seed: 1 });
    expect(a).toEqual(b);
    expect(a.changes.find((c) => c.server === 'web2')!.after).toBeLessThan(100);
  });
});
