// The shapes of etcdctl's `-w json` outputs (etcd 3.4 and later) and of
// `alarm list`. The JSON is read with lossless-json: ids are uint64, often
// above 2^53 where a JS number silently rounds them, so they stay decimal
// strings. Counters and sizes become numbers, refused above 2^53.
// etcd omits zero-valued fields (omitempty): absent means 0, false or none;
// `leader` really is absent while an election is under way.
import { isLosslessNumber, parse, type LosslessNumber } from 'lossless-json';
import { z } from 'zod';
import { decodeHolder, keyFromToken, LOCK_PREFIX, type LockRecord } from './lock-records.js';

const losslessNumber = z.custom<LosslessNumber>(isLosslessNumber, 'expected a number');
const uint64 = losslessNumber.refine((n) => /^\d{1,20}$/.test(n.value), 'expected an unsigned integer').transform((n) => n.value);
const count = losslessNumber
  .refine((n) => /^\d+$/.test(n.value) && Number.isSafeInteger(Number(n.value)), 'expected a whole number below 2^53')
  .transform((n) => Number(n.value));

const statusSchema = z.array(
  z.object({
    Endpoint: z.string(),
    Status: z.object({
      header: z.object({ cluster_id: uint64.default('0'), member_id: uint64.default('0') }).default({ cluster_id: '0', member_id: '0' }),
      version: z.string().default(''),
      dbSize: count.default(0),
      dbSizeInUse: count.default(0),
      leader: uint64.default('0'),
      raftIndex: count.default(0),
      raftTerm: count.default(0),
      raftAppliedIndex: count.default(0),
      isLearner: z.boolean().default(false),
      errors: z.array(z.string()).default([]),
    }),
  }),
);

const healthSchema = z.array(
  z.object({
    endpoint: z.string(),
    health: z.boolean().default(false),
    error: z.string().default(''),
  }),
);

const memberListSchema = z.object({
  header: z.object({ cluster_id: uint64.default('0') }).default({ cluster_id: '0' }),
  members: z
    .array(
      z.object({
        ID: uint64,
        name: z.string().default(''),
        peerURLs: z.array(z.string()).default([]),
        clientURLs: z.array(z.string()).default([]),
        isLearner: z.boolean().default(false),
      }),
    )
    .default([]),
});

// `get --prefix baton/locks/ -w json`: keys and values are base64; no key, no `kvs`.
const lockRangeSchema = z.object({
  kvs: z.array(z.object({ key: z.string(), value: z.string().default('') })).default([]),
  count: count.default(0),
  more: z.boolean().default(false),
});

export type EndpointStatusJson = z.infer<typeof statusSchema>;
export type EndpointHealthJson = z.infer<typeof healthSchema>;
export type MemberListJson = z.infer<typeof memberListSchema>;

/** Says which command's output is wrong and where; the probe adds the raw snippet. */
export class EtcdOutputError extends Error {}

function read<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new EtcdOutputError(`etcd: ${what} output is not JSON (${(err as Error).message})`);
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `at [${issue.path.join('.')}]` : 'at the top level';
  throw new EtcdOutputError(`etcd: ${what} output is not etcdctl's shape ${where}: ${issue?.message ?? 'invalid'}`);
}

export const readEndpointStatus = (text: string) => read(statusSchema, text, 'endpoint status');
export const readEndpointHealth = (text: string) => read(healthSchema, text, 'endpoint health');
export const readMemberList = (text: string) => read(memberListSchema, text, 'member list');

const fromBase64 = (word: string): string => Buffer.from(word, 'base64').toString('utf8');

/** The lock records under baton/locks/, and how many there are in all (`--limit` may cut the list). */
export function readLockRecords(text: string): { records: LockRecord[]; total: number } {
  const range = read(lockRangeSchema, text, 'get --prefix baton/locks/');
  const records = range.kvs
    .map((kv) => ({ name: fromBase64(kv.key), value: kv.value }))
    .filter((kv) => kv.name.startsWith(LOCK_PREFIX))
    .map((kv) => ({ key: keyFromToken(kv.name.slice(LOCK_PREFIX.length)), holder: decodeHolder(fromBase64(kv.value)) }));
  return { records, total: Math.max(range.count, records.length) };
}

/** `alarm list` prints one `memberID:<id> alarm:<NAME>` line per alarm, nothing when there is none. */
export function readAlarms(text: string): { memberId: string; alarm: string }[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const m = /^memberID:(\d{1,20}) alarm:(\w+)\s*$/.exec(line);
      if (!m) throw new EtcdOutputError(`etcd: alarm list: unexpected line ${JSON.stringify(line.slice(0, 80))}`);
      return { memberId: m[1] ?? '', alarm: m[2] ?? '' };
    });
}

/** A learner's answer to what it does not serve (linearizable reads, member list) until it is promoted. */
export const LEARNER_REFUSES = /rpc not supported for learner/;

/** host:port of a client URL, as etcdctl names the endpoint in its log lines. */
export const addressOf = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '');

const retryLogSchema = z.object({ target: z.string(), error: z.string() });

/**
 * What each endpoint last answered before etcdctl gave up, from its JSON log
 * lines ("retrying of unary invoker failed", target `endpoint://client-<id>/<host:port>`):
 * its own result only says the deadline passed. Keyed by host:port; lines of
 * another shape are skipped (they are etcdctl's logs, not its answer).
 */
export function readRetryReasons(logLines: readonly string[]): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const line of logLines) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const r = retryLogSchema.safeParse(entry);
    if (!r.success) continue;
    const address = r.data.target.slice(r.data.target.lastIndexOf('/') + 1);
    reasons.set(address, /desc = (.*)$/.exec(r.data.error)?.[1] ?? r.data.error);
  }
  return reasons;
}
