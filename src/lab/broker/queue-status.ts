// What the broker's queues look like right now, read with the same Redis
// commands an operator would type, for `lab status`.
import type { Redis } from 'ioredis';
import { DEAD_LETTER_LIST, JOBS_LIST, ORDERS_STREAM } from './queues.js';
import { execAll, workersGroup } from './replies.js';

export interface QueueDepths {
  /** XLEN orders: entries not yet acknowledged (acked ones are trimmed). */
  ordersLength: number;
  /** Entries delivered to a worker and not yet acknowledged. */
  ordersPending: number;
  /** Entries not yet delivered to the group; null when Redis cannot tell. */
  ordersLag: number | null;
  jobs: number;
  dead: number;
}

export async function readQueueDepths(redis: Redis): Promise<QueueDepths> {
  const [length, groups, jobs, dead] = await execAll(
    redis.multi().xlen(ORDERS_STREAM).xinfo('GROUPS', ORDERS_STREAM).llen(JOBS_LIST).llen(DEAD_LETTER_LIST),
  );
  const group = workersGroup(groups);
  const lag = group.get('lag');
  return {
    ordersLength: Number(length),
    ordersPending: Number(group.get('pending') ?? 0),
    ordersLag: typeof lag === 'number' ? lag : null,
    jobs: Number(jobs),
    dead: Number(dead),
  };
}

/** e.g. `orders len 12 lag 9 pending 3, jobs 0, dead 4`. */
export function formatQueueDepths(q: QueueDepths): string {
  return `${ORDERS_STREAM} len ${q.ordersLength} lag ${q.ordersLag ?? '?'} pending ${q.ordersPending}, ${JOBS_LIST} ${q.jobs}, dead ${q.dead}`;
}

