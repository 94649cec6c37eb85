// What an operator must notice about queues: backlog alerts on the derived
// queues of one poll, and events when an alert is raised or cleared between
// two polls. Pure, so the queues pane, --once --json and tests share them.
import type { Severity } from '../severity.js';
import type { DerivedQueue } from './queue-trends.js';

export interface QueueNotice {
  severity: Severity;
  message: string;
}

export type QueueAlertKind = 'depth' | 'growth' | 'no-consumers' | 'dead-letters';

export interface QueueAlert extends QueueNotice {
  kind: QueueAlertKind;
  queue: string;
  /** The consumer group a no-consumers alert is about. */
  group?: string;
}

export interface QueueAlertOptions {
  /** Depth above which a queue is backed up (default 1,000). */
  depthThreshold?: number;
  /** Per-queue thresholds by queue name, over the default. */
  depthThresholds?: Readonly<Record<string, number>>;
  /** Consecutive polls of growth that raise an alert (default 5). */
  growthPolls?: number;
  /** A stream consumer idle longer than this is not reading (default 30 s): dead ones stay registered. */
  consumerIdleMs?: number;
}

export const DEFAULT_DEPTH_THRESHOLD = 1000;
export const DEFAULT_GROWTH_POLLS = 5;
export const DEFAULT_CONSUMER_IDLE_MS = 30_000;

/** Polls over which dead-letter arrivals are counted. */
export const DEAD_LETTER_WINDOW = 10;

/** Sum of the increases in a depth series (decreases are trims, not arrivals). */
function arrivals(depths: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < depths.length; i++) n += Math.max(0, depths[i]! - depths[i - 1]!);
  return n;
}

export function queueAlerts(queues: readonly DerivedQueue[], options: QueueAlertOptions = {}): QueueAlert[] {
  const alerts: QueueAlert[] = [];
  for (const q of queues) {
    if (q.deadLetter) {
      // Dead letters grow by design: what matters is that new ones arrive.
      // Counted over a window of polls, so a steady trickle is one alert
      // that stays, not an alert raised and cleared every other poll.
      const arrived = arrivals(q.depthHistory.slice(-DEAD_LETTER_WINDOW));
      if (arrived > 0) {
        alerts.push({ kind: 'dead-letters', queue: q.name, severity: 'warn', message: `${q.name}: ${arrived} new dead letter${arrived === 1 ? '' : 's'} in the last ${DEAD_LETTER_WINDOW} polls (${q.depth} in all)` });
      }
      continue;
    }
    const threshold = options.depthThresholds?.[q.name] ?? options.depthThreshold ?? DEFAULT_DEPTH_THRESHOLD;
    if (q.depth !== null && q.depth > threshold) {
      alerts.push({ kind: 'depth', queue: q.name, severity: 'warn', message: `${q.name}: ${q.depth} waiting (over ${threshold})` });
    }
    const polls = options.growthPolls ?? DEFAULT_GROWTH_POLLS;
    if (q.growthStreak >= polls) {
      alerts.push({ kind: 'growth', queue: q.name, severity: 'warn', message: `${q.name}: grew for ${q.growthStreak} polls in a row (now ${q.depth})` });
    }
    alerts.push(...noConsumers(q, options.consumerIdleMs ?? DEFAULT_CONSUMER_IDLE_MS));
  }
  return alerts;
}

/** Streams and RabbitMQ queues: Redis does not know who pops a list. */
function noConsumers(q: DerivedQueue, idleMs: number): QueueAlert[] {
  if (q.kind === 'queue') {
    // RabbitMQ counts its consumers; ready messages are the ones nobody takes.
    const waiting = q.ready ?? q.depth;
    if (q.consumers !== 0 || !waiting) return [];
    return [{ kind: 'no-consumers', queue: q.name, severity: 'crit', message: `${q.name}: no consumers, ${waiting} ready` }];
  }
  if (q.kind !== 'stream' || q.depth === null || q.depth === 0) return [];
  const groups = q.groups ?? [];
  if (groups.length === 0) {
    return [{ kind: 'no-consumers', queue: q.name, severity: 'crit', message: `${q.name}: ${q.depth} entries and no consumer group` }];
  }
  return groups.flatMap((g): QueueAlert[] => {
    // Without a lag (Redis < 7.0) the stream's depth is all that is known.
    const waiting = g.lag === null ? q.depth : g.lag + g.pending;
    if (!waiting) return [];
    const reading = g.consumerList.some((c) => c.idleMs !== null && c.idleMs <= idleMs);
    if (reading || (g.consumerList.length === 0 && g.consumers > 0)) return [];
    const why = g.consumers === 0 ? 'no consumers' : `${g.consumers} consumer${g.consumers === 1 ? '' : 's'} but none read in the last ${Math.round(idleMs / 1000)} s`;
    return [{ kind: 'no-consumers', queue: q.name, group: g.name, severity: 'crit', message: `${q.name}: group ${g.name} has ${why}, ${waiting} waiting` }];
  });
}

const alertKey = (a: QueueAlert) => `${a.kind}\u0000${a.queue}\u0000${a.group ?? ''}`;

const CLEARED: Record<QueueAlertKind, string> = {
  depth: 'back under its depth threshold',
  growth: 'stopped growing',
  'no-consumers': 'is being consumed again',
  'dead-letters': 'no new dead letters',
};

/** An event for each alert raised since the previous poll and each one cleared. */
export function queueEvents(previous: readonly QueueAlert[] | undefined, current: readonly QueueAlert[]): QueueNotice[] {
  if (!previous) return [];
  const before = new Set(previous.map(alertKey));
  const now = new Set(current.map(alertKey));
  const raised = current.filter((a) => !before.has(alertKey(a))).map(({ severity, message }) => ({ severity, message }));
  const cleared = previous
    .filter((a) => !now.has(alertKey(a)))
    .map((a) => ({ severity: 'info' as const, message: `${a.queue}${a.group ? ` group ${a.group}` : ''}: ${CLEARED[a.kind]}` }));
  return [...raised, ...cleared];
}
