import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  balanceOf,
  bucketHistory,
  fleetLoad,
  fleetSeries,
  groupLoads,
  hostCapacity,
  hostLoadPercent,
} from '../../src/store/fleet-load.js';
import { createBatonStore } from '../../src/store/store.js';
import { fleetStore, INTERVAL, inventory, metrics, spec, T0 } from './fixtures.js';

describe('fleet load (seed notes: cluster load and rebalance)', () => {
  test('capacity comes from the inventory vars, default 1', () => {
    expect(hostCapacity(spec('a', []))).toBe(1);
    expect(hostCapacity(spec('a', [], {}, { capacity: 3 }))).toBe(3);
    expect(hostCapacity(spec('a', [], {}, { capacity: '2.5' }))).toBe(2.5);
    expect(hostCapacity(spec('a', [], {}, { capacity: 0 }))).toBe(1);
    expect(hostCapacity(spec('a', [], {}, { capacity: 'lots' }))).toBe(1);
  });

  test('a host load is the mean of CPU and memory, unknown until CPU is', () => {
    expect(hostLoadPercent({ cpuPercent: 40, memUsedPercent: 60 })).toBe(50);
    expect(hostLoadPercent({ cpuPercent: null, memUsedPercent: 60 })).toBeNull();
  });

  test('the band is ±10 points and its edges count as balanced', () => {
    expect(balanceOf(60, 50)).toBe('balanced');
    expect(balanceOf(60.1, 50)).toBe('over');
    expect(balanceOf(40, 50)).toBe('balanced');
    expect(balanceOf(39.9, 50)).toBe('under');
  });

  test('the target is capacity-weighted and unreachable hosts do not count', () => {
    const load = fleetLoad(fleetStore().getState());
    // web01 45, web02 47.5, web03 90, db01 55 (capacity 2), db02 57.5 at the last sample (i = 0).
    expect(load.target).toBeCloseTo((45 + 47.5 + 90 + 55 * 2 + 57.5) / 6, 5);
    expect(load.hosts.map((h) => h.id)).not.toContain('lb01');
    expect(load.overloaded.map((h) => h.id)).toEqual(['web03']);
    expect(load.underloaded.map((h) => h.id)).toEqual(['web01', 'web02']);
  });

  test('no reporting host: no target', () => {
    const store = createBatonStore(inventory([spec('a', [])]));
    expect(fleetLoad(store.getState())).toMatchObject({ target: null, hosts: [], overloaded: [], underloaded: [] });
  });

  test('property: the target lies between the extreme loads, and balanced hosts are within the band', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.integer({ min: 0, max: 100 }), mem: fc.integer({ min: 0, max: 100 }), cap: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 20 }),
        (nodes) => {
          const specs = nodes.map((n, i) => spec(`h${i}`, [], {}, { capacity: n.cap }));
          const store = createBatonStore(inventory(specs));
          store.getState().applyUpdates(
            nodes.flatMap((n, i) => [
              { hostId: `h${i}`, kind: 'conn' as const, conn: 'up' as const, at: 1 },
              { hostId: `h${i}`, kind: 'metrics' as const, at: 2, metrics: metrics(n.cpu, n.mem) },
            ]),
          );
          const load = fleetLoad(store.getState());
          const loads = nodes.map((n) => (n.cpu + n.mem) / 2);
          expect(load.target!).toBeGreaterThanOrEqual(Math.min(...loads) - 1e-9);
          expect(load.target!).toBeLessThanOrEqual(Math.max(...loads) + 1e-9);
          for (const h of load.hosts) if (h.balance === 'balanced') expect(Math.abs(h.load - load.target!)).toBeLessThanOrEqual(10 + 1e-9);
          expect(load.overloaded.length + load.underloaded.length).toBe(load.hosts.filter((h) => h.balance !== 'balanced').length);
        },
      ),
    );
  });

  test('group loads per inventory group, by name', () => {
    const groups = groupLoads(fleetStore().getState());
    expect(groups.map((g) => g.name)).toEqual(['db', 'lb', 'web']);
    expect(groups.find((g) => g.name === 'lb')).toMatchObject({ hosts: 1, reporting: 0, load: null });
    expect(groups.find((g) => g.name === 'db')!.load).toBeCloseTo((55 * 2 + 57.5) / 3, 5);
  });

  test('history buckets keep the newest point of each bucket', () => {
    const points = [10, 20, 25, 40].map((at) => ({ at, load1: at, cpuPercent: at, memUsedPercent: 0 }));
    const b = bucketHistory(points, { end: 40, bucketMs: 10, buckets: 3 });
    expect(b.map((p) => p?.at ?? null)).toEqual([20, 25, 40]);
  });

  test('fleet series end at the given time, one value per bucket', () => {
    const series = fleetSeries(fleetStore(10).getState(), { end: T0, bucketMs: INTERVAL, buckets: 12 });
    expect(series.at).toHaveLength(12);
    expect(series.at[11]).toBe(T0);
    expect(series.cpu.slice(0, 2)).toEqual([null, null]);
    expect(series.cpu.slice(2).every((v) => v !== null)).toBe(true);
  });
});
