// The queue lever of a rebalance: Redis streams (queue-claim-plan.ts) and
// RabbitMQ queue leaders (rabbit-spread.ts) as steps on each broker host,
// and the verify that reads the groups and the leaders again.
// XAUTOCLAIM runs with redis-cli on the broker host, every name shell-quoted;
// nothing secret is on its command line (redis-cli takes REDISCLI_AUTH from
// the host's login session when the broker wants a password). No undo: an
// entry claimed is not given back to a consumer that is gone.
import { quote } from 'shell-quote';
import type { Inventory, RabbitmqRole, RedisRole } from '../../inventory/types.js';
import { redisConfigOf } from '../../probes/queues/queue-service.js';
import type { Outcome, Precondition, Step } from '../engine/plan.js';
import type { LiveContext } from '../engine/registry.js';
import { runOnHost } from '../failover/host-command.js';
import { planClaims, type ClaimPlan, type GroupClaim, type QueueChange } from './queue-claim-plan.js';
import { claimReadCommand, parseClaimRead, type ClaimRead } from './queue-read.js';
import { judgeLeaders, leaderReadCommand, parseLeaderRead, planLeaderSpread, rebalanceLeadersCommand, streamLeadersNote, type LeaderChange, type LeaderRead } from './rabbit-spread.js';

const READ_TIMEOUT_MS = 10_000;
/** XAUTOCLAIM calls per group at most, CLAIM_BATCH entries each. */
const MAX_CLAIM_CALLS = 100;
const CLAIM_BATCH = 1000;

export interface RedisBrokerRead {
  hostId: string;
  read: ClaimRead | { error: string };
}

export interface RabbitBrokerRead {
  hostId: string;
  read: LeaderRead | { error: string };
}

export interface QueueFacts {
  redis: RedisBrokerRead[];
  rabbitmq: RabbitBrokerRead[];
}

export interface QueueLever {
  plan: ClaimPlan;
  /** RabbitMQ queue leaders per node, before -> predicted. */
  leaders: LeaderChange[];
  steps: Step[];
  preconditions: Precondition[];
  locks: string[];
}

const redisHosts = (inventory: Pick<Inventory, 'hosts'>) => inventory.hosts.flatMap((h) => (h.roles.redis ? [{ id: h.id, role: h.roles.redis }] : []));
const rabbitHosts = (inventory: Pick<Inventory, 'hosts'>) => inventory.hosts.flatMap((h) => (h.roles.rabbitmq ? [{ id: h.id, role: h.roles.rabbitmq }] : []));

async function readRabbit(ctx: LiveContext, hostId: string, role: RabbitmqRole): Promise<RabbitBrokerRead> {
  const r = await runOnHost(ctx, hostId, leaderReadCommand(role), READ_TIMEOUT_MS);
  return { hostId, read: r.ok ? parseLeaderRead(r.result.stdout) : { error: r.error } };
}

async function readBroker(ctx: LiveContext, hostId: string, role: RedisRole, minIdleMs: number): Promise<RedisBrokerRead> {
  const r = await runOnHost(ctx, hostId, claimReadCommand(role, minIdleMs), READ_TIMEOUT_MS);
  return { hostId, read: r.ok ? parseClaimRead(r.result.stdout) : { error: r.error } };
}

export async function observeQueues(ctx: LiveContext, minIdleMs: number): Promise<QueueFacts> {
  const [redis, rabbitmq] = await Promise.all([
    Promise.all(redisHosts(ctx.inventory).map((h) => readBroker(ctx, h.id, h.role, minIdleMs))),
    Promise.all(rabbitHosts(ctx.inventory).map((h) => readRabbit(ctx, h.id, h.role))),
  ]);
  return { redis, rabbitmq };
}

/** One group's claim: XAUTOCLAIM from cursor 0-0 until it comes back to 0-0, bounded. */
export function claimCommand(role: RedisRole, c: GroupClaim): string {
  const cfg = redisConfigOf(role);
  const q = (v: string | number): string => quote([String(v)]);
  return [
    `bt_h=${q(cfg.host)}; bt_p=${q(cfg.port)}; bt_c=0-0; bt_i=0; bt_n=0`,
    `while [ "$bt_i" -lt ${MAX_CLAIM_CALLS} ]; do`,
    `  bt_o=$(redis-cli -h "$bt_h" -p "$bt_p" --raw XAUTOCLAIM ${q(c.stream)} ${q(c.group)} ${q(c.claimer)} ${q(c.minIdleMs)} "$bt_c" COUNT ${CLAIM_BATCH} JUSTID </dev/null 2>&1) || { printf '%s\\n' "$bt_o" >&2; exit 1; }`,
    // --raw prints an error reply with exit 0: the first line must be the next cursor.
    '  bt_c=$(printf \'%s\\n\' "$bt_o" | head -n 1)',
    `  case $bt_c in '' | *[!0-9-]*) printf 'XAUTOCLAIM: %s\\n' "$bt_o" >&2; exit 1 ;; esac`,
    '  bt_n=$((bt_n + $(printf \'%s\\n\' "$bt_o" | sed 1d | grep -c \'^[0-9][0-9]*-[0-9][0-9]*$\')))',
    '  bt_i=$((bt_i + 1))',
    '  [ "$bt_c" = 0-0 ] && break',
    'done',
    `printf '%s ids back from XAUTOCLAIM for %s in %s calls\\n' "$bt_n" ${q(c.claimer)} "$bt_i"`,
    `[ "$bt_c" = 0-0 ] || { echo 'stopped after ${MAX_CLAIM_CALLS} calls: more entries may be idle' >&2; exit 1; }`,
  ].join('\n');
}

type RedisPart = Omit<QueueLever, 'leaders'>;

/** The Redis part: claims per group, or why there is nothing to claim. */
function planRedis(inventory: Inventory, facts: QueueFacts, minIdleMs: number, timeoutMs: number): RedisPart | string {
  const reads = new Map<string, ClaimRead>();
  const problems: string[] = [];
  for (const b of facts.redis) {
    if ('error' in b.read) problems.push(`${b.hostId}: ${b.read.error}`);
    else {
      reads.set(b.hostId, b.read);
      problems.push(...b.read.errors.map((e) => `${b.hostId}: ${e}`));
    }
  }
  if (reads.size === 0) return `no Redis broker could be read: ${problems.join('; ')}`;
  const plan = planClaims(reads, minIdleMs);
  const seconds = `${minIdleMs / 1000} s`;
  if (plan.claims.length === 0) {
    const why = plan.stuck.length > 0 ? plan.stuck.join('; ') : `no consumer idle over ${seconds} owns pending entries`;
    return problems.length > 0 ? `${why} (not read: ${problems.join('; ')})` : why;
  }
  const steps: Step[] = plan.claims.map((c) => {
    const role = inventory.hosts.find((h) => h.id === c.broker)!.roles.redis!;
    return {
      id: `rebalance:queues:${c.broker}:${c.stream}/${c.group}`,
      hostId: c.broker,
      label: `XAUTOCLAIM ${c.stream} ${c.group} ${c.claimer} ${c.minIdleMs}: ${c.entries} entr${c.entries === 1 ? 'y' : 'ies'} from ${c.idle.join(', ')}`,
      spec: { kind: 'command', command: claimCommand(role, c) },
      timeoutMs,
      // Claiming twice is harmless: the second call finds them held by the claimer.
      retries: 1,
    };
  });
  const preconditions: Precondition[] = [
    { what: 'queues: no undo', ok: true, detail: 'claimed entries are not given back: the consumers they leave are idle over the threshold' },
    ...plan.claims.filter((c) => c.capped).map((c) => ({ what: `${c.broker} ${c.stream}/${c.group}: every idle entry counted`, ok: false, detail: `XPENDING listed ${c.entries}+ idle entries (its limit): XAUTOCLAIM takes all, the counts are a lower bound` })),
    ...plan.stuck.map((s) => ({ what: 'queues: a live consumer in each group', ok: false, detail: s })),
    ...problems.map((p) => ({ what: 'queues: every stream read', ok: false, detail: p })),
  ];
  return { plan, steps, preconditions, locks: plan.claims.map((c) => `redis:${c.broker}:${c.stream}/${c.group}`) };
}

/** The lever's plan (Redis claims, RabbitMQ leader spreads), or why it has nothing to move. */
export function planQueueLever(inventory: Inventory, facts: QueueFacts, minIdleMs: number, timeoutMs: number): QueueLever | string {
  if (facts.redis.length === 0 && facts.rabbitmq.length === 0) return 'no host of the inventory has the redis or rabbitmq role';
  const skipped: string[] = [];
  const redis = facts.redis.length > 0 ? planRedis(inventory, facts, minIdleMs, timeoutMs) : undefined;
  if (typeof redis === 'string') skipped.push(`redis: ${redis}`);
  const leaders: LeaderChange[] = [];
  const notes: Precondition[] = [];
  const steps: Step[] = typeof redis === 'object' ? [...redis.steps] : [];
  for (const b of facts.rabbitmq) {
    const r = 'error' in b.read ? b.read.error : planLeaderSpread(b.hostId, b.read);
    if (typeof r === 'string') {
      skipped.push(`${b.hostId} rabbitmq: ${r}`);
      continue;
    }
    leaders.push(...r);
    const streams = 'error' in b.read ? undefined : streamLeadersNote(b.read);
    if (streams) notes.push({ what: 'queues: stream leaders stay', ok: true, detail: `${b.hostId}: ${streams}` });
    const role = inventory.hosts.find((h) => h.id === b.hostId)!.roles.rabbitmq!;
    steps.push({ id: `rebalance:queues:${b.hostId}:rabbitmq`, hostId: b.hostId, label: `rabbitmq-queues rebalance all: leaders ${r.map((c) => `${c.node} ${c.before}→${c.after}`).join(', ')}`, spec: { kind: 'command', command: rebalanceLeadersCommand(role) }, timeoutMs, retries: 1 });
  }
  if (typeof redis !== 'object' && leaders.length === 0) return skipped.join('; ');
  return {
    plan: typeof redis === 'object' ? redis.plan : { claims: [], changes: [], stuck: [] },
    leaders,
    steps,
    preconditions: [...(typeof redis === 'object' ? redis.preconditions : []), ...notes, ...skipped.map((detail) => ({ what: 'queues: nothing to move', ok: true, detail }))],
    locks: [...(typeof redis === 'object' ? redis.locks : []), ...[...new Set(leaders.map((c) => c.broker))].map((h) => `rabbitmq:${h}`)],
  };
}

/** Each consumer's pending now against the plan: the consumers claimed from must be down to theirs. */
export async function verifyQueues(ctx: LiveContext, { claims, changes, leaders }: { claims: GroupClaim[]; changes: QueueChange[]; leaders?: LeaderChange[] }): Promise<{ outcome: Outcome; note: string; hosts: Record<string, Outcome> }> {
  const hosts: Record<string, Outcome> = {};
  const notes: string[] = [];
  const outcomes: Outcome[] = [];
  for (const broker of [...new Set((leaders ?? []).map((c) => c.broker))]) {
    const role = ctx.inventory.hosts.find((h) => h.id === broker)?.roles.rabbitmq;
    const { read } = role ? await readRabbit(ctx, broker, role) : { read: { error: `${broker} has no rabbitmq role` } };
    const verdict: { outcome: Outcome; text: string } = 'error' in read ? { outcome: 'unknown', text: read.error } : ((j) => ({ outcome: j.ok ? 'ok' : 'failed', text: j.text }))(judgeLeaders(leaders!.filter((c) => c.broker === broker), read));
    hosts[broker] = verdict.outcome;
    outcomes.push(verdict.outcome);
    notes.push(`${broker} rabbitmq ${verdict.text}`);
  }
  for (const broker of [...new Set(claims.map((c) => c.broker))]) {
    const role = ctx.inventory.hosts.find((h) => h.id === broker)?.roles.redis;
    const minIdleMs = claims.find((c) => c.broker === broker)!.minIdleMs;
    const { read } = role ? await readBroker(ctx, broker, role, minIdleMs) : { read: { error: `${broker} has no redis role` } };
    if ('error' in read) {
      hosts[broker] = 'unknown';
      outcomes.push('unknown');
      notes.push(`${broker}: ${read.error}`);
      continue;
    }
    const said = changes.filter((c) => c.broker === broker).map((c) => {
      const now = read.groups.find((g) => g.stream === c.stream && g.group === c.group)?.consumers.find((x) => x.name === c.consumer)?.pending;
      const claimer = claims.some((k) => k.stream === c.stream && k.group === c.group && k.claimer === c.consumer);
      // A live claimer keeps acking (and reading) its own work: its count is reported, not judged.
      const ok = now !== undefined && (claimer || now <= c.after);
      return { ok, text: `${c.stream}/${c.group} ${c.consumer} ${c.before} → ${now ?? 'gone'} (planned ${c.after})` };
    });
    const outcome: Outcome = said.every((s) => s.ok) ? 'ok' : 'failed';
    hosts[broker] = outcome;
    outcomes.push(outcome);
    notes.push(`${broker} pending: ${said.map((s) => s.text).join(', ')}`);
  }
  const outcome: Outcome = outcomes.includes('failed') ? 'failed' : outcomes.includes('unknown') ? 'unknown' : 'ok';
  return { outcome, note: notes.join('; '), hosts };
}
