// One broker as the monitor polls it: parse, derive rates and trends from
// this broker's own history, and compute its alerts. Stateful on purpose
// (the history), one instance per broker host.
import type { RabbitmqRole, RedisRole } from '../../inventory/types.js';
import { queueAlerts, queueEvents, type QueueAlert } from './queue-alerts.js';
import { deriveQueues, type DerivedQueue, type QueueHistory } from './queue-trends.js';
import type { QueueProbeResult, QueueSnapshot } from './queue-types.js';
import { rabbitQueueProbeCommand, type RabbitQueueConfig } from './rabbitmq-command.js';
import { parseRabbitQueues } from './rabbitmq-queues.js';
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

/** Parses one broker's output and keeps its history; the broker's own command and parser are given. */
class BrokerQueueService {
  private history: QueueHistory = new Map();

  constructor(
    readonly command: string,
    private readonly parser: (output: string, takenAt: number) => QueueProbeResult,
    private readonly depthThresholds: Record<string, number> | undefined,
  ) {}

  parse(output: string, takenAt: number): QueueServiceParse {
    const r = this.parser(output, takenAt);
    if (r.kind !== 'snapshot') return r;
    const derived = deriveQueues(this.history, r.snapshot);
    this.history = derived.history;
    const alerts = queueAlerts(derived.queues, { depthThresholds: this.depthThresholds });
    return { kind: 'snapshot', snapshot: { ...r.snapshot, queues: derived.queues, alerts } };
  }

  static events(previous: QueueServiceSnapshot | undefined, current: QueueServiceSnapshot) {
    return queueEvents(previous?.alerts, current.alerts);
  }
}

export class RedisQueueService extends BrokerQueueService {
  constructor(role: RedisRole) {
    super(redisQueueProbeCommand(redisConfigOf(role)), parseRedisQueues, role.depthThresholds);
  }
}

export function rabbitConfigOf(role: RabbitmqRole): RabbitQueueConfig {
  return {
    vhost: role.vhost ?? '/',
    node: role.node,
    rabbitmqctl: role.rabbitmqctl ?? 'rabbitmqctl',
    sudo: role.sudo ?? false,
    queues: role.queues,
    deadLetters: role.deadLetters ?? [],
    management: role.management,
  };
}

/**
 * Each rabbitmqctl call starts an Erlang VM on the broker host (0.3-1 s of
 * CPU there): its probe polls at most every 5 s (the management API is cheap).
 */
export const RABBITMQCTL_MIN_INTERVAL_MS = 5000;

export class RabbitQueueService extends BrokerQueueService {
  readonly minIntervalMs: number;

  constructor(role: RabbitmqRole) {
    const config = rabbitConfigOf(role);
    super(rabbitQueueProbeCommand(config), (output, takenAt) => parseRabbitQueues(output, takenAt, config), role.depthThresholds);
    this.minIntervalMs = config.management ? 0 : RABBITMQCTL_MIN_INTERVAL_MS;
  }
}
