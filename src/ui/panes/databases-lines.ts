// The Databases pane's text: one block per replication set (PostgreSQL or
// MySQL/MariaDB servers, services keyed SET/HOST), the set's alerts worst
// first, then a line per server: its role, how it replicates and its lag as
// a number and a sparkline. Pure, so the pane, its test and the incident view share it.
import type { MysqlServiceSnapshot } from '../../monitor/mysql-plan.js';
import type { PostgresqlServiceSnapshot } from '../../monitor/postgresql-plan.js';
import { DEFAULT_LAG_THRESHOLD_MS, formatLag } from '../../probes/postgresql-alerts.js';
import { STALE_AFTER_INTERVALS } from '../../store/selectors.js';
import type { ServiceState } from '../../store/services.js';
import type { Severity } from '../../store/types.js';
import { fit, formatAge, formatBytes } from '../format.js';
import type { Token } from '../theme/theme.js';
import { sparkline } from '../widgets/sparkline.js';
import { itemLine, type Line, type Part } from '../widgets/styled-lines.js';
import { SEVERITY_TOKEN, type BlockContext } from './service-block.js';

export interface DatabaseSet {
  name: string;
  kind: ServiceState['kind'];
  members: ServiceState[];
}

const KIND_LABEL: Partial<Record<ServiceState['kind'], string>> = { postgresql: 'PostgreSQL', mysql: 'MySQL' };

const hostOf = (s: ServiceState) => s.key.slice(s.key.indexOf('/') + 1);

/** Services keyed SET/HOST grouped by set, in inventory order. */
export function databaseSets(services: readonly ServiceState[]): DatabaseSet[] {
  const sets = new Map<string, DatabaseSet>();
  for (const s of services) {
    const name = s.key.includes('/') ? s.key.slice(0, s.key.indexOf('/')) : s.key;
    const id = `${s.kind}:${name}`;
    const set = sets.get(id) ?? { name, kind: s.kind, members: [] };
    set.members.push(s);
    sets.set(id, set);
  }
  return [...sets.values()];
}

const RANK: Record<Severity, number> = { crit: 0, warn: 1, info: 2 };
const SPARK_WIDTH = 16;
const HOST_WIDTH = 6;

type DbSnapshot = PostgresqlServiceSnapshot | MysqlServiceSnapshot;

/** A member whose last answer failed, or is older than the stale limit, is not counted as what it last said. */
function current(s: ServiceState, ctx: BlockContext): DbSnapshot | undefined {
  const snap = s.snapshot as DbSnapshot | undefined;
  if (!snap || s.updatedAt === undefined) return undefined;
  if (s.error && s.error.at > s.updatedAt) return undefined;
  return ctx.now - s.updatedAt > STALE_AFTER_INTERVALS * ctx.intervalMs ? undefined : snap;
}

function lagToken(ms: number | null): Token {
  if (ms === null) return 'muted';
  return ms > DEFAULT_LAG_THRESHOLD_MS ? 'crit' : ms > 5000 ? 'warn' : 'ok';
}

function memberLine(s: ServiceState, set: string, ctx: BlockContext): Line {
  const host = hostOf(s);
  const name: Part = { text: ` ${fit(host, HOST_WIDTH)} `, token: 'focus' };
  const snap = current(s, ctx);
  if (!snap) {
    const why = s.error ? `✖ ${s.error.message.replace(/^[^:]*: (postgresql: )?/, '')}` : s.snapshot ? 'STALE' : 'waiting';
    return itemLine(`${set}/${host}`, [name, { text: fit(why, Math.max(0, ctx.width - HOST_WIDTH - 2)), token: s.error ? 'crit' : 'muted' }]);
  }
  if (s.kind === 'mysql') return itemLine(`${set}/${host}`, [name, ...mysqlParts(snap as MysqlServiceSnapshot, ctx)]);
  const pg = snap as PostgresqlServiceSnapshot;
  const parts: Part[] = [name];
  if (pg.role === 'primary') {
    parts.push({ text: 'primary ', token: 'ok' }, { text: `tl ${pg.timeline ?? '?'} `, token: 'muted' });
    const links = pg.standbys.map((l) => `${l.name || l.clientAddr || '?'} ${l.state}${l.lagBytes ? ` ${formatBytes(l.lagBytes)}` : ''}`);
    parts.push({ text: links.length ? `→ ${links.join(', ')}` : 'no standby connected', token: links.length ? 'text' : 'warn' });
  } else {
    const r = pg.recovery;
    const receiver = r?.receiver?.status ?? 'no receiver';
    const lag = r?.replayDelayMs ?? null;
    parts.push({ text: 'standby ', token: 'text' }, { text: fit(receiver, 10), token: receiver === 'streaming' ? 'ok' : 'crit' });
    parts.push(...lagParts(pg.lagHistory, lag, ctx));
    if (r?.paused) parts.push({ text: ' paused', token: 'warn' });
  }
  return itemLine(`${set}/${host}`, parts);
}

function lagParts(lagHistory: readonly (number | null)[], lag: number | null, ctx: BlockContext): Part[] {
  const parts: Part[] = [{ text: ` lag ${fit(lag === null ? '–' : formatLag(lag), 7, 'right')} `, token: lagToken(lag) }];
  const room = Math.max(0, Math.min(SPARK_WIDTH, ctx.width - 44));
  if (room > 3) parts.push({ text: sparkline(lagHistory.map((v) => v ?? 0), room).padEnd(room), token: lagToken(lag) });
  return parts;
}

/** A source: writable or not, its GTID position; a replica: each thread, the lag, read-only or not. */
function mysqlParts(s: MysqlServiceSnapshot, ctx: BlockContext): Part[] {
  if (s.channels.length === 0) {
    return [{ text: 'primary ', token: s.readOnly ? 'warn' : 'ok' }, { text: s.readOnly ? 'read-only ' : 'writable ', token: s.readOnly ? 'warn' : 'muted' }, { text: `gtid ${s.gtidPosition || '–'}`, token: 'muted' }];
  }
  const c = s.channels.find((x) => x.ioRunning !== 'Yes' || x.sqlRunning !== 'Yes') ?? s.channels[0]!;
  const running = c.ioRunning === 'Yes' && c.sqlRunning === 'Yes';
  const lag = c.secondsBehind === null ? null : c.secondsBehind * 1000;
  return [
    { text: 'replica ', token: 'text' },
    { text: fit(`io ${c.ioRunning} sql ${c.sqlRunning}`, 17), token: running ? 'ok' : 'crit' },
    ...lagParts(s.lagHistory, lag, ctx),
    ...(s.readOnly ? [] : [{ text: ' writable', token: 'warn' as const }]),
  ];
}

/** The set's alerts once each, worst first, each naming its server. */
function alertLines(set: DatabaseSet, ctx: BlockContext): Line[] {
  const seen = new Set<string>();
  // A server that no longer answers keeps its last alerts in the store: they are not news any more.
  const alerts = set.members.filter((s) => current(s, ctx)).flatMap((s) => s.alerts.map((a) => ({ ...a, host: a.hostId ?? hostOf(s) })));
  const text = (a: (typeof alerts)[number]) => (a.message.startsWith('split brain') || a.message.startsWith('no primary') ? a.message : `${a.host}: ${a.message}`);
  return alerts
    .sort((a, b) => RANK[a.severity] - RANK[b.severity])
    .filter((a) => !seen.has(text(a)) && seen.add(text(a)))
    .map((a) => itemLine(set.name, [{ text: ` ▲ ${text(a)}`, token: SEVERITY_TOKEN[a.severity] }]));
}

function headerLine(set: DatabaseSet, ctx: BlockContext): Line {
  const live = set.members.map((m) => current(m, ctx)).filter((s): s is DbSnapshot => s !== undefined);
  const primaries = live.filter((s) => s.role === 'primary' && !('readOnly' in s && s.readOnly)).length;
  const standbys = live.length - primaries;
  const newest = Math.max(...set.members.map((m) => m.updatedAt ?? 0));
  const age = newest === 0 ? 'waiting' : ctx.now - newest < 2 * ctx.intervalMs ? 'now' : `${formatAge(ctx.now - newest)} ago`;
  const token: Token = primaries === 1 ? 'muted' : 'crit';
  return itemLine(set.name, [
    { text: ` ${set.name}`, token: 'focus' },
    ...(set.kind === 'postgresql' ? [] : [{ text: ` (${KIND_LABEL[set.kind] ?? set.kind})`, token: 'muted' as const }]),
    { text: ` · ${primaries} primary, ${standbys} ${set.kind === 'postgresql' ? 'standby' : 'replica'}`, token },
    { text: ` · ${age}`, token: 'muted' },
  ]);
}

/** The whole block; `compact` (the incident view): the header and the alerts, `✓ no alerts` when there are none. */
export function databaseSetLines(set: DatabaseSet, ctx: BlockContext, compact = false): Line[] {
  const alerts = alertLines(set, ctx);
  if (compact) return [headerLine(set, ctx), ...(alerts.length ? alerts : [itemLine(set.name, [{ text: ' ✓ no alerts', token: 'ok' }])])];
  return [headerLine(set, ctx), ...alerts, ...set.members.map((m) => memberLine(m, set.name, ctx))];
}
