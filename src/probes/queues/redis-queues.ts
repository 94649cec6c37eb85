// Redis queues: streams with consumer groups and list-based queues, read
// with redis-cli on the broker host over SSH. One remote sh command prints
// every reply between @@baton: markers with its exit code, in --json where
// redis-cli has it (>= 7.0) and --no-raw otherwise; the parser never throws.
import { quote } from 'shell-quote';
import type { QueueDiscovery, QueueProbeResult } from './queue-types.js';
import { buildQueue } from './redis-queue-build.js';
import { decodeReply, type RedisFormat } from './redis-reply.js';
import { MARK, REDIS_CLI_PRELUDE, splitSections, type KeySection, type Sections } from './redis-sections.js';
import { ProbeError, RAW_LIMIT } from '../probe-output.js';


/** The `redis` queue role of a broker host (the inventory will carry it). */
export interface RedisQueueConfig {
  host: string;
  port: number;
  /** Streams read through their consumer groups. */
  streams: string[];
  /** Lists used as queues (LPUSH + BRPOP: the oldest element is at the right end). */
  lists: string[];
  /** Lists where failed messages land: alerted on arrivals, not on depth. */
  deadLetters?: string[];
  /** Also watch the streams and lists whose names match `pattern`, scanning at most `seconds` and `maxKeys`. */
  discover?: { pattern: string; maxKeys: number; seconds: number };
}

/**
 * Reads `redis-cli --raw XINFO GROUPS` (key and value on alternate lines)
 * and prints, per group, its name, its pending count and the id just after
 * its cursor, for the shell to ask about each group.
 */
export const GROUPS_AWK = 'NR % 2 { k = $0; next } k == "name" { n = $0 } k == "pending" { p = $0 } k == "last-delivered-id" { split($0, id, "-"); print n; print p; print id[1] "-" (id[2] + 1) }';

// Functions the command defines on the host. bt_run prints one reply and
// its exit code; bt_stream reads the group names in --raw (for the shell
// only) to ask per group; bt_list reads a list's length and oldest element.
const FUNCTIONS = [
  'bt_stream() {',
  `  printf '${MARK}stream %s\\n' "$1"`,
  '  bt_run xinfo-stream XINFO STREAM "$1"',
  '  bt_run xlen XLEN "$1"',
  '  bt_run xinfo-groups XINFO GROUPS "$1"',
  '  redis-cli -h "$bt_h" -p "$bt_p" --raw XINFO GROUPS "$1" </dev/null 2>/dev/null |',
  `    awk ${quote([GROUPS_AWK])} |`,
  '    while IFS= read -r bt_g && IFS= read -r bt_n && IFS= read -r bt_next; do',
  `      printf '${MARK}group %s\\n' "$bt_g"`,
  '      bt_run xinfo-consumers XINFO CONSUMERS "$1" "$bt_g"',
  '      bt_run xpending XPENDING "$1" "$bt_g"',
  // Nothing pending: the oldest unacknowledged entry is the first undelivered one.
  '      if [ "$bt_n" = 0 ]; then bt_run xrange-next XRANGE "$1" "$bt_next" + COUNT 1; fi',
  '    done',
  '}',
  'bt_list() {',
  `  printf '${MARK}%s %s\\n' "$1" "$2"`,
  '  bt_run llen LLEN "$2"',
  '  bt_run lindex-oldest LINDEX "$2" -1',
  '}',
];

/** The remote command for one broker host; every inventory value is shell-quoted. */
export function redisQueueProbeCommand(config: RedisQueueConfig): string {
  const q = (value: string | number) => quote([String(value)]);
  const deadLetters = config.deadLetters ?? [];
  return [
    `bt_h=${q(config.host)}; bt_p=${q(config.port)}`,
    ...REDIS_CLI_PRELUDE,
    ...FUNCTIONS,
    'bt_run time TIME',
    ...config.streams.map((k) => `bt_stream ${q(k)}`),
    ...config.lists.map((k) => `bt_list list ${q(k)}`),
    ...deadLetters.map((k) => `bt_list dead-letters ${q(k)}`),
    ...(config.discover ? discoverLines(config.discover, [...config.streams, ...config.lists, ...deadLetters]) : []),
    `echo '${MARK}end'`,
    'fi',
  ].join('\n');
}

/** SCAN under `timeout`, at most maxKeys keys, then TYPE routes each new key. */
function discoverLines(discover: NonNullable<RedisQueueConfig['discover']>, known: string[]): string[] {
  const maxKeys = Math.max(0, Math.floor(discover.maxKeys));
  // Whole seconds: busybox timeout takes no fractions.
  const seconds = Math.max(1, Math.ceil(discover.seconds));
  return [
    `bt_known() { for bt_c in ${known.map((k) => quote([k])).join(' ')}; do [ "$1" = "$bt_c" ] && return 0; done; return 1; }`,
    'if command -v timeout >/dev/null 2>&1; then',
    `  echo '${MARK}discover'`,
    // --count (100 keys per SCAN call, not 10) came with redis-cli 7.2.
    "  bt_sc=; if redis-cli --count 100 --version >/dev/null 2>&1; then bt_sc='--count 100'; fi",
    // The exit code comes last; when head cuts the list first, the cap was hit.
    `  bt_keys=$( { timeout ${seconds} redis-cli -h "$bt_h" -p "$bt_p" --scan --pattern ${quote([discover.pattern])} $bt_sc </dev/null 2>/dev/null; echo "${MARK}scan-rc $?"; } | head -n ${maxKeys + 1})`,
    '  printf \'%s\\n\' "$bt_keys" | { bt_i=0; while IFS= read -r bt_k; do',
    `    case $bt_k in '${MARK}scan-rc '*) printf '%s\\n' "$bt_k"; continue ;; '') continue ;; esac`,
    '    bt_i=$((bt_i + 1))',
    `    if [ "$bt_i" -gt ${maxKeys} ]; then echo '${MARK}scan-capped'; break; fi`,
    '    bt_known "$bt_k" && continue',
    '    case $(redis-cli -h "$bt_h" -p "$bt_p" --raw TYPE "$bt_k" </dev/null 2>/dev/null) in',
    '      stream) bt_stream "$bt_k" ;;',
    '      list) bt_list list "$bt_k" ;;',
    '    esac',
    '  done; }',
    'else',
    `  echo '${MARK}discover-unavailable no timeout command on this host, so a key scan could not be bounded'`,
    'fi',
  ];
}


/**
 * TIME runs first: it gives the broker's clock in ms ([seconds,
 * microseconds]), and when it fails the broker itself is unreachable or
 * refuses us, which is the snapshot's error.
 */
function brokerTime(sections: Sections, format: RedisFormat): { serverTime: number | null; error?: string } {
  const cutOff = sections.ended ? {} : { error: 'the probe output was cut off: some queues may be missing' };
  const time = sections.broker.get('time');
  if (!time) return { serverTime: null, ...cutOff };
  const d = decodeReply(time.text, format);
  if (time.rc !== 0 || 'error' in d) return { serverTime: null, error: time.text.trim().split('\n')[0] || `redis-cli exited ${time.rc ?? 'early'}` };
  const [s, us] = Array.isArray(d.value) ? d.value : [];
  const digits = (v: unknown): v is string => typeof v === 'string' && /^\d{1,12}$/.test(v);
  return { serverTime: digits(s) && digits(us) ? Number(s) * 1000 + Math.floor(Number(us) / 1000) : null, ...cutOff };
}

export function parseRedisQueues(output: string, takenAt: number): QueueProbeResult {
  try {
    const sections = splitSections(output);
    if (sections.none !== null) throw new ProbeError(sections.none || 'redis: redis-cli could not run', sections.none);
    const format = sections.format;
    if (format !== 'json' && format !== 'no-raw') throw new ProbeError(`redis: no ${MARK}format line (is the probe's shell POSIX?)`, output.slice(0, RAW_LIMIT));
    const { serverTime, error } = brokerTime(sections, format);
    const keys = firstOfEachName(sections.keys);
    // Ages are counted on the broker's clock when it told us, which stream ids are made from.
    const queues = keys.map((k) => buildQueue(k, format, serverTime ?? takenAt));
    return {
      kind: 'snapshot',
      snapshot: { broker: 'redis', takenAt, serverTime, queues, discovery: discovery(sections, keys), ...(error ? { error } : {}) },
    };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw.slice(0, RAW_LIMIT) };
    return { kind: 'parse-error', message: `redis: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}

/** A key listed twice, or found again by the scan, is reported once, as first seen. */
function firstOfEachName(keys: KeySection[]): KeySection[] {
  const byName = new Map<string, KeySection>();
  for (const k of keys) if (!byName.has(k.name)) byName.set(k.name, k);
  return [...byName.values()];
}

function discovery(sections: Sections, keys: KeySection[]): QueueDiscovery | null {
  const d = sections.discover;
  if (d.unavailable !== null) return { outcome: 'unavailable', found: 0, message: d.unavailable };
  if (!d.started) return null;
  const found = keys.filter((k) => k.discovered).length;
  if (d.capped) return { outcome: 'capped', found, message: 'the key scan stopped at maxKeys: more keys match the pattern' };
  if (d.scanRc === 0) return { outcome: 'complete', found, message: null };
  if (d.scanRc === 124) return { outcome: 'timed-out', found, message: 'the key scan ran out of time: some matching keys may be missing' };
  return { outcome: 'failed', found, message: d.scanRc === null ? 'the key scan output was cut off' : `redis-cli --scan exited ${d.scanRc}` };
}
