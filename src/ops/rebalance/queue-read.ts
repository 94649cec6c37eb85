// What the queue lever reads of a Redis broker: per stream of the role and
// per consumer group, each consumer's pending count and idle time (XINFO
// CONSUMERS) and every pending entry idle longer than the threshold with its
// owner (XPENDING ... IDLE ms): exactly what `XAUTOCLAIM ... min-idle-time`
// would take. One sh command on the broker host, framed like the queue
// probe's (@@baton: markers, --json or --no-raw replies); the parser never throws.
import { quote } from 'shell-quote';
import type { RedisRole } from '../../inventory/types.js';
import { redisConfigOf } from '../../probes/queues/queue-service.js';
import { decodeReply, type RedisFormat, type RedisValue } from '../../probes/queues/redis-reply.js';
import { MARK, REDIS_CLI_PRELUDE, splitSections, type Commands } from '../../probes/queues/redis-sections.js';

/** Pending entries listed per group at most: beyond it the counts are a lower bound (said in the plan). */
export const IDLE_LIST_MAX = 10_000;

export interface ClaimConsumer {
  name: string;
  pending: number;
  idleMs: number;
}

export interface ClaimGroup {
  stream: string;
  group: string;
  consumers: ClaimConsumer[];
  /** Pending entries idle longer than the threshold, per owning consumer. */
  idleEntries: Record<string, number>;
  /** IDLE_LIST_MAX entries came back: there may be more. */
  capped: boolean;
}

export interface ClaimRead {
  groups: ClaimGroup[];
  /** Streams or groups that could not be read, in redis-cli's words. */
  errors: string[];
}

const q = (v: string | number): string => quote([String(v)]);

/** Prints group names from `redis-cli --raw XINFO GROUPS` (key and value on alternate lines). */
const GROUP_NAMES_AWK = 'NR % 2 { k = $0; next } k == "name" { print }';

/** The remote command for one broker host, idle threshold in ms; every value shell-quoted. */
export function claimReadCommand(role: RedisRole, idleMs: number): string {
  const c = redisConfigOf(role);
  return [
    `bt_h=${q(c.host)}; bt_p=${q(c.port)}; bt_ms=${q(Math.round(idleMs))}`,
    ...REDIS_CLI_PRELUDE,
    'bt_stream() {',
    `  printf '${MARK}stream %s\\n' "$1"`,
    '  bt_run xinfo-groups XINFO GROUPS "$1"',
    `  redis-cli -h "$bt_h" -p "$bt_p" --raw XINFO GROUPS "$1" </dev/null 2>/dev/null | awk ${q(GROUP_NAMES_AWK)} |`,
    '    while IFS= read -r bt_g; do',
    `      printf '${MARK}group %s\\n' "$bt_g"`,
    '      bt_run xinfo-consumers XINFO CONSUMERS "$1" "$bt_g"',
    `      bt_run xpending-idle XPENDING "$1" "$bt_g" IDLE "$bt_ms" - + ${IDLE_LIST_MAX}`,
    '    done',
    '}',
    ...c.streams.map((s) => `bt_stream ${q(s)}`),
    `echo '${MARK}end'`,
    'fi',
  ].join('\n');
}

type Fields = Record<string, RedisValue>;

/** A RESP3 map (--json) or a RESP2 flat key/value array (--no-raw) as fields. */
function fields(v: RedisValue): Fields | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
  if (!Array.isArray(v) || v.length % 2 !== 0) return null;
  const out: Fields = {};
  for (let i = 0; i < v.length; i += 2) {
    if (typeof v[i] !== 'string') return null;
    out[v[i] as string] = v[i + 1] ?? null;
  }
  return out;
}

const int = (v: RedisValue | undefined): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);

function reply(commands: Commands, name: string, format: RedisFormat): { value: RedisValue } | { error: string } {
  const out = commands.get(name);
  if (!out) return { error: `${name}: no output (cut off)` };
  if (out.rc !== 0) return { error: `${name}: ${out.text.trim().split('\n')[0] || `redis-cli exited ${out.rc ?? 'early'}`}` };
  const d = decodeReply(out.text, format);
  return 'error' in d ? { error: `${name}: ${d.error}` } : d;
}

function consumersOf(v: RedisValue): ClaimConsumer[] | null {
  if (!Array.isArray(v)) return null;
  const out: ClaimConsumer[] = [];
  for (const item of v) {
    const f = fields(item);
    const name = f?.name;
    const pending = int(f?.pending);
    const idleMs = int(f?.idle);
    if (typeof name !== 'string' || pending === null || idleMs === null) return null;
    out.push({ name, pending, idleMs });
  }
  return out;
}

/** XPENDING's extended form: [id, consumer, idle ms, deliveries] per entry, counted per consumer. */
function idleEntriesOf(v: RedisValue): { idleEntries: Record<string, number>; count: number } | null {
  if (!Array.isArray(v)) return null;
  const idleEntries: Record<string, number> = {};
  for (const entry of v) {
    if (!Array.isArray(entry) || typeof entry[1] !== 'string') return null;
    idleEntries[entry[1]] = (idleEntries[entry[1]] ?? 0) + 1;
  }
  return { idleEntries, count: v.length };
}

export function parseClaimRead(output: string): ClaimRead | { error: string } {
  try {
    const s = splitSections(output);
    if (s.none !== null) return { error: s.none || 'redis-cli could not run' };
    if (s.format !== 'json' && s.format !== 'no-raw') return { error: `no ${MARK}format line in: ${output.slice(0, 200)}` };
    const format = s.format;
    const read: ClaimRead = { groups: [], errors: s.ended ? [] : ['the output was cut off: some streams may be missing'] };
    for (const key of s.keys) {
      const groups = reply(key.commands, 'xinfo-groups', format);
      if ('error' in groups) read.errors.push(`${key.name}: ${groups.error}`);
      for (const g of key.groups) {
        const consumers = reply(g.commands, 'xinfo-consumers', format);
        const idle = reply(g.commands, 'xpending-idle', format);
        const c = 'value' in consumers ? consumersOf(consumers.value) : null;
        const e = 'value' in idle ? idleEntriesOf(idle.value) : null;
        if (!c || !e) {
          const why = 'error' in consumers ? consumers.error : 'error' in idle ? idle.error : 'unreadable XINFO CONSUMERS or XPENDING reply';
          read.errors.push(`${key.name}/${g.name}: ${why}`);
          continue;
        }
        read.groups.push({ stream: key.name, group: g.name, consumers: c, idleEntries: e.idleEntries, capped: e.count >= IDLE_LIST_MAX });
      }
    }
    return read;
  } catch (err) {
    return { error: `queue lever: parser failed: ${(err as Error).message}` };
  }
}
