// Backlog alerts and their events, on the real backlog capture where it
// matters (consumers registered but no longer reading) and on constructed
// histories for thresholds and streaks.
import { describe, expect, it } from 'vitest';
import { queueAlerts, queueEvents, type QueueAlert } from '../../../src/probes/queues/queue-alerts.js';
import type { Queue, QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { deriveQueues, type DerivedQueue, type QueueHistory } from '../../../src/probes/queues/queue-trends.js';
import { listQueue, parsed, probeOutput, snapshotOf } from './fixtures.js';

function derived(snapshots: QueueSnapshot[]): DerivedQueue[] {
  let history: QueueHistory = new Map();
  let queues: DerivedQueue[] = [];
  for (const s of snapshots) ({ queues, history } = deriveQueues(history, s));
  return queues;
}

const polls = (depths: number[], queue: (d: number) => Queue) => depths.map((d, i) => snapshotOf(i * 1000, [queue(d)]));
const kinds = (alerts: QueueAlert[]) => alerts.map((a) => `${a.kind} ${a.queue}${a.group ? `/${a.group}` : ''}`);

describe('queueAlerts', () => {
  it('alerts on depth over the default threshold, or a per-queue one', () => {
    const q = derived(polls([1500], (d) => listQueue('jobs', d)));
    expect(queueAlerts(q)).toEqual([{ kind: 'depth', queue: 'jobs', severity: 'warn', message: 'jobs: 1500 waiting (over 1000)' }]);
    expect(queueAlerts(q, { depthThresholds: { jobs: 2000 } })).toEqual([]);
    expect(queueAlerts(q, { depthThreshold: 5000, depthThresholds: { other: 1 } })).toEqual([]);
    expect(queueAlerts(derived(polls([1000], (d) => listQueue('jobs', d))))).toEqual([]);
  });

  it('alerts on growth for N polls in a row, and not before', () => {
    const growing = (n: number) => derived(polls(Array.from({ length: n + 1 }, (_, i) => i), (d) => listQueue('jobs', d)));
    expect(kinds(queueAlerts(growing(4)))).toEqual([]);
    expect(queueAlerts(growing(5))).toContainEqual(expect.objectContaining({ kind: 'growth', message: 'jobs: grew for 5 polls in a row (now 5)' }));
    expect(kinds(queueAlerts(growing(2), { growthPolls: 2 }))).toEqual(['growth jobs']);
  });

  it('sees that nobody reads the backlogged stream although both consumers are still registered', () => {
    const backlog = derived([parsed(probeOutput('backlog', 'json'), 0)]);
    // The capture was taken about 4 s after the consumers failed.
    expect(kinds(queueAlerts(backlog))).toEqual([]);
    expect(queueAlerts(backlog, { consumerIdleMs: 2000 })).toEqual([
      { kind: 'no-consumers', queue: 'orders', group: 'workers', severity: 'crit', message: 'orders: group workers has 2 consumers but none read in the last 2 s, 80 waiting' },
    ]);
    const steady = derived([parsed(probeOutput('steady', 'json'), 0)]);
    expect(kinds(queueAlerts(steady, { consumerIdleMs: 2000 }))).toEqual([]);
  });

  it('alerts on a non-empty stream without consumers or without any group', () => {
    const stream = (extra: Partial<Queue>): Queue => ({ ...listQueue('orders', 12), kind: 'stream', consumers: 0, ...extra });
    const group = { name: 'workers', consumers: 0, pending: 0, lag: 12, lastDeliveredId: '0-0', entriesRead: 0, consumerList: [], oldestAgeMs: null };
    expect(queueAlerts(derived(polls([12], () => stream({ groups: [group] }))))[0]?.message).toBe('orders: group workers has no consumers, 12 waiting');
    expect(queueAlerts(derived(polls([12], () => stream({ groups: [] }))))[0]?.message).toBe('orders: 12 entries and no consumer group');
    expect(queueAlerts(derived(polls([0], () => stream({ depth: 0, groups: [] }))))).toEqual([]);
    // A list's consumers are unknown: no alert either way.
    expect(queueAlerts(derived(polls([12], (d) => listQueue('jobs', d))))).toEqual([]);
  });

  it('alerts on dead letters arriving, not on how many there are', () => {
    const dead = (d: number) => listQueue('jobs:dead', d, { deadLetter: true });
    expect(queueAlerts(derived(polls([5, 7], dead)))).toEqual([
      { kind: 'dead-letters', queue: 'jobs:dead', severity: 'warn', message: 'jobs:dead: 2 new dead letters in the last 10 polls (7 in all)' },
    ]);
    expect(queueAlerts(derived(polls([5000, 5000], dead)))).toEqual([]);
    expect(queueAlerts(derived(polls([1, 2, 3, 4, 5, 6, 7], dead))).map((a) => a.kind)).toEqual(['dead-letters']);
  });

  it('keeps a dead-letter alert up through quiet polls while arrivals are in the window, then clears it', () => {
    const dead = (d: number) => listQueue('jobs:dead', d, { deadLetter: true });
    // One arrival, then quiet: still alerted while the arrival is within the last 10 polls.
    expect(queueAlerts(derived(polls([1, 2, 2, 2, 2], dead))).map((a) => a.message)).toEqual(['jobs:dead: 1 new dead letter in the last 10 polls (2 in all)']);
    expect(queueAlerts(derived(polls([1, 2, ...Array<number>(10).fill(2)], dead)))).toEqual([]);
    // A trim (the list capped) is not an arrival.
    expect(queueAlerts(derived(polls([10, 4, 4], dead)))).toEqual([]);
  });
});

describe('queueEvents', () => {
  const depth = { kind: 'depth', queue: 'jobs', severity: 'warn', message: 'jobs: 1500 waiting (over 1000)' } as const;
  const noConsumers = { kind: 'no-consumers', queue: 'orders', group: 'workers', severity: 'crit', message: 'orders: group workers has no consumers, 12 waiting' } as const;

  it('raises each new alert and clears each one that is gone', () => {
    expect(queueEvents([], [depth, noConsumers])).toEqual([
      { severity: 'warn', message: depth.message },
      { severity: 'crit', message: noConsumers.message },
    ]);
    expect(queueEvents([depth, noConsumers], [])).toEqual([
      { severity: 'info', message: 'jobs: back under its depth threshold' },
      { severity: 'info', message: 'orders group workers: is being consumed again' },
    ]);
  });

  it('stays quiet while an alert holds, even as its figures change, and on the first poll', () => {
    expect(queueEvents([depth], [{ ...depth, message: 'jobs: 1700 waiting (over 1000)' }])).toEqual([]);
    expect(queueEvents(undefined, [depth])).toEqual([]);
  });
});
