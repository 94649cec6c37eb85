// What an operator must notice in one PostgreSQL server's replication state,
// and the events its changes make (a promotion above all). Pure, so the
// pane, --once and tests share it; split brain is the set's (replication-set.ts).
import type { PostgresqlSnapshot } from './postgresql.js';
import type { Severity } from './severity.js';

/** The seed's replication alert: a replica more than a minute behind. */
export const DEFAULT_LAG_THRESHOLD_MS = 60_000;

export interface PgNotice {
  severity: Severity;
  message: string;
  brief?: string;
  /** Stable identity, for raised/cleared events. */
  key: string;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} kB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

export const formatLag = (ms: number): string => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 3_600_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 3_600_000).toFixed(1)} h`);

export function postgresqlAlerts(s: PostgresqlSnapshot, lagThresholdMs = DEFAULT_LAG_THRESHOLD_MS): PgNotice[] {
  const out: PgNotice[] = [];
  const r = s.recovery;
  if (r) {
    if (!r.receiver || r.receiver.status !== 'streaming') {
      const why = r.receiver ? `its WAL receiver is ${r.receiver.status}` : 'no WAL receiver (primary unreachable or primary_conninfo wrong)';
      out.push({ severity: 'crit', key: 'not-streaming', brief: 'replica not streaming', message: `replica not streaming: ${why}` });
    }
    if (r.paused) out.push({ severity: 'warn', key: 'paused', brief: 'replay paused', message: 'WAL replay is paused (pg_wal_replay_resume() resumes it)' });
    if (r.replayDelayMs !== null && r.replayDelayMs > lagThresholdMs) {
      out.push({ severity: 'crit', key: 'lag', brief: `lag ${formatLag(r.replayDelayMs)}`, message: `replay lag ${formatLag(r.replayDelayMs)} (over ${formatLag(lagThresholdMs)})` });
    }
  }
  for (const link of s.standbys) {
    if (link.state !== 'streaming') {
      const behind = link.lagBytes !== null ? `, ${formatBytes(link.lagBytes)} behind` : '';
      out.push({ severity: 'warn', key: `link:${link.name}`, brief: `${link.name} ${link.state}`, message: `standby ${link.name || link.clientAddr || '?'} is ${link.state}${behind}` });
    }
  }
  for (const slot of s.slots) {
    if (!slot.active && (slot.retainedBytes ?? 0) > 0) {
      out.push({ severity: 'warn', key: `slot:${slot.name}`, brief: `slot ${slot.name} inactive`, message: `replication slot ${slot.name} is inactive and retains ${formatBytes(slot.retainedBytes ?? 0)} of WAL` });
    }
  }
  return out;
}

/** Role and timeline changes, then alerts raised and cleared. */
export function postgresqlEvents(previous: PostgresqlSnapshot | undefined, current: PostgresqlSnapshot, lagThresholdMs = DEFAULT_LAG_THRESHOLD_MS): { severity: Severity; message: string }[] {
  if (!previous) return [];
  const out: { severity: Severity; message: string }[] = [];
  if (previous.role === 'standby' && current.role === 'primary') out.push({ severity: 'warn', message: `promoted: now primary on timeline ${current.timeline ?? '?'}` });
  else if (previous.role === 'primary' && current.role === 'standby') out.push({ severity: 'warn', message: `now a standby (was primary)` });
  else if (previous.timeline !== null && current.timeline !== null && previous.timeline !== current.timeline) out.push({ severity: 'info', message: `timeline ${previous.timeline} -> ${current.timeline}` });
  const before = postgresqlAlerts(previous, lagThresholdMs);
  const now = postgresqlAlerts(current, lagThresholdMs);
  const had = new Set(before.map((a) => a.key));
  const has = new Set(now.map((a) => a.key));
  out.push(...now.filter((a) => !had.has(a.key)).map(({ severity, message }) => ({ severity, message })));
  out.push(...before.filter((a) => !has.has(a.key)).map((a) => ({ severity: 'info' as const, message: `cleared: ${a.brief ?? a.message}` })));
  return out;
}
