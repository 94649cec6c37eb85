// The queue detail's report: what the broker says about one queue (depth,
// backlog, oldest message, the optional figures its broker reports), the
// derived rates, trend and time to drain, and its consumers (groups with
// their consumers, pending and idle time for streams). The broker as a whole
// lists every queue. Pure.
import { DEFAULT_CONSUMER_IDLE_MS, queueAlerts, type QueueAlert } from '../../probes/queues/queue-alerts.js';
import type { QueueServiceSnapshot } from '../../probes/queues/queue-service.js';
import type { DerivedQueue, RateBasis } from '../../probes/queues/queue-trends.js';
import type { QueueGroup, QueueSnapshot } from '../../probes/queues/queue-types.js';
import { formatAge, MISSING } from '../format.js';
import type { Line, Part } from '../widgets/styled-lines.js';
import { fact, heading, num, type KindDetail } from './detail-lines.js';
import { drain, rate, trend } from './queue-lines.js';
import { parseItem } from './service-items.js';

/** Fields every queue has or that this report shows by name; any other scalar a broker adds is listed as it comes. */
const SHOWN = new Set([
  'broker', 'name', 'kind', 'deadLetter', 'discovered', 'depth', 'length', 'group', 'pending', 'lag', 'lastDeliveredId', 'entriesAdded', 'groups',
  'consumers', 'oldestAgeMs', 'error', 'inRate', 'outRate', 'inRateBasis', 'outRateBasis', 'depthChange', 'trend', 'drain', 'timeToDrainSeconds',
  'growthStreak', 'depthHistory',
]);

const BASIS: Record<RateBasis, string> = { measured: 'measured', estimated: 'estimated', 'lower-bound': 'lower bound' };
const basis = (b: RateBasis | null): string => (b === null ? '' : ` (${BASIS[b]})`);
const age = (ms: number | null): string => (ms === null ? MISSING : formatAge(ms));

function figureLines(q: DerivedQueue): Line[] {
  const lines: Line[] = [
    fact('depth', { text: num(q.depth), token: q.error && q.depth === null ? 'crit' : 'text' }, { text: q.depthChange === null ? '' : ` (${q.depthChange >= 0 ? '+' : ''}${q.depthChange} since the last poll)`, token: 'muted' }),
  ];
  if (q.length !== undefined) lines.push(fact('length', { text: num(q.length) }, { text: q.entriesAdded === undefined ? '' : ` · ${num(q.entriesAdded)} ever added`, token: 'muted' }));
  if (q.pending !== undefined || q.lag !== undefined) {
    lines.push(fact('backlog', { text: `pending ${num(q.pending)} · lag ${num(q.lag)}` }, { text: `${q.group ? ` · slowest group ${q.group}` : ''}${q.lastDeliveredId ? ` · last delivered ${q.lastDeliveredId}` : ''}`, token: 'muted' }));
  }
  lines.push(fact('oldest', { text: age(q.oldestAgeMs) }, { text: ' waiting', token: 'muted' }));
  const extra = Object.entries(q).filter(([k, v]) => !SHOWN.has(k) && (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'));
  for (const [k, v] of extra) lines.push(fact(k, { text: String(v) }));
  const t = trend(q);
  const d = drain(q);
  lines.push(
    fact('in', { text: `${rate(q.inRate, q.inRateBasis)}/s` }, { text: basis(q.inRateBasis), token: 'muted' }),
    fact('out', { text: `${rate(q.outRate, q.outRateBasis)}/s` }, { text: basis(q.outRateBasis), token: 'muted' }),
    fact('trend', { text: t.text, token: t.token }, { text: q.growthStreak > 0 ? ` · grew ${q.growthStreak} polls in a row` : '', token: 'muted' }),
    fact('drain', { text: q.drain === 'draining' ? `in ${d.text}` : d.text, token: d.token }),
  );
  if (q.error) lines.push(fact('error', { text: q.error, token: 'crit' }));
  return lines;
}

function groupLines(g: QueueGroup): Line[] {
  const idle = (ms: number | null): Part => ({ text: `idle ${age(ms)}`, token: ms !== null && ms > DEFAULT_CONSUMER_IDLE_MS ? 'warn' : 'muted' });
  return [
    fact(`group`, { text: g.name, token: 'focus' }, { text: ` · ${g.consumers} consumers · pending ${g.pending} · lag ${num(g.lag)} · oldest unacked ${age(g.oldestAgeMs)}`, token: g.consumers === 0 ? 'warn' : 'muted' }),
    fact('', { text: `last delivered ${g.lastDeliveredId ?? MISSING} · read ${num(g.entriesRead)}`, token: 'muted' }),
    ...g.consumerList.map((c) => fact('', { text: `  ${c.name.padEnd(16)} ` }, { text: `pending ${String(c.pending).padEnd(6)} `, token: c.pending > 0 ? 'text' : 'muted' }, idle(c.idleMs))),
  ];
}

function consumerLines(q: DerivedQueue): Line[] {
  const groups = q.groups ?? [];
  if (groups.length > 0) return [heading('CONSUMERS'), ...groups.flatMap(groupLines)];
  if (q.consumers !== null) return [heading('CONSUMERS'), fact('consumers', { text: String(q.consumers), token: q.consumers === 0 ? 'warn' : 'text' })];
  const why = q.kind === 'list' ? 'not known: nobody registers to pop a list' : 'no consumer group';
  return [heading('CONSUMERS'), fact('consumers', { text: why, token: q.kind === 'list' ? 'muted' : 'warn' })];
}

function overviewLines(snap: QueueSnapshot, queues: readonly DerivedQueue[]): Line[] {
  const lines: Line[] = [];
  if (snap.error) lines.push(fact('broker', { text: snap.error, token: 'crit' }));
  const d = snap.discovery;
  if (d) lines.push(fact('discovery', { text: d.outcome, token: d.outcome === 'complete' ? 'ok' : 'warn' }, { text: ` · ${d.found} found${d.message ? ` · ${d.message}` : ''}`, token: 'muted' }));
  lines.push(heading('QUEUES'), ...queues.map((q) => fact(q.name, { text: num(q.depth) }, { text: ` ${q.kind}${q.deadLetter ? ' dead-letter' : ''} · ${drain(q).text}`, token: 'muted' })));
  return lines;
}

/** The alerts of a broker: the monitor's (with the inventory's thresholds) when the snapshot carries them. */
const alertsOf = (snap: QueueSnapshot, queues: readonly DerivedQueue[]): QueueAlert[] => (snap as Partial<QueueServiceSnapshot>).alerts ?? queueAlerts(queues);

export function queueDetail(snapshot: unknown, queues: readonly DerivedQueue[], item: string): KindDetail {
  const snap = snapshot as QueueSnapshot;
  const alerts = alertsOf(snap, queues);
  const it = parseItem(item);
  if (it?.type === 'queue') {
    const q = queues.find((x) => x.name === it.name);
    if (!q) return { title: `queue ${it.name}`, lines: [fact('', { text: `${it.name} is no longer watched`, token: 'warn' })], subject: it.name, alerts: [] };
    const what: Line = fact('queue', { text: q.name }, { text: ` · ${q.kind} on ${q.broker}${q.deadLetter ? ' · dead-letter queue' : ''}${q.discovered ? ' · discovered' : ''}`, token: 'muted' });
    return { title: `queue ${q.name}`, lines: [what, ...figureLines(q), ...consumerLines(q)], subject: q.name, alerts: alerts.filter((a) => a.queue === q.name) };
  }
  return { title: 'broker', lines: overviewLines(snap, queues), alerts };
}
