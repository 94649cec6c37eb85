// The Databases pane's text: one block per replication set (its servers are
// services keyed SET/HOST), the set's alerts worst first, then a line per
// server: its role, how it replicates and its lag as a number and a
// sparkline. Pure, so the pane, its test and the incident view share it.
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
  members: ServiceState[];
}

const hostOf = (s: ServiceState) => s.key.slice(s.key.indexOf('/') + 1);

/** Services keyed SET/HOST grouped by set, in inventory order. */
export function databaseSets(services: readonly ServiceState[]): DatabaseSet[] {
  const sets = new Map<string, ServiceState[]>();
  for (const s of services) {
    const name = s.key.includes('/') ? s.key.slice(0, s.key.indexOf('/')) : s.key;
    sets.set(name, [...(sets.get(name) ?? []), s]);
  }
  return [...sets].map(([name, members]) => ({ name, members }));
}

const RANK: Record<Severity, number> = { crit: 0, warn: 1, info: 2 };
const SPARK_WIDTH = 16;
const HOST_WIDTH = 6;

function snapshotOf(s: ServiceState): PostgresqlServiceSnapshot | undefined {
  return s.snapshot as PostgresqlServiceSnapshot | undefined;
}

/** A member whose last answer failed, or is older than the stale limit, is not counted as what it last said. */
function current(s: ServiceState, ctx: BlockContext): PostgresqlServiceSnapshot | undefined {
  const snap = snapshotOf(s);
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
  const parts: Part[] = [name];
  if (snap.role === 'primary') {
    parts.push({ text: 'primary ', token: 'ok' }, { text: `tl ${snap.timeline ?? '?'} `, token: 'muted' });
    const links = snap.standbys.map((l) => `${l.name || l.clientAddr || '?'} ${l.state}${l.lagBytes ? ` ${formatBytes(l.lagBytes)}` : ''}`);
    parts.push({ text: links.length ? `→ ${links.join(', ')}` : 'no standby connected', token: links.length ? 'text' : 'warn' });
  } else {
    const r = snap.recovery;
    const receiver = r?.receiver?.status ?? 'no receiver';
    const lag = r?.replayDelayMs ?? null;
    parts.push({ text: 'standby ', token: 'text' }, { text: fit(receiver, 10), token: receiver === 'streaming' ? 'ok' : 'crit' });
    parts.push({ text: ` lag ${fit(lag === null ? '–' : formatLag(lag), 7, 'right')} `, token: lagToken(lag) });
    const history = snap.lagHistory.map((v) => v ?? 0);
    const room = Math.max(0, Math.min(SPARK_WIDTH, ctx.width - 44));
    if (room > 3) parts.push({ text: sparkline(history, room).padEnd(room), token: lagToken(lag) });
    if (r?.paused) parts.push({ text: ' paused', token: 'warn' });
  }
  return itemLine(`${set}/${host}`, parts);
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
  const live = set.members.map((m) => current(m, ctx)).filter((s): s is PostgresqlServiceSnapshot => s !== undefined);
  const primaries = live.filter((s) => s.role === 'primary').length;
  const standbys = live.filter((s) => s.role === 'standby').length;
  const newest = Math.max(...set.members.map((m) => m.updatedAt ?? 0));
  const age = newest === 0 ? 'waiting' : ctx.now - newest < 2 * ctx.intervalMs ? 'now' : `${formatAge(ctx.now - newest)} ago`;
  const token: Token = primaries === 1 ? 'muted' : 'crit';
  return itemLine(set.name, [
    { text: ` ${set.name}`, token: 'focus' },
    { text: ` · ${primaries} primary, ${standbys} standby`, token },
    { text: ` · ${age}`, token: 'muted' },
  ]);
}

export function databaseSetLines(set: DatabaseSet, ctx: BlockContext): Line[] {
  return [headerLine(set, ctx), ...alertLines(set, ctx), ...set.members.map((m) => memberLine(m, set.name, ctx))];
}
