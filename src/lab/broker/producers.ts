// The lab's producers: one loop appends orders to the stream (XADD), one
// pushes jobs onto the list (LPUSH). Every POISON_EVERY-th job is one its
// consumer will fail, so the dead-letter list grows slowly, as in production.
import type { RedisEndpoint } from './connection.js';
import { connectRedis } from './connection.js';
import { LoopGroup } from './loops.js';
import { JOBS_LIST, ORDERS_STREAM, POISON_EVERY } from './queues.js';

export interface TrafficOptions {
  endpoint: RedisEndpoint;
  /** The lab's signal: the loops stop when it aborts. */
  signal: AbortSignal;
  log(line: string): void;
  /** Messages per second, per queue; read at every iteration so changes apply at once. */
  rate(): number;
}

/** Message counters that survive a stop/start of the producers, so ids never repeat. */
export interface ProducerSequence {
  orders: number;
  jobs: number;
}

const SKUS = ['kb-101', 'mouse-7', 'usb-c-hub', 'monitor-27', 'dock-2'];

export function startProducers(options: TrafficOptions, sequence: ProducerSequence): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  const redis = group.own(connectRedis(options.endpoint, { name: 'baton-lab-producer', log: options.log, commandTimeoutMs: 2000 }));

  group.run('producer orders', options.rate, async () => {
    const n = ++sequence.orders;
    const sku = SKUS[n % SKUS.length] ?? 'unknown';
    await redis.xadd(ORDERS_STREAM, '*', 'order', String(n), 'sku', sku, 'qty', String(1 + (n % 3)));
  });

  group.run('producer jobs', options.rate, async () => {
    const n = ++sequence.jobs;
    // `at` lets a probe tell the age of the oldest job (LINDEX jobs -1), as stream ids do for orders.
    await redis.lpush(JOBS_LIST, JSON.stringify({ id: n, task: 'resize-image', at: Date.now(), poison: n % POISON_EVERY === 0 }));
  });
  return group;
}
