// What an operator must notice in one MySQL/MariaDB server's replication,
// and the events its changes make. Pure; split brain is the set's
// (replication-set.ts). The lag threshold is the PostgreSQL one (the seed's 60 s).
import { DEFAULT_LAG_THRESHOLD_MS, formatLag, type PgNotice } from './postgresql-alerts.js';
import type { MysqlChannel, MysqlSnapshot } from './mysql.js';
import type { Severity } from './severity.js';

const label = (c: MysqlChannel) => (c.name ? `channel ${c.name}` : 'replication');

export function mysqlAlerts(s: MysqlSnapshot, lagThresholdMs = DEFAULT_LAG_THRESHOLD_MS): PgNotice[] {
  const out: PgNotice[] = [];
  for (const c of s.channels) {
    const key = c.name || 'default';
    if (c.ioRunning !== 'Yes') {
      const why = c.lastIoErrno ? `error ${c.lastIoErrno}: ${c.lastIoError}` : c.ioState || 'stopped';
      out.push({ severity: 'crit', key: `io:${key}`, brief: 'replica IO stopped', message: `${label(c)}: IO thread ${c.ioRunning === 'No' ? 'stopped' : c.ioRunning.toLowerCase()} (${why})` });
    }
    if (c.sqlRunning !== 'Yes') {
      const why = c.lastSqlErrno ? `error ${c.lastSqlErrno}: ${c.lastSqlError}` : 'stopped';
      out.push({ severity: 'crit', key: `sql:${key}`, brief: 'replica SQL stopped', message: `${label(c)}: SQL thread stopped (${why})` });
    }
    if (c.secondsBehind !== null && c.secondsBehind * 1000 > lagThresholdMs) {
      out.push({ severity: 'crit', key: `lag:${key}`, brief: `lag ${c.secondsBehind} s`, message: `${label(c)}: ${formatLag(c.secondsBehind * 1000)} behind the source (over ${formatLag(lagThresholdMs)})` });
    }
  }
  if (s.role === 'replica' && !s.readOnly && s.superReadOnly !== true) {
    out.push({ severity: 'warn', key: 'writable', brief: 'replica writable', message: 'replica is writable (read_only is OFF): writes here diverge from the source' });
  }
  return out;
}

export function mysqlEvents(previous: MysqlSnapshot | undefined, current: MysqlSnapshot, lagThresholdMs = DEFAULT_LAG_THRESHOLD_MS): { severity: Severity; message: string }[] {
  if (!previous) return [];
  const out: { severity: Severity; message: string }[] = [];
  if (previous.role === 'replica' && current.role === 'primary') out.push({ severity: 'warn', message: `promoted: no replication configured any more${current.readOnly ? ' (still read_only)' : ', writable'}` });
  else if (previous.role === 'primary' && current.role === 'replica') out.push({ severity: 'warn', message: `now a replica of ${current.channels.map((c) => c.sourceHost ?? '?').join(', ')}` });
  const before = mysqlAlerts(previous, lagThresholdMs);
  const now = mysqlAlerts(current, lagThresholdMs);
  const had = new Set(before.map((a) => a.key));
  const has = new Set(now.map((a) => a.key));
  out.push(...now.filter((a) => !had.has(a.key)).map(({ severity, message }) => ({ severity, message })));
  out.push(...before.filter((a) => !has.has(a.key)).map((a) => ({ severity: 'info' as const, message: `cleared: ${a.brief ?? a.message}` })));
  return out;
}
