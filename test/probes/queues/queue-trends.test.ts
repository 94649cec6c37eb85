// Rates, trend and time to drain on constructed histories whose answers
// can be worked out by hand.
import { describe, expect, it } from 'vitest';
import type { Queue, QueueGroup, QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { deriveQueues, type DerivedQueue, type QueueHistory } from '../../../src/probes/queues/queue-trends.js';
import { listQueue, snapshotOf } from './fixtures.js';

/** Derives a whole run of snapshots, returning what the last one derived to. */
function run(snapshots: QueueSnapshot[], options = {}): DerivedQueue[] {
  let history: QueueHistory = new Map();
  let queues: DerivedQueue[] = [];
  for (const s of snapshots) ({ queues, history } = deriveQueues(history, s, options));
  return queues;
}

/** A list at these depths, polled every `every` ms. */
const listRun = (depths: (number | null)[], every = 1000) => depths.map((d, i) => snapshotOf(i * every, [listQueue('jobs', d)]));

function streamQueue(added: number, read: number, pending: number, extra: Partial<QueueGroup> = {}): Queue {
  const lag = added - read;
  const group: QueueGroup = { name: 'workers', consumers: 2, pending, lag, lastDeliveredId: null, entriesRead: read, consumerList: [], oldestAgeMs: null, ...extra };
  return { ...listQueue('orders', lag + pending), kind: 'stream', entriesAdded: added, group: 'workers', pending, lag, groups: [group], consumers: 2 };
}

describe('deriveQueues on lists (only the net change is measured)', () => {
  it('a growing list: slope, "growing", no drain time, streak, lower-bound rates', () => {
    const [q] = run(listRun([10, 20, 30, 40, 50, 60]));
    expect(q).toMatchObject({ trend: 10, drain: 'growing', timeToDrainSeconds: null, growthStreak: 5, depthChange: 10 });
    expect(q).toMatchObject({ inRate: 10, outRate: 0, inRateBasis: 'lower-bound', outRateBasis: 'lower-bound' });
    expect(q!.depthHistory).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('a draining list: depth / -slope seconds to drain', () => {
    const [q] = run(listRun([100, 90, 80, 70], 2000));
    expect(q!.trend).toBeCloseTo(-5);
    expect(q).toMatchObject({ drain: 'draining', growthStreak: 0, outRate: 5, inRate: 0 });
    expect(q!.timeToDrainSeconds).toBeCloseTo(70 / 5);
  });

  it('fits the slope by least squares over noisy depths', () => {
    // y = 10 + 2t plus noise uncorrelated with t: the slope stays 2.
    const [q] = run(listRun([10 + 1, 12 - 1, 14 - 1, 16 + 1]));
    expect(q!.trend).toBeCloseTo(2);
    // By hand: sum((t - 1.5)(y - 13.5)) / sum((t - 1.5)^2) = 11 / 5.
    const [r] = run(listRun([11, 11, 15, 17]));
    expect(r!.trend).toBeCloseTo(2.2);
  });

  it('a flat or empty list never "drains"; one sample says nothing yet', () => {
    expect(run(listRun([5, 5, 5, 5]))[0]).toMatchObject({ trend: 0, drain: 'flat', timeToDrainSeconds: null });
    expect(run(listRun([3, 0]))[0]).toMatchObject({ drain: 'empty', timeToDrainSeconds: 0 });
    expect(run(listRun([7]))[0]).toMatchObject({ trend: null, drain: 'unknown', inRate: null, outRate: null, depthChange: null, growthStreak: 0 });
    // Less than one message over the whole window is noise, not a trend.
    expect(run(listRun([5, 5, 5, 6]))[0]).toMatchObject({ drain: 'flat' });
  });

  it('an unreadable poll breaks the streak and leaves the depth unknown', () => {
    expect(run(listRun([1, 2, null, 3, 4]))[0]).toMatchObject({ growthStreak: 1, depthHistory: [1, 2, 3, 4] });
    expect(run(listRun([1, 2, 3, null]))[0]).toMatchObject({ depth: null, drain: 'unknown', timeToDrainSeconds: null, inRate: null, depthChange: null });
  });

  it('keeps a bounded history, per queue, and forgets queues that are gone', () => {
    const snapshots = listRun(Array.from({ length: 50 }, (_, i) => i));
    const { history } = snapshots.reduce<{ history: QueueHistory }>((acc, s) => deriveQueues(acc.history, s, { historyLimit: 30 }), { history: new Map() });
    expect(history.get('jobs')).toHaveLength(30);
    expect(deriveQueues(history, snapshotOf(60_000, [listQueue('other', 1)])).history.has('jobs')).toBe(false);
  });

  it('uses the broker clock for intervals when both polls have it', () => {
    const a = snapshotOf(0, [listQueue('jobs', 0)], 1_000_000);
    // The local clock says 3 s (a slow SSH round trip), the broker 2 s.
    const b = snapshotOf(3000, [listQueue('jobs', 20)], 1_002_000);
    expect(run([a, b])[0]).toMatchObject({ inRate: 10, trend: 10 });
  });
});

describe('deriveQueues on streams (counters are measured)', () => {
  it('measures in from entries-added and out from acknowledgements', () => {
    // 50 added in 5 s; the group read 40 more and its pending fell by 2: 42 acked.
    const queues = run([snapshotOf(0, [streamQueue(100, 90, 5)]), snapshotOf(5000, [streamQueue(150, 130, 3)])]);
    expect(queues[0]).toMatchObject({ inRate: 10, inRateBasis: 'measured', outRateBasis: 'measured', depth: 23, depthChange: 8 });
    expect(queues[0]!.outRate).toBeCloseTo(8.4);
    // Conservation: depth change = (in - out) x seconds.
    expect((queues[0]!.inRate! - queues[0]!.outRate!) * 5).toBeCloseTo(8);
  });

  it('estimates out from depth when the group has no read counter', () => {
    const q = run([snapshotOf(0, [streamQueue(100, 90, 5, { entriesRead: null })]), snapshotOf(5000, [streamQueue(150, 130, 3, { entriesRead: null })])])[0]!;
    expect(q).toMatchObject({ inRate: 10, inRateBasis: 'measured', outRateBasis: 'estimated' });
    expect(q.outRate).toBeCloseTo(8.4);
  });

  it('gives no rates across a counter reset, then measures again', () => {
    const queues = run([snapshotOf(0, [streamQueue(1000, 990, 5)]), snapshotOf(1000, [streamQueue(5, 0, 0)])]);
    expect(queues[0]).toMatchObject({ inRate: null, outRate: null, inRateBasis: null, depth: 5 });
    const after = run([snapshotOf(0, [streamQueue(1000, 990, 5)]), snapshotOf(1000, [streamQueue(5, 0, 0)]), snapshotOf(2000, [streamQueue(25, 10, 2)])]);
    expect(after[0]).toMatchObject({ inRate: 20, outRate: 8, inRateBasis: 'measured' });
  });

  it('starts over when a key changes type', () => {
    const list = snapshotOf(0, [listQueue('orders', 50)]);
    const q = run([list, snapshotOf(1000, [streamQueue(10, 10, 0)])])[0]!;
    expect(q).toMatchObject({ depthChange: null, inRate: null, depthHistory: [0] });
  });
});
