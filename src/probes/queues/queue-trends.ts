// Rates, trend and time to drain from a short history of queue samples.
// Pure: the caller keeps the history this returns and hands it back.
//
// What is measured and what is estimated:
// - Stream in rate: measured, from XINFO STREAM entries-added (a counter of
//   every XADD, Redis >= 7.0) between two polls.
// - Stream out rate: measured for the slowest group as acknowledgements:
//   delta entries-read (first deliveries) minus delta pending (delivered,
//   not yet acked) = entries acked (Redis >= 7.0).
// - When only one of the two is measured, the other is estimated from
//   depth conservation: delta depth = in - out per interval.
// - RabbitMQ queues read through the management API: in measured from the
//   publish counter, out from acks plus no-ack deliveries and gets (messages
//   dead-lettered by a reject leave without an ack, so out can read a little
//   low). Through rabbitmqctl there are no counters: like lists, below.
// - Lists: Redis counts neither pushes nor pops per key, so only the net
//   change of LLEN is measured; in and out are then lower bounds
//   (in >= growth, out >= shrinkage), marked 'lower-bound'.
// - A counter that goes down (stream recreated, broker restarted without
//   persistence) gives no rates for that interval, not negative or
//   depth-based ones: the depth change was not traffic.
// - Trend: least-squares slope of depth over the last `trendWindow` samples,
//   messages per second. Flat when it would change depth by less than one
//   message over that window. Time to drain: depth / -trend when draining;
//   null when growing or flat (a queue that does not shrink never drains).
import type { Queue, QueueSnapshot } from './queue-types.js';

export const HISTORY_LIMIT = 30;
export const TREND_WINDOW = 10;

export interface QueueSample {
  takenAt: number;
  serverTime: number | null;
  queue: Queue;
}

export type QueueHistory = ReadonlyMap<string, readonly QueueSample[]>;
export type RateBasis = 'measured' | 'estimated' | 'lower-bound';
export type DrainState = 'empty' | 'draining' | 'growing' | 'flat' | 'unknown';

export interface DerivedQueue extends Queue {
  /** Messages per second into and out of the queue since the previous poll; null without one. */
  inRate: number | null;
  outRate: number | null;
  inRateBasis: RateBasis | null;
  outRateBasis: RateBasis | null;
  /** Depth now minus depth at the previous poll. */
  depthChange: number | null;
  /** Depth slope in messages per second (least squares); null with fewer than two samples. */
  trend: number | null;
  drain: DrainState;
  timeToDrainSeconds: number | null;
  /** Consecutive polls, up to this one, in which depth went up. */
  growthStreak: number;
  /** Depth at each kept sample, oldest first: the sparkline. */
  depthHistory: number[];
}

export interface QueueDerivation {
  queues: DerivedQueue[];
  /** The history to pass next time: this snapshot's queues only, each bounded. */
  history: Map<string, QueueSample[]>;
}

export function deriveQueues(history: QueueHistory, current: QueueSnapshot, options: { historyLimit?: number; trendWindow?: number } = {}): QueueDerivation {
  const limit = Math.max(2, options.historyLimit ?? HISTORY_LIMIT);
  const window = Math.max(2, options.trendWindow ?? TREND_WINDOW);
  const next = new Map<string, QueueSample[]>();
  const queues = current.queues.map((queue) => {
    // A key that changed type is a different queue: its history does not carry over.
    const before = (history.get(queue.name) ?? []).filter((s) => s.queue.kind === queue.kind);
    const sample: QueueSample = { takenAt: current.takenAt, serverTime: current.serverTime, queue };
    const samples = [...before, sample].slice(-limit);
    next.set(queue.name, samples);
    return derive(samples, window);
  });
  return { queues, history: next };
}

/** Seconds between two samples, on the broker's clock when both have it. */
function seconds(a: QueueSample, b: QueueSample): number | null {
  const dt = a.serverTime !== null && b.serverTime !== null ? b.serverTime - a.serverTime : b.takenAt - a.takenAt;
  return dt > 0 ? dt / 1000 : null;
}

function derive(samples: QueueSample[], window: number): DerivedQueue {
  const current = samples.at(-1)!;
  const previous = samples.at(-2);
  const q = current.queue;
  const dt = previous ? seconds(previous, current) : null;
  const depthChange = previous && previous.queue.depth !== null && q.depth !== null ? q.depth - previous.queue.depth : null;
  const recent = samples.slice(-window);
  const trend = slope(recent);
  const span = recent.length > 1 ? seconds(recent[0]!, current) : null;
  return {
    ...q,
    ...rates(previous?.queue, q, dt, depthChange),
    depthChange,
    trend,
    ...drain(q.depth, trend, span),
    growthStreak: growthStreak(samples),
    depthHistory: samples.flatMap((s) => (s.queue.depth === null ? [] : [s.queue.depth])),
  };
}

function perSecond(before: number | null | undefined, after: number | null | undefined, dt: number): number | null {
  if (before === null || before === undefined || after === null || after === undefined) return null;
  return after >= before ? (after - before) / dt : null;
}

/** Entries the slowest group acknowledged per second: delta entries-read minus delta pending. */
function ackRate(before: Queue, after: Queue, dt: number): number | null {
  const g0 = before.groups?.find((g) => g.name === after.group);
  const g1 = after.groups?.find((g) => g.name === after.group);
  const read = perSecond(g0?.entriesRead, g1?.entriesRead, dt);
  if (!g0 || !g1 || read === null) return null;
  const acked = read - (g1.pending - g0.pending) / dt;
  return acked >= 0 ? acked : null;
}

/** The stream was recreated or the broker restarted empty: depth changes say nothing about traffic. */
function countersReset(before: Queue, after: Queue): boolean {
  const down = (a: number | null | undefined, b: number | null | undefined) => a !== null && a !== undefined && b !== null && b !== undefined && b < a;
  const group = (q: Queue) => q.groups?.find((g) => g.name === after.group)?.entriesRead;
  return down(before.entriesAdded, after.entriesAdded) || down(group(before), group(after)) || down(before.published, after.published) || down(before.consumed, after.consumed);
}

type Rates = Pick<DerivedQueue, 'inRate' | 'outRate' | 'inRateBasis' | 'outRateBasis'>;

function rates(before: Queue | undefined, after: Queue, dt: number | null, depthChange: number | null): Rates {
  const none: Rates = { inRate: null, outRate: null, inRateBasis: null, outRateBasis: null };
  if (!before || dt === null || countersReset(before, after)) return none;
  const measuredIn = after.kind === 'stream' ? perSecond(before.entriesAdded, after.entriesAdded, dt) : perSecond(before.published, after.published, dt);
  const measuredOut = after.kind === 'stream' ? ackRate(before, after, dt) : perSecond(before.consumed, after.consumed, dt);
  const net = depthChange === null ? null : depthChange / dt;
  if (measuredIn !== null && measuredOut !== null) return { inRate: measuredIn, outRate: measuredOut, inRateBasis: 'measured', outRateBasis: 'measured' };
  if (net === null) {
    return { ...none, ...(measuredIn !== null ? { inRate: measuredIn, inRateBasis: 'measured' } : {}), ...(measuredOut !== null ? { outRate: measuredOut, outRateBasis: 'measured' } : {}) };
  }
  if (measuredIn !== null) return { inRate: measuredIn, outRate: Math.max(0, measuredIn - net), inRateBasis: 'measured', outRateBasis: 'estimated' };
  if (measuredOut !== null) return { inRate: Math.max(0, measuredOut + net), outRate: measuredOut, inRateBasis: 'estimated', outRateBasis: 'measured' };
  return { inRate: Math.max(0, net), outRate: Math.max(0, -net), inRateBasis: 'lower-bound', outRateBasis: 'lower-bound' };
}

/** Least-squares slope of depth against time, per second. */
export function slope(samples: readonly QueueSample[]): number | null {
  const first = samples[0];
  if (!first) return null;
  const points = samples.flatMap((s) => {
    const t = s === first ? 0 : seconds(first, s);
    return t === null || s.queue.depth === null ? [] : [{ t, y: s.queue.depth }];
  });
  if (points.length < 2) return null;
  const mt = points.reduce((a, p) => a + p.t, 0) / points.length;
  const my = points.reduce((a, p) => a + p.y, 0) / points.length;
  const sxx = points.reduce((a, p) => a + (p.t - mt) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.t - mt) * (p.y - my), 0);
  return sxx > 0 ? sxy / sxx : null;
}

function drain(depth: number | null, trend: number | null, span: number | null): Pick<DerivedQueue, 'drain' | 'timeToDrainSeconds'> {
  if (depth === 0) return { drain: 'empty', timeToDrainSeconds: 0 };
  if (depth === null || trend === null || span === null) return { drain: 'unknown', timeToDrainSeconds: null };
  if (Math.abs(trend) * span < 1) return { drain: 'flat', timeToDrainSeconds: null };
  return trend > 0 ? { drain: 'growing', timeToDrainSeconds: null } : { drain: 'draining', timeToDrainSeconds: depth / -trend };
}

function growthStreak(samples: QueueSample[]): number {
  let streak = 0;
  for (let i = samples.length - 1; i > 0; i--) {
    const [a, b] = [samples[i - 1]!.queue.depth, samples[i]!.queue.depth];
    if (a === null || b === null || b <= a) break;
    streak++;
  }
  return streak;
}
