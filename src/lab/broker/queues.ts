// The lab broker's fixed queue shape and traffic rates. Fixed names so the
// lab inventory, the queue probe fixtures and the README agree.

export const ORDERS_STREAM = 'orders';
export const ORDERS_GROUP = 'workers';
export const STREAM_CONSUMERS = ['worker-1', 'worker-2'] as const;
export const JOBS_LIST = 'jobs';
export const DEAD_LETTER_LIST = 'jobs:dead';
/** Every POISON_EVERY-th job fails and goes to the dead-letter list (1 %). */
export const POISON_EVERY = 100;
/** The dead-letter list is kept to this many entries so a long lab run stays small. */
export const DEAD_LETTER_MAX = 10_000;

/** Messages per second, per queue (the stream and the list each get this rate). */
export interface BrokerRates {
  produce: number;
  consume: number;
}

/** Consumers a little faster than producers, so queues stay near empty. */
export const DEFAULT_RATES: BrokerRates = { produce: 20, consume: 25 };

/** Each message costs a few loopback round trips; beyond this the loops would just lag. */
export const MAX_RATE = 1000;

export function checkRates(rates: BrokerRates): BrokerRates {
  for (const [name, value] of Object.entries(rates)) {
    if (!Number.isFinite(value) || value < 0 || value > MAX_RATE) {
      throw new Error(`broker ${name} rate must be 0..${MAX_RATE} messages per second, got ${value}`);
    }
  }
  return { produce: rates.produce, consume: rates.consume };
}
