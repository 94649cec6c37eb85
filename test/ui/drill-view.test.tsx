// The drill view from a progress snapshot: the big stopwatch, the timeline
// (fault → detection → each expect → traffic back → restore → restored,
// with times, and what is still waiting or was missed), the traffic now
// (success over the last window, p50/p95, the longest gap with no ok
// request, the one under way included), and the events baton raised.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { DrillRun } from '../../src/ops/drills/drill-run.js';
import type { TrafficRecord } from '../../src/ops/drills/traffic-probe.js';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { bigText, bigWidth, stopwatchText } from '../../src/ui/drills/big-digits.js';
import { DrillService } from '../../src/ui/drills/drill-service.js';
import { drillSnapshot, trafficNow } from '../../src/ui/drills/drill-snapshot.js';
import { createBatonStore } from '../../src/store/store.js';
import { FLEET, inventory } from './fixtures.js';
import { mount, screen } from './render-app.js';

afterEach(() => cleanup());

const T = 1_800_000_000_000; // the moment the fault took effect

/** `n` requests a probe sent every `every` ms from `from`, each taking `ms` and ending `outcome`. */
function requests(from: number, n: number, every: number, ms: number, outcome: TrafficRecord['outcome'], probe = 'frontend'): TrafficRecord[] {
  return Array.from({ length: n }, (_, i) => ({ probe, startAt: from + i * every, endAt: from + i * every + ms, outcome }));
}

function run(change: Partial<DrillRun> = {}): DrillRun {
  return {
    id: '20270115T080000Z-0badc0de',
    drill: 'lab-web-app',
    file: 'drills/lab-web-app.yaml',
    inventory: 'lab',
    startedAt: T - 2000,
    injectedAt: T,
    restoreAt: null,
    restoredAt: null,
    endedAt: T - 2000,
    inject: { label: 'lab fail app:web2', outcome: 'ok', detail: 'app web2 stopped', startAt: T - 30, endAt: T + 5 },
    restore: [],
    restored: false,
    requests: [],
    slowMs: { frontend: 500 },
    events: [
      { at: T - 1500, source: 'monitor', severity: 'info', message: 'poll' },
      { at: T + 1400, source: 'haproxy', severity: 'crit', message: 'web/web2 DOWN (L4CON)', hostId: 'lb1' },
    ],
    detect: { source: 'haproxy', match: 'web2' },
    conditions: [
      { name: 'web2 marked DOWN by HAProxy', after: 'inject', withinMs: 10_000, metAt: T + 2444 },
      { name: 'frontend traffic back above 99 %', after: 'inject', withinMs: 15_000, metAt: null },
      { name: 'web2 UP again after restore', after: 'restore', withinMs: 15_000, metAt: null },
    ],
    budget: { recovered_above: 95 },
    placeholders: {},
    ...change,
  };
}

describe('big digits', () => {
  test('the stopwatch reads MM:SS.t, five rows of blocks, twice as wide at scale 2', () => {
    expect(stopwatchText(4260)).toBe('00:04.2');
    expect(stopwatchText(754_300)).toBe('12:34.3');
    expect(stopwatchText(3_726_000)).toBe('1:02:06');
    const rows = bigText('10:4', 1);
    expect(rows).toEqual(['  █ ███   █ █', '  █ █ █ █ █ █', '  █ █ █   ███', '  █ █ █ █   █', '  █ ███     █']);
    expect(bigText('8', 2)[1]).toBe('██  ██');
    // Five digits three cells wide, : and . one, six gaps of one; doubled.
    expect(bigWidth('00:04.2', 2)).toBe(46);
  });
});

describe('drill snapshot', () => {
  test('mid-drill: injected, detected and the first expect met with times; the rest waiting; the gap under way counts', () => {
    const traffic = [...requests(T - 2000, 40, 50, 20, 'ok'), ...requests(T, 20, 50, 1000, 'unknown')];
    const now = T + 3000;
    const s = drillSnapshot('watching', run(), traffic, now);
    expect(s.elapsedMs).toBe(3000);
    expect(s.timeline.map((m) => [m.label, m.state, m.atMs])).toEqual([
      ['fault injected', 'done', 0],
      ['detected', 'done', 1400],
      ['web2 marked DOWN by HAProxy', 'done', 2444],
      ['frontend traffic back above 99 %', 'waiting', null],
      ['traffic back (RTO)', 'waiting', null],
      ['restore started', 'waiting', null],
      ['restored', 'waiting', null],
      ['web2 UP again after restore', 'waiting', null],
    ]);
    expect(s.timeline[1]!.detail).toBe('haproxy: web/web2 DOWN (L4CON)');
    // Every request since the fault timed out: 0 % in the last 2 s; the last ok ended at T - 50 + 20.
    expect(s.traffic.okPercent).toBe(0);
    expect(s.traffic.longestGapMs).toBe(now - (T - 50 + 20));
    expect(s.traffic).toMatchObject({ ok: 40, fail: 0, unknown: 20 });
    // Events from before the drill began are left out; times are since the fault.
    expect(s.events.map((e) => [e.source, e.atMs])).toEqual([['monitor', -1500], ['haproxy', 1400]]);
  });

  test('over: traffic back once a whole window of good traffic followed; restored; a deadline that passed is missed', () => {
    const traffic = [...requests(T - 2000, 40, 50, 20, 'ok'), ...requests(T, 30, 50, 1000, 'unknown'), ...requests(T + 1500, 160, 50, 10, 'ok')];
    const ended = run({
      restoreAt: T + 6000,
      restoredAt: T + 6400,
      endedAt: T + 9500,
      restored: true,
      restore: [{ label: 'lab heal app:web2', outcome: 'ok', detail: 'healed', startAt: T + 6000, endAt: T + 6400 }],
      conditions: [
        { name: 'web2 marked DOWN by HAProxy', after: 'inject', withinMs: 10_000, metAt: T + 2444 },
        { name: 'frontend traffic back above 99 %', after: 'inject', withinMs: 3000, metAt: null },
        { name: 'web2 UP again after restore', after: 'restore', withinMs: 15_000, metAt: T + 8400 },
      ],
    });
    const s = drillSnapshot('done', ended, traffic, T + 60_000);
    expect(s.elapsedMs).toBe(9500);
    const at = Object.fromEntries(s.timeline.map((m) => [m.label, [m.state, m.atMs]]));
    expect(at['frontend traffic back above 99 %']).toEqual(['missed', null]);
    expect(at['traffic back (RTO)']![0]).toBe('done');
    expect(at['traffic back (RTO)']![1]).toBeGreaterThan(1500);
    expect(at['restore started']).toEqual(['done', 6000]);
    expect(at['restored']).toEqual(['done', 6400]);
    expect(at['web2 UP again after restore']).toEqual(['done', 8400]);
    expect(s.timeline.find((m) => m.label === 'restored')!.detail).toBe('lab heal app:web2');
  });

  test('a restore step that failed marks restored failed; a fault never injected is failed, the rest missed', () => {
    const failed = drillSnapshot('done', run({ injectedAt: null, inject: { label: 'lab fail app:web9', outcome: 'failed', detail: 'no app web9', startAt: T, endAt: T }, restoreAt: T, restoredAt: T + 10, endedAt: T + 20, restored: false, restore: [{ label: 'lab heal app:web9', outcome: 'failed', detail: 'no app web9', startAt: T, endAt: T + 10 }], aborted: 'the fault was not injected: no app web9', events: [], conditions: run().conditions.map((c) => ({ ...c, metAt: null })) }), [], T + 30);
    expect(failed.elapsedMs).toBeNull();
    // The restore ran all the same (always): it started, and failed.
    expect(failed.timeline.map((m) => m.state)).toEqual(['failed', 'missed', 'missed', 'missed', 'missed', 'done', 'failed', 'missed']);
    expect(failed.timeline[0]!.detail).toBe('no app web9');
  });

  test('latency percentiles are of the ok requests of the last 5 s', () => {
    const traffic = [...requests(T, 10, 100, 100, 'ok'), ...requests(T + 1000, 10, 100, 300, 'ok'), ...requests(T + 2000, 1, 100, 5000, 'fail')];
    const t = trafficNow(traffic, T + 2500, true);
    expect(t.p50Ms).toBe(100);
    expect(t.p95Ms).toBe(300);
    expect(trafficNow([], T, true)).toMatchObject({ okPercent: null, p50Ms: null, longestGapMs: null });
  });
});

describe('drill view on screen', () => {
  function drillConsole() {
    const store = createBatonStore(inventory(FLEET));
    const drills = new DrillService({ store, registry: builtinActions(), transports: new Map(), locks: () => createLockManager(store.getState().inventory, new Map()), journalDir: '/nonexistent', reportDir: '/nonexistent', drillDirs: [], labSocket: () => Promise.resolve(undefined) });
    const m = mount(store, { drills, viewName: 'drill', size: { columns: 100, rows: 40 } });
    return { m, drills };
  }

  test('no drill yet: the pane says D picks one', () => {
    const { m } = drillConsole();
    expect(screen(m)).toContain('no drill yet: D picks one');
  });

  test('the stopwatch in big digits, the timeline with times, traffic, events and the report at the end', async () => {
    const { m, drills } = drillConsole();
    const traffic = [...requests(T - 2000, 40, 50, 20, 'ok'), ...requests(T, 30, 50, 1000, 'unknown'), ...requests(T + 1500, 160, 50, 10, 'ok')];
    const done = run({ restoreAt: T + 6000, restoredAt: T + 6400, endedAt: T + 9500, restored: true, requests: traffic, restore: [{ label: 'lab heal app:web2', outcome: 'ok', detail: 'healed', startAt: T + 6000, endAt: T + 6400 }] });
    drills.live.setState({ current: { id: done.id, drill: done.drill, phase: 'done', run: done, requests: () => traffic, log: [], outcome: { passed: false, failures: ['frontend traffic back above 99 %: not met within 15 s'], report: '/state/baton/drills/x.md' } } });
    await new Promise((r) => setTimeout(r, 50));
    const s = screen(m);
    // 00:09.5 at scale 2, stopped when the drill ended: the middle row of 0 0 : 0 9 . 5
    expect(s).toContain('██  ██  ██  ██      ██  ██  ██████      ██████');
    expect(s).toMatch(/✓ \+0\.0 s\s+fault injected\s+lab fail app:web2/);
    expect(s).toMatch(/✓ \+1\.4 s\s+detected\s+haproxy: web\/web2 DOWN \(L4CON\)/);
    expect(s).toMatch(/✓ \+2\.4 s\s+web2 marked DOWN by HAProxy/);
    expect(s).toMatch(/✓ \+6\.4 s\s+restored\s+lab heal app:web2/);
    expect(s).toMatch(/traffic\s+ok [\d.]+ % \(last 2 s\) · p50 \d+ ms · p95 \d+ ms · longest gap [\d.]+ s/);
    expect(s).toMatch(/requests\s+ok 200 · fail 0 · unknown 30/);
    expect(s).toMatch(/-1\.5 s\s+info\s+monitor: poll/);
    expect(s).toMatch(/\+1\.4 s\s+crit\s+haproxy lb1: web\/web2 DOWN/);
    expect(s).toContain('FAILED · report /state/baton/drills/x.md');
    expect(s).toContain('frontend traffic back above 99 %: not met within 15 s');
  });
});
