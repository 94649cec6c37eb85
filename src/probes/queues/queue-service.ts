// One broker as the monitor polls it: parse, derive rates and trends from
// this broker's own history, and compute its alerts. Stateful on purpose
// (the history), one instance per broker host.
import type { RedisRole } from '../../inventory/types.js';
import { queueAlerts, queueEvents, type QueueAlert } from './queue-alerts.js';
import { deriveQueues, type DerivedQueue, type QueueHistory } from './queue-trends.js';
import type { QueueSnapshot } from './queue-types.js';
import { parseRedisQueues, redisQueueProbeCommand, type RedisQueueConfig } from './redis-queues.js';

/** What the store holds for a broker: the parsed snapshot with derived queues and current alerts. */
export interface QueueServiceSnapshot extends Omit<QueueSnapshot, 'queues'> {
  queues: DerivedQueue[];
  alerts: QueueAlert[];
}

export type QueueServiceParse = { kind: 'snapshot'; snapshot: QueueServiceSnapshot } | { kind: 'parse-error'; message: string; raw: string };

export const DISCOVERY_DEFAULTS = { maxKeys: 1000, seconds: 2 } as const;

export function redisConfigOf(role: RedisRole): RedisQueueConfig {
  return {
    host: role.host ?? '127.0.0.1',
    port: role.port ?? 6379,
    streams: role.streams ?? [],
    lists: role.lists ?? [],
    deadLetters: role.deadLetters,
    discover: role.discover && { pattern: role.discover.pattern, maxKeys: role.discover.maxKeys ?? DISCOVERY_DEFAULTS.maxKeys, seconds: role.discover.seconds ?? DISCOVERY_DEFAULTS.seconds },
  };
}

export class RedisQueueService {
  private history: QueueHistory = new Map();
  readonly command: string;

  constructor(private readonly role: RedisRole) {
    this.command = redisQueueProbeCommand(redisConfigOf(role));
  }

  parse(output: string, takenAt: number): QueueServiceParse {
    const r = parseRedisQueues(output, takenAt);
    if (r.kind !== 'snapshot') return r;
    const derived = deriveQueues(this.history, r.snapshot);
    this.history = derived.history;
    const alerts = queueAlerts(derived.queues, { depthThresholds: this.role.depthThresholds });
    return { kind: 'snapshot', snapshot: { ...r.snapshot, queues: derived.queues, alerts } };
  }

  static events(previous: QueueServiceSnapshot | undefined, current: QueueServiceSnapshot) {
    return queueEvents(previous?.alerts, current.alerts);
  }
}
