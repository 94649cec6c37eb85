// The detail of one database server (Enter on its line in the Databases
// pane, or on one of its alerts). PostgreSQL: role and timeline, on a
// primary each standby link and slot, on a standby its receiver and replay.
// MySQL/MariaDB: read_only, GTID position, each channel's threads and errors. Pure.
import type { MysqlServiceSnapshot } from '../../monitor/mysql-plan.js';
import type { PostgresqlServiceSnapshot } from '../../monitor/postgresql-plan.js';
import { formatLag } from '../../probes/postgresql-alerts.js';
import { formatBytes } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, num, type KindDetail } from './detail-lines.js';

const lag = (ms: number | null): string => (ms === null ? '–' : formatLag(ms));

function primaryLines(s: PostgresqlServiceSnapshot): Line[] {
  const links = s.standbys.flatMap((l) => [
    fact(l.name || l.clientAddr || '?', { text: l.state, token: l.state === 'streaming' ? 'ok' : 'warn' }, { text: ` ${l.syncState ?? ''} from ${l.clientAddr ?? 'socket'}`, token: 'muted' }),
    fact('', { text: `sent ${l.sentLsn ?? '–'} replayed ${l.replayLsn ?? '–'} (${l.lagBytes === null ? '–' : formatBytes(l.lagBytes)} behind); lag write ${lag(l.writeLagMs)} flush ${lag(l.flushLagMs)} replay ${lag(l.replayLagMs)}`, token: 'muted' }),
  ]);
  return [heading('STANDBYS (pg_stat_replication)'), ...(links.length ? links : [fact('none', { text: 'no standby connected', token: 'warn' })])];
}

function standbyLines(s: PostgresqlServiceSnapshot): Line[] {
  const r = s.recovery;
  if (!r) return [];
  const rx = r.receiver;
  return [
    heading('REPLICATION'),
    fact('receiver', { text: rx?.status ?? 'none', token: rx?.status === 'streaming' ? 'ok' : 'crit' }, { text: rx ? ` from ${rx.senderHost ?? '?'}:${num(rx.senderPort)} slot ${rx.slotName ?? '–'}` : ' (primary unreachable or primary_conninfo wrong)', token: 'muted' }),
    fact('received', { text: r.receiveLsn ?? '–' }),
    fact('replayed', { text: r.replayLsn ?? '–' }, { text: ` (${r.pendingBytes === null ? '–' : formatBytes(r.pendingBytes)} pending)`, token: 'muted' }),
    fact('replay lag', { text: lag(r.replayDelayMs) }, { text: r.paused ? ' replay paused' : '', token: 'warn' }),
  ];
}

export function postgresqlDetail(snapshot: unknown): KindDetail {
  const s = snapshot as PostgresqlServiceSnapshot;
  const slots = s.slots.map((sl) => fact(sl.name, { text: sl.active ? 'active' : 'inactive', token: sl.active ? 'muted' : 'warn' }, { text: ` ${sl.type}, retains ${sl.retainedBytes === null ? '–' : formatBytes(sl.retainedBytes)}${sl.walStatus ? `, wal ${sl.walStatus}` : ''}`, token: 'muted' }));
  return {
    title: `${s.role} · set ${s.set}`,
    lines: [
      fact('role', { text: s.role, token: s.role === 'primary' ? 'ok' : 'text' }, { text: ` timeline ${num(s.timeline)}, PostgreSQL ${Math.floor(s.version / 10_000)}.${s.version % 10_000}`, token: 'muted' }),
      fact('cluster', { text: s.clusterName || '–' }, { text: ` system ${s.systemId}`, token: 'muted' }),
      ...(s.walLsn ? [fact('WAL at', { text: s.walLsn })] : []),
      ...(s.role === 'primary' ? primaryLines(s) : standbyLines(s)),
      ...(slots.length ? [heading('SLOTS'), ...slots] : []),
    ],
  };
}

export function mysqlDetail(snapshot: unknown): KindDetail {
  const s = snapshot as MysqlServiceSnapshot;
  const channels = s.channels.flatMap((c) => [
    heading(`CHANNEL ${c.name || '(default)'} from ${c.sourceHost ?? '?'}:${num(c.sourcePort)}`),
    fact('IO thread', { text: c.ioRunning, token: c.ioRunning === 'Yes' ? 'ok' : 'crit' }, { text: ` ${c.ioState}`, token: 'muted' }),
    ...(c.lastIoErrno ? [fact('IO error', { text: `${c.lastIoErrno} ${c.lastIoError}`, token: 'crit' })] : []),
    fact('SQL thread', { text: c.sqlRunning, token: c.sqlRunning === 'Yes' ? 'ok' : 'crit' }),
    ...(c.lastSqlErrno ? [fact('SQL error', { text: `${c.lastSqlErrno} ${c.lastSqlError}`, token: 'crit' })] : []),
    fact('behind', { text: c.secondsBehind === null ? '– (a thread is stopped)' : `${c.secondsBehind} s` }),
    fact('GTID', { text: `${c.usingGtid ?? '–'} received ${c.gtidReceived || '–'}`, token: 'muted' }),
  ]);
  return {
    title: `${s.role} · set ${s.set}`,
    lines: [
      fact('server', { text: s.version }, { text: ` id ${num(s.serverId)}, binlog ${s.logBin ? 'on' : 'off'}`, token: 'muted' }),
      fact('read_only', { text: s.readOnly ? 'ON' : 'OFF', token: s.role === 'replica' && !s.readOnly ? 'warn' : 'text' }, { text: s.superReadOnly === null ? '' : ` super_read_only ${s.superReadOnly ? 'ON' : 'OFF'}`, token: 'muted' }),
      fact('GTID at', { text: s.gtidPosition || '–' }),
      fact('status', { text: s.statusStatement ?? '–', token: 'muted' }),
      ...channels,
    ],
  };
}
