// What a queue probe reports, whatever the broker: one entry per watched
// queue, with what the broker itself says. Rates, trends and alerts are
// derived from a history of these (queue-trends.ts, queue-alerts.ts).

export type QueueBroker = 'redis' | 'rabbitmq';
/** Redis: a stream or a list; RabbitMQ: a queue (classic, quorum or stream, see `queueType`). */
export type QueueKind = 'stream' | 'list' | 'queue';

export interface QueueConsumer {
  name: string;
  /** Entries delivered to this consumer and not yet acknowledged. */
  pending: number;
  /** Milliseconds since the consumer last read (or tried to); null when not reported. */
  idleMs: number | null;
}

/** A consumer group of a stream: an independent reader with its own cursor. */
export interface QueueGroup {
  name: string;
  /** Consumers registered in the group; dead ones stay registered (see idleMs). */
  consumers: number;
  pending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell (< 7.0, or after XDEL). */
  lag: number | null;
  lastDeliveredId: string | null;
  /** Entries the group has read since it was created (Redis >= 7.0); a counter, for the out rate. */
  entriesRead: number | null;
  consumerList: QueueConsumer[];
  /** Age of the oldest entry the group has not acknowledged; null when none or unknown. */
  oldestAgeMs: number | null;
}

export interface Queue {
  broker: QueueBroker;
  name: string;
  kind: QueueKind;
  /** A dead-letter list from the inventory: alerted on arrivals, not on depth. */
  deadLetter: boolean;
  /** Found by the key scan rather than listed in the inventory. */
  discovered: boolean;
  /**
   * Messages waiting. A list: LLEN. A stream: lag + pending of its slowest
   * group; XLEN when it has no group or a group's lag is unknown (XLEN also
   * counts acknowledged entries that were not trimmed, so it is an upper
   * bound). Null when the queue could not be read.
   */
  depth: number | null;
  /** XLEN, for streams. */
  length?: number | null;
  /** The slowest group (largest backlog), which the next three figures are from. */
  group?: string | null;
  /** Its pending (delivered, not acknowledged), lag (not yet delivered) and cursor. */
  pending?: number | null;
  lag?: number | null;
  lastDeliveredId?: string | null;
  /** Entries ever added to the stream (Redis >= 7.0); a counter, for the in rate. */
  entriesAdded?: number | null;
  groups?: QueueGroup[];
  /** RabbitMQ: messages ready for delivery, and delivered but not yet acknowledged (depth = ready + unacked). */
  ready?: number | null;
  unacked?: number | null;
  /** RabbitMQ's queue type: classic, quorum, stream. */
  queueType?: string;
  /** RabbitMQ management API only: counters since the queue was created, for measured in/out rates. */
  published?: number | null;
  /** Acknowledged plus delivered or fetched without ack: messages consumers took off the queue. */
  consumed?: number | null;
  /** The broker's own rates (msg/s, averaged over its stats interval), as reported. */
  publishRate?: number | null;
  deliverRate?: number | null;
  /** Consumers registered over all groups; null for lists (Redis does not know who pops). */
  consumers: number | null;
  /** Age of the oldest waiting message, from its stream id or a list job's `at` field. */
  oldestAgeMs: number | null;
  /** Why this queue's figures are missing or incomplete, in Redis' words. */
  error?: string;
}

export type DiscoveryOutcome = 'complete' | 'timed-out' | 'capped' | 'failed' | 'unavailable';

export interface QueueDiscovery {
  outcome: DiscoveryOutcome;
  /** Keys the scan found and that were streams or lists (inventory keys excluded). */
  found: number;
  message: string | null;
}

export interface QueueSnapshot {
  broker: QueueBroker;
  /** Local clock (ms) when the output was read. */
  takenAt: number;
  /** The broker's own clock (ms), which stream ids are made from; null when unknown. */
  serverTime: number | null;
  queues: Queue[];
  discovery: QueueDiscovery | null;
  /** A broker-wide problem (unreachable, auth, output cut off); queues may still be listed. */
  error?: string;
}

export type QueueProbeResult = { kind: 'snapshot'; snapshot: QueueSnapshot } | { kind: 'parse-error'; message: string; raw: string };
