// Parses the RabbitMQ queue probe's output (rabbitmq-command.ts): the JSON
// list rabbitmqctl or the management API printed, framed with its stderr and
// exit code. Never throws: output it cannot read becomes a parse-error with
// the raw snippet; a broker that refuses (node down, bad cookie, HTTP 401)
// is a snapshot with an error and the inventory's queues unread.
import { MARK, ProbeError, RAW_LIMIT, splitCommandSections } from '../probe-output.js';
import type { RabbitQueueConfig } from './rabbitmq-command.js';
import type { Queue, QueueProbeResult } from './queue-types.js';

type Source = 'rabbitmqctl' | 'management';
type Entry = Record<string, unknown>;

export function parseRabbitQueues(output: string, takenAt: number, config: Pick<RabbitQueueConfig, 'vhost' | 'queues' | 'deadLetters'>): QueueProbeResult {
  try {
    let source: Source | undefined;
    const sections = splitCommandSections(String(output), ['queues'], {
      onOtherMarker: (m) => {
        if (m === 'source rabbitmqctl' || m === 'source management') source = m.slice(7) as Source;
      },
    });
    const section = sections.get('queues');
    if (!section) throw new ProbeError(`rabbitmq: no ${MARK}queues section in the probe output (is the probe's shell POSIX?)`, String(output));
    const ended = String(output).includes(`${MARK}end`);
    if (section.exitCode !== 0) {
      const why = section.exitCode === null ? 'the probe output was cut off' : brokerError(section.stderr, section.stdout, section.exitCode, source);
      return snapshot(takenAt, unread(config, why), why);
    }
    const entries = decode(section.stdout, source);
    const queues = select(entries.map((e) => toQueue(e, source, config)), config);
    return snapshot(takenAt, queues, ended ? undefined : 'the probe output was cut off: some queues may be missing');
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw.slice(0, RAW_LIMIT) };
    return { kind: 'parse-error', message: `rabbitmq: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}

function snapshot(takenAt: number, queues: Queue[], error: string | undefined): QueueProbeResult {
  return { kind: 'snapshot', snapshot: { broker: 'rabbitmq', takenAt, serverTime: null, queues, discovery: null, ...(error ? { error } : {}) } };
}

/** What the operator needs from a failed call: rabbitmqctl's first line and its diagnosis, or curl's error. */
function brokerError(stderr: string, stdout: string, code: number, source: Source | undefined): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const first = lines[0] ?? stdout.trim().split('\n')[0] ?? '';
  // rabbitmqctl explains under DIAGNOSTICS, one `* ...` line per cause.
  const diagnosis = lines.slice(lines.indexOf('DIAGNOSTICS')).find((l) => l.startsWith('* '));
  const text = [first, diagnosis?.slice(2)].filter(Boolean).join(': ');
  return `${source ?? 'rabbitmq'} exited ${code}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

function decode(stdout: string, source: Source | undefined): Entry[] {
  let value: unknown;
  try {
    value = JSON.parse(stdout);
  } catch (err) {
    throw new ProbeError(`rabbitmq: ${source ?? 'the probe'} printed no JSON list (${(err as Error).message})`, stdout);
  }
  if (!Array.isArray(value)) throw new ProbeError(`rabbitmq: expected a JSON list of queues from ${source ?? 'the probe'}`, stdout);
  return value.map((e, i) => {
    if (typeof e !== 'object' || e === null || Array.isArray(e) || typeof (e as Entry).name !== 'string') {
      throw new ProbeError(`rabbitmq: queue ${i} of the list has no name`, JSON.stringify(e) ?? String(e));
    }
    return e as Entry;
  });
}

/** Message counts are whole and far below 2^53; anything else is not a count. */
const count = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
/** The broker's rates: messages per second, finite and sane. */
const rate = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e9 ? v : null);
const path = (e: Entry, ...keys: string[]): unknown => keys.reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Entry)[k] : undefined), e);

function toQueue(e: Entry, source: Source | undefined, config: Pick<RabbitQueueConfig, 'queues' | 'deadLetters'>): Queue {
  const name = e.name as string;
  const state = typeof e.state === 'string' ? e.state : undefined;
  return {
    broker: 'rabbitmq',
    name,
    kind: 'queue',
    deadLetter: config.deadLetters.includes(name),
    discovered: !config.deadLetters.includes(name) && !(config.queues ?? []).includes(name),
    depth: count(e.messages),
    ready: count(e.messages_ready),
    unacked: count(e.messages_unacknowledged),
    ...(typeof e.type === 'string' ? { queueType: e.type } : {}),
    ...(source === 'management' ? countersOf(e) : {}),
    consumers: count(e.consumers),
    oldestAgeMs: null,
    ...(state && state !== 'running' ? { error: `queue state ${state}` } : {}),
  };
}

/** The management API's message_stats; a queue no message went through yet has none: its counters are 0. */
function countersOf(e: Entry): Partial<Queue> {
  const total = (...keys: string[]) => keys.reduce((a, k) => a + (count(path(e, 'message_stats', k)) ?? 0), 0);
  return {
    published: total('publish'),
    consumed: total('ack', 'deliver_no_ack', 'get_no_ack'),
    publishRate: rate(path(e, 'message_stats', 'publish_details', 'rate')) ?? 0,
    deliverRate: rate(path(e, 'message_stats', 'deliver_get_details', 'rate')) ?? 0,
  };
}

/** The inventory's queues (and dead-letter queues) in its order, missing ones marked; else all, by name. */
function select(found: Queue[], config: Pick<RabbitQueueConfig, 'vhost' | 'queues' | 'deadLetters'>): Queue[] {
  const byName = new Map<string, Queue>();
  for (const q of found) if (!byName.has(q.name)) byName.set(q.name, q);
  const listed = [...new Set([...(config.queues ?? []), ...config.deadLetters])];
  const wanted = config.queues ? listed : [...new Set([...listed, ...[...byName.keys()].sort()])];
  return wanted.map((name) => byName.get(name) ?? unreadQueue(name, config, `no queue ${name} in vhost ${config.vhost}`));
}

function unread(config: Pick<RabbitQueueConfig, 'vhost' | 'queues' | 'deadLetters'>, why: string): Queue[] {
  return [...new Set([...(config.queues ?? []), ...config.deadLetters])].map((name) => unreadQueue(name, config, why));
}

function unreadQueue(name: string, config: Pick<RabbitQueueConfig, 'deadLetters'>, why: string): Queue {
  return { broker: 'rabbitmq', name, kind: 'queue', deadLetter: config.deadLetters.includes(name), discovered: false, depth: null, consumers: null, oldestAgeMs: null, error: why };
}
