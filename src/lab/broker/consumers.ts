// The lab's consumers: worker-1 and worker-2 read `orders` in the `workers`
// group (XREADGROUP, then XACK), jobs-worker pops `jobs` (BRPOP) and moves
// jobs it cannot process to `jobs:dead`. Each blocks on its own connection,
// so an idle consumer waits in Redis instead of polling.
import type { Redis } from 'ioredis';
import { connectRedis } from './connection.js';
import { LoopGroup, pace } from './loops.js';
import type { TrafficOptions } from './producers.js';
import { DEAD_LETTER_LIST, DEAD_LETTER_MAX, JOBS_LIST, ORDERS_GROUP, ORDERS_STREAM, STREAM_CONSUMERS } from './queues.js';
import { trimAcknowledged } from './stream-trim.js';

/** How long one blocking read waits in Redis (s); stop() interrupts it sooner. */
const BLOCK_SECONDS = 1;

export const CONSUMER_NAMES = [...STREAM_CONSUMERS, 'jobs-worker'] as const;

export function startConsumers(options: TrafficOptions): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  const connect = (name: string): Redis => group.own(connectRedis(options.endpoint, { name: `baton-lab-${name}`, log: options.log }));

  // The stream's rate is shared between its workers.
  const perWorker = (): number => options.rate() / STREAM_CONSUMERS.length;
  for (const consumer of STREAM_CONSUMERS) {
    const redis = connect(consumer);
    // After a restart a worker first finishes what it had been given (its own pending entries, id 0).
    let recovering = true;
    group.run(`consumer ${consumer}`, perWorker, async (signal) => {
      const entry = await readOne(redis, consumer, recovering ? '0' : '>');
      if (!entry) {
        recovering = false;
        return;
      }
      // The worker holds the entry for its share of time before acking, so
      // XPENDING shows work in flight; a worker stopped now leaves it pending.
      await pace(Date.now(), perWorker(), signal);
      if (signal.aborted) return;
      await redis.xack(ORDERS_STREAM, ORDERS_GROUP, entry);
      await trimAcknowledged(redis);
    });
  }

  const jobs = connect('jobs-worker');
  group.run('consumer jobs-worker', options.rate, async () => {
    const popped = await jobs.brpop(JOBS_LIST, BLOCK_SECONDS);
    if (!popped || processable(popped[1])) return;
    await jobs.multi().lpush(DEAD_LETTER_LIST, popped[1]).ltrim(DEAD_LETTER_LIST, 0, DEAD_LETTER_MAX - 1).exec();
  });
  return group;
}

/** The id of one entry for `consumer`, or undefined when there is none (after BLOCK for new ones). */
async function readOne(redis: Redis, consumer: string, from: '0' | '>'): Promise<string | undefined> {
  const reply = await redis.xreadgroup('GROUP', ORDERS_GROUP, consumer, 'COUNT', 1, 'BLOCK', BLOCK_SECONDS * 1000, 'STREAMS', ORDERS_STREAM, from);
  return reply?.[0]?.[1]?.[0]?.[0];
}

/** A job the worker can do: well-formed JSON that is not marked poison. */
function processable(payload: string): boolean {
  try {
    const job: unknown = JSON.parse(payload);
    return typeof job === 'object' && job !== null && !('poison' in job && job.poison === true);
  } catch {
    return false;
  }
}
