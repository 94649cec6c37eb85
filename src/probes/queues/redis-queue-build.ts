// Turns one key's redis-cli replies into a Queue. A missing key, a key of
// the wrong type or a failed command is that queue's error, never a failure
// of the whole snapshot.
import type { Queue, QueueConsumer, QueueGroup } from './queue-types.js';
import { decodeReply, type Decoded, type RedisFormat, type RedisValue } from './redis-reply.js';
import type { Commands, GroupSection, KeySection } from './redis-sections.js';

type Fields = Record<string, RedisValue>;

const COMMAND_NAMES: Record<string, string> = {
  'xinfo-stream': 'XINFO STREAM',
  xlen: 'XLEN',
  'xinfo-groups': 'XINFO GROUPS',
  'xinfo-consumers': 'XINFO CONSUMERS',
  xpending: 'XPENDING',
  'xrange-next': 'XRANGE',
  llen: 'LLEN',
  'lindex-oldest': 'LINDEX',
};

/** Stream ids and `at` fields before this (Sep 2001) are not wall-clock times but ids chosen by hand. */
const PLAUSIBLE_MS = 1e12;

function read(commands: Commands, name: string, format: RedisFormat): Decoded {
  const label = COMMAND_NAMES[name] ?? name;
  const out = commands.get(name);
  if (!out) return { error: `${label}: no output (the probe was cut off)` };
  if (out.rc !== 0) return { error: `${label}: ${out.text.trim().split('\n')[0] || `redis-cli exited ${out.rc ?? 'before finishing'}`}` };
  const d = decodeReply(out.text, format);
  return 'error' in d ? { error: `${label}: ${d.error}` } : d;
}

/** A RESP3 map (--json) or a RESP2 flat key/value array (--no-raw) as fields. */
function fields(v: RedisValue | undefined): Fields | null {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v;
  if (!Array.isArray(v) || v.length % 2 !== 0) return null;
  const out: Fields = {};
  for (let i = 0; i + 1 < v.length; i += 2) {
    const key = v[i];
    if (typeof key !== 'string') return null;
    out[key] = v[i + 1] ?? null;
  }
  return out;
}

function int(v: RedisValue | undefined): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : null;
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v)) return Number(v);
  return null;
}

const str = (v: RedisValue | undefined): string | null => (typeof v === 'string' ? v : null);

/** The ms part of a stream id (`<ms>-<seq>`), when it looks like a time. */
function idMs(id: string | null): number | null {
  const m = id === null ? null : /^(\d{1,15})-\d+$/.exec(id);
  const ms = m ? Number(m[1]) : null;
  return ms !== null && ms >= PLAUSIBLE_MS ? ms : null;
}

/** Clock skew between hosts can make an age negative; it is then "just now". */
const age = (ms: number | null, now: number): number | null => (ms === null ? null : Math.max(0, now - ms));

function listOf(d: Decoded): RedisValue[] {
  return 'value' in d && Array.isArray(d.value) ? d.value : [];
}

export function buildQueue(key: KeySection, format: RedisFormat, now: number): Queue {
  const base = { broker: 'redis' as const, name: key.name, kind: key.kind, deadLetter: key.deadLetter, discovered: key.discovered };
  return key.kind === 'stream' ? { ...base, ...stream(key, format, now) } : { ...base, ...list(key.commands, format, now) };
}

type Figures = Omit<Queue, 'broker' | 'name' | 'kind' | 'deadLetter' | 'discovered'>;

function list(commands: Commands, format: RedisFormat, now: number): Figures {
  const llen = read(commands, 'llen', format);
  if ('error' in llen) return { depth: null, consumers: null, oldestAgeMs: null, error: llen.error };
  const depth = int(llen.value);
  if (depth === null) return { depth: null, consumers: null, oldestAgeMs: null, error: `LLEN: unexpected reply ${JSON.stringify(llen.value).slice(0, 80)}` };
  const oldest = read(commands, 'lindex-oldest', format);
  const payload = 'value' in oldest ? str(oldest.value) : null;
  // Who pops a list is not something Redis records: consumers stay unknown.
  return { depth, consumers: null, oldestAgeMs: payload === null ? null : age(enqueuedAt(payload), now), ...('error' in oldest ? { error: oldest.error } : {}) };
}

/** A job's `at` (ms) from a JSON payload; a cut or non-JSON payload is searched for `"at": N`. */
export function enqueuedAt(payload: string): number | null {
  let at: unknown;
  try {
    const job: unknown = JSON.parse(payload);
    at = job !== null && typeof job === 'object' && 'at' in job ? job.at : undefined;
  } catch {
    at = /"at"\s*:\s*"?(\d{1,15})\b/.exec(payload)?.[1];
  }
  const ms = typeof at === 'number' ? at : typeof at === 'string' && /^\d{1,15}$/.test(at) ? Number(at) : null;
  return ms !== null && Number.isSafeInteger(ms) && ms >= PLAUSIBLE_MS ? ms : null;
}

function stream(key: KeySection, format: RedisFormat, now: number): Figures {
  const info = read(key.commands, 'xinfo-stream', format);
  const infoFields = 'value' in info ? fields(info.value) : null;
  if (!infoFields) return { depth: null, consumers: null, oldestAgeMs: null, error: 'error' in info ? info.error : 'XINFO STREAM: unexpected reply' };
  const errors: string[] = [];
  const xlen = read(key.commands, 'xlen', format);
  const length = ('value' in xlen ? int(xlen.value) : null) ?? int(infoFields.length);
  const groupsReply = read(key.commands, 'xinfo-groups', format);
  if ('error' in groupsReply) errors.push(groupsReply.error);
  const groups = listOf(groupsReply).flatMap((g) => {
    const f = fields(g);
    return f ? [group(f, key.groups, format, now, errors)] : [];
  });
  const backlogs = groups.map((g) => (g.lag === null ? null : g.lag + g.pending));
  const known = backlogs.filter((b): b is number => b !== null);
  const exact = groups.length > 0 && known.length === groups.length;
  // The slowest group stands for the stream in the table: its backlog is the depth.
  const score = groups.map((g, i) => (exact ? (backlogs[i] ?? 0) : g.pending));
  const slowest = groups[score.indexOf(Math.max(...score))];
  const first = infoFields['first-entry'];
  const ages = groups.map((g) => g.oldestAgeMs).filter((a): a is number => a !== null);
  return {
    depth: exact ? Math.max(...known) : length,
    length,
    group: slowest?.name ?? null,
    pending: slowest?.pending ?? null,
    lag: slowest?.lag ?? null,
    lastDeliveredId: slowest?.lastDeliveredId ?? null,
    entriesAdded: int(infoFields['entries-added']),
    groups,
    consumers: groups.reduce((n, g) => n + g.consumers, 0),
    // Without a group everything in the stream waits, oldest first.
    oldestAgeMs: groups.length > 0 ? (ages.length > 0 ? Math.max(...ages) : null) : age(idMs(Array.isArray(first) ? str(first[0]) : null), now),
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
  };
}

function group(f: Fields, sections: GroupSection[], format: RedisFormat, now: number, errors: string[]): QueueGroup {
  const name = str(f.name) ?? '';
  const pending = int(f.pending) ?? 0;
  const section = sections.find((s) => s.name === name);
  const consumerList: QueueConsumer[] = [];
  if (section) {
    const consumers = read(section.commands, 'xinfo-consumers', format);
    if ('error' in consumers) errors.push(`${name}: ${consumers.error}`);
    for (const c of listOf(consumers).map(fields)) {
      if (c) consumerList.push({ name: str(c.name) ?? '', pending: int(c.pending) ?? 0, idleMs: int(c.idle) });
    }
  }
  return {
    name,
    consumers: int(f.consumers) ?? consumerList.length,
    pending,
    lag: int(f.lag),
    lastDeliveredId: str(f['last-delivered-id']),
    entriesRead: int(f['entries-read']),
    consumerList,
    oldestAgeMs: section ? age(idMs(oldestUnacked(section.commands, pending, format)), now) : null,
  };
}

/**
 * The oldest entry a group has not acknowledged: its smallest pending id
 * (XPENDING summary: [count, smallest, greatest, per consumer]), or with
 * nothing pending the first entry after its cursor (XRANGE: [[id, fields]]).
 */
function oldestUnacked(commands: Commands, pending: number, format: RedisFormat): string | null {
  if (pending > 0) return str(listOf(read(commands, 'xpending', format))[1]);
  const first = listOf(read(commands, 'xrange-next', format))[0];
  return Array.isArray(first) ? str(first[0]) : null;
}
