// PostgreSQL replication: the pure parser of the probe's one JSON row
// (postgresql-command.ts). Never throws: psql's own failure (server down,
// authentication refused) and any output that is not the expected object
// become a parse error with the raw snippet.
import { ProbeError, RAW_LIMIT, splitCommandSections } from './probe-output.js';
import { POSTGRESQL_SECTION } from './postgresql-command.js';

/** One row of the primary's pg_stat_replication: a standby (or pg_basebackup) it sends WAL to. */
export interface PgStandbyLink {
  /** application_name: the standby's name (primary_conninfo's, else its cluster_name). */
  name: string;
  clientAddr: string | null;
  /** startup, catchup, streaming, backup, stopping. */
  state: string;
  syncState: string | null;
  sentLsn: string | null;
  replayLsn: string | null;
  /** Bytes between this server's position and the standby's replay. */
  lagBytes: number | null;
  writeLagMs: number | null;
  flushLagMs: number | null;
  /** Null once the standby has caught up and nothing is written (PostgreSQL clears it). */
  replayLagMs: number | null;
}

export interface PgSlot {
  name: string;
  type: string;
  active: boolean;
  walStatus: string | null;
  /** WAL the slot keeps on disk: grows without bound while nobody uses it. */
  retainedBytes: number | null;
}

export interface PgReceiver {
  /** streaming, starting, waiting, restarting, stopping. */
  status: string;
  senderHost: string | null;
  senderPort: number | null;
  slotName: string | null;
  lastMessageMs: number | null;
}

export interface PgRecovery {
  receiveLsn: string | null;
  replayLsn: string | null;
  /** Received but not yet replayed. */
  pendingBytes: number | null;
  /** Commit time of the last transaction replayed. */
  lastReplayMs: number | null;
  paused: boolean;
  /** Null: no WAL receiver (not connected to any primary). */
  receiver: PgReceiver | null;
  /** How far replay is behind: 0 when all received WAL is replayed, else the age of the last replayed commit. */
  replayDelayMs: number | null;
}

export interface PostgresqlSnapshot {
  takenAt: number;
  /** server_version_num, e.g. 150018. */
  version: number;
  role: 'primary' | 'standby';
  systemId: string;
  clusterName: string;
  /** The server's clock when it answered (delays are measured on it, not on baton's). */
  serverNowMs: number;
  timeline: number | null;
  walLsn: string | null;
  standbys: PgStandbyLink[];
  slots: PgSlot[];
  /** On a standby only. */
  recovery: PgRecovery | null;
}

export type PostgresqlProbeResult = { kind: 'snapshot'; snapshot: PostgresqlSnapshot } | { kind: 'parse-error'; message: string; raw: string };

type Json = Record<string, unknown>;

function object(v: unknown, what: string, raw: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ProbeError(`postgresql: ${what} is not an object`, raw);
  return v as Json;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function need<T>(v: T | null, what: string, raw: string): T {
  if (v === null) throw new ProbeError(`postgresql: ${what} is missing or of the wrong type`, raw);
  return v;
}

function rows(v: unknown, what: string, raw: string): Json[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new ProbeError(`postgresql: ${what} is not a list`, raw);
  return v.map((r) => object(r, `a ${what} row`, raw));
}

/** The timeline from a WAL file name (its first 8 hex digits). */
function walTimeline(file: string | null): number | null {
  const m = file === null ? null : /^([0-9A-F]{8})[0-9A-F]{16}$/.exec(file);
  return m?.[1] === undefined ? null : parseInt(m[1], 16);
}

function standby(r: Json): PgStandbyLink {
  return {
    name: str(r.application_name) ?? '',
    clientAddr: str(r.client_addr),
    state: str(r.state) ?? 'unknown',
    syncState: str(r.sync_state),
    sentLsn: str(r.sent_lsn),
    replayLsn: str(r.replay_lsn),
    lagBytes: num(r.lag_bytes),
    writeLagMs: num(r.write_lag_ms),
    flushLagMs: num(r.flush_lag_ms),
    replayLagMs: num(r.replay_lag_ms),
  };
}

function slot(r: Json): PgSlot {
  return { name: str(r.slot_name) ?? '', type: str(r.slot_type) ?? 'unknown', active: r.active === true, walStatus: str(r.wal_status), retainedBytes: num(r.retained_bytes) };
}

function receiver(v: unknown, raw: string): PgReceiver | null {
  if (v === null || v === undefined) return null;
  const r = object(v, 'receiver', raw);
  return { status: str(r.status) ?? 'unknown', senderHost: str(r.sender_host), senderPort: num(r.sender_port), slotName: str(r.slot_name), lastMessageMs: num(r.last_msg_receipt_ms) };
}

function recovery(o: Json, serverNowMs: number, raw: string): PgRecovery {
  const pendingBytes = num(o.replay_pending_bytes);
  const lastReplayMs = num(o.last_replay_ms);
  const replayDelayMs = pendingBytes === 0 ? 0 : lastReplayMs === null ? null : Math.max(0, serverNowMs - lastReplayMs);
  return {
    receiveLsn: str(o.receive_lsn),
    replayLsn: str(o.replay_lsn),
    pendingBytes,
    lastReplayMs,
    paused: o.replay_paused === true,
    receiver: receiver(o.receiver, raw),
    replayDelayMs,
  };
}

function snapshot(body: string, takenAt: number, raw: string): PostgresqlSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ProbeError(`postgresql: psql printed no JSON row: ${body.trim().split('\n')[0]?.slice(0, 120) || 'nothing'}`, raw);
  }
  const o = object(parsed, 'the answer', raw);
  if (typeof o.in_recovery !== 'boolean') throw new ProbeError('postgresql: in_recovery is missing', raw);
  const standbyNow = o.in_recovery;
  const serverNowMs = need(num(o.now_ms), 'now_ms', raw);
  const rec = standbyNow ? recovery(o, serverNowMs, raw) : null;
  const receiverTli = standbyNow && o.receiver && typeof o.receiver === 'object' ? num((o.receiver as Json).received_tli) : null;
  return {
    takenAt,
    version: need(num(o.version), 'version', raw),
    role: standbyNow ? 'standby' : 'primary',
    systemId: str(o.system_id) ?? '',
    clusterName: str(o.cluster_name) ?? '',
    serverNowMs,
    timeline: standbyNow ? (receiverTli ?? num(o.checkpoint_tli)) : (walTimeline(str(o.wal_file)) ?? num(o.checkpoint_tli)),
    walLsn: str(o.wal_lsn),
    standbys: rows(o.standbys, 'standbys', raw).map(standby),
    slots: rows(o.slots, 'slots', raw).map(slot),
    recovery: rec,
  };
}

/** psql's first error line, without its `psql: error:` prefix. */
function psqlError(stderr: string, code: number | null): string {
  const line = stderr.split('\n').find((l) => l.trim() !== '')?.replace(/^psql:\s*(error:\s*)?/, '');
  return line ?? (code === null ? 'psql was cut off' : `psql exited ${code}`);
}

export function parsePostgresqlProbe(output: string, takenAt: number): PostgresqlProbeResult {
  const raw = output.slice(0, RAW_LIMIT);
  try {
    const section = splitCommandSections(output, [POSTGRESQL_SECTION]).get(POSTGRESQL_SECTION);
    if (!section) return { kind: 'parse-error', message: 'postgresql: no probe output (is the shell POSIX?)', raw };
    if (section.exitCode !== 0) {
      const missing = section.exitCode === 127 ? ' (is psql installed? Debian: postgresql-client; or set roles.postgresql.psql)' : '';
      return { kind: 'parse-error', message: `postgresql: ${psqlError(section.stderr, section.exitCode)}${missing}`, raw: section.stderr.slice(0, RAW_LIMIT) || raw };
    }
    return { kind: 'snapshot', snapshot: snapshot(section.stdout.trim(), takenAt, raw) };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `postgresql: ${(err as Error).message}`, raw };
  }
}
