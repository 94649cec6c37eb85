// Drops stream entries the group has acknowledged, so XLEN of `orders` is
// the real backlog (undelivered + pending) rather than history.
// XTRIM MINID, not XDEL: XDEL leaves tombstones after which Redis 7 reports
// the group's lag as nil, and lag is what the queue probe alerts on.
import type { Redis } from 'ioredis';
import { ORDERS_GROUP, ORDERS_STREAM } from './queues.js';
import { execAll, workersGroup } from './replies.js';

export async function trimAcknowledged(redis: Redis): Promise<void> {
  // One MULTI so the group's cursor and its pending list are read at the same instant.
  const [groups, pending] = await execAll(redis.multi().xinfo('GROUPS', ORDERS_STREAM).xpending(ORDERS_STREAM, ORDERS_GROUP));
  const lastDelivered = workersGroup(groups).get('last-delivered-id');
  // XPENDING summary: [count, smallest id, greatest id, per-consumer counts].
  const oldestPending = Array.isArray(pending) && Number(pending[0]) > 0 ? pending[1] : undefined;
  // Everything below the oldest pending entry has been acked; with none
  // pending, everything up to the last delivered one has.
  const keepFrom = typeof oldestPending === 'string' ? oldestPending : nextId(lastDelivered);
  if (keepFrom) await redis.xtrim(ORDERS_STREAM, 'MINID', keepFrom);
}

/** The smallest stream id after `id` ('<ms>-<seq>'; seq is a 64-bit counter). */
function nextId(id: unknown): string | undefined {
  const m = typeof id === 'string' ? /^(\d+)-(\d+)$/.exec(id) : null;
  return m ? `${m[1]}-${BigInt(m[2] ?? '0') + 1n}` : undefined;
}
