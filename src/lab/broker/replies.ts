// Unpacking the Redis replies the broker reads more than once: the results
// of a MULTI, and the `workers` group in XINFO GROUPS.
import type { ChainableCommander } from 'ioredis';
import { ORDERS_GROUP, ORDERS_STREAM } from './queues.js';

/** Runs the MULTI and returns its replies; the first failed command's error is thrown. */
export async function execAll(multi: ChainableCommander): Promise<unknown[]> {
  const results = await multi.exec();
  if (!results) throw new Error('MULTI was aborted');
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

/** The `workers` entry of an XINFO GROUPS reply (RESP2: one flat key/value array per group). */
export function workersGroup(reply: unknown): Map<unknown, unknown> {
  for (const entry of Array.isArray(reply) ? reply : []) {
    if (!Array.isArray(entry)) continue;
    const fields = new Map<unknown, unknown>();
    for (let i = 0; i + 1 < entry.length; i += 2) fields.set(entry[i], entry[i + 1]);
    if (fields.get('name') === ORDERS_GROUP) return fields;
  }
  throw new Error(`stream ${ORDERS_STREAM} has no consumer group ${ORDERS_GROUP}`);
}
