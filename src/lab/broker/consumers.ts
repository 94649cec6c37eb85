// The lab's consumers: worker-1 and worker-2 read `orders` in the `workers`
// group (XREADGROUP, then XACK), jobs-worker pops `jobs` (BRPOP) and moves
// jobs it cannot process to `jobs:dead`. Each blocks on its own connection,
// so an idle consumer waits in Redis instead of polling. Each stream worker
// has a loop group of its own, so one can be killed (`queue:worker-1`) while
// the others run: what it held stays pending under its name.
import type { Redis } from 'ioredis';
import { connectRedis } from './connection.js';
import { LoopGroup, pace } from './loops.js';
import type { TrafficOptions } from './producers.js';
import { DEAD_LETTER_LIST, DEAD_LETTER_MAX, JOBS_LIST, ORDERS_GROUP, ORDERS_STREAM, STREAM_CONSUMERS } from './queues.js';
import { trimAcknowledged } from './stream-trim.js';

/** How long one blocking read waits in Redis (s); stop() interrupts it sooner. */
const BLOCK_SECONDS = 1;

export const CONSUMER_NAMES = [...STREAM_CONSUMERS, 'jobs-worker'] as const;

export type StreamWorker = (typeof STREAM_CONSUMERS)[number];

/** Every consumer's loops; stream workers can be stopped and started one by one. */
export class Consumers {
  private readonly workers = new Map<StreamWorker, LoopGroup>();
  private readonly jobs: LoopGroup;

  constructor(
    private readonly options: TrafficOptions,
    killed: ReadonlySet<StreamWorker>,
  ) {
    for (const worker of STREAM_CONSUMERS) if (!killed.has(worker)) this.startWorker(worker);
    this.jobs = startJobsWorker(options);
  }

  /** False when it was already stopped. */
  async stopWorker(worker: StreamWorker): Promise<boolean> {
    const group = this.workers.get(worker);
    if (!group) return false;
    this.workers.delete(worker);
    await group.stop();
    return true;
  }

  /** False when it was already running. */
  startWorker(worker: StreamWorker): boolean {
    if (this.workers.has(worker)) return false;
    this.workers.set(worker, startStreamWorker(this.options, worker));
    return true;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.values(), this.jobs].map((g) => g.stop()));
    this.workers.clear();
  }
}

function startStreamWorker(options: TrafficOptions, consumer: StreamWorker): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  // The stream's rate is shared between its workers.
  const perWorker = (): number => options.rate() / STREAM_CONSUMERS.length;
  const redis = group.own(connectRedis(options.endpoint, { name: `baton-lab-${consumer}`, log: options.log }));
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
  return group;
}

function startJobsWorker(options: TrafficOptions): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  const jobs = group.own(connectRedis(options.endpoint, { name: 'baton-lab-jobs-worker', log: options.log }));
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
