// The body of one broker's block: one row per queue with depth, backlog,
// consumers, rates, trend, time to drain, oldest age and a depth sparkline,
// marked where an alert is raised. Pure: derived queues come in.
import { queueAlerts, type QueueAlert } from '../../probes/queues/queue-alerts.js';
import type { DerivedQueue, RateBasis } from '../../probes/queues/queue-trends.js';
import type { QueueSnapshot } from '../../probes/queues/queue-types.js';
import { formatAge, formatDuration, formatRate, MISSING } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line } from '../widgets/styled-lines.js';
import { sparkline } from '../widgets/sparkline.js';
import type { ColumnDef } from '../widgets/table.js';
import { tableLines } from '../widgets/table-lines.js';
import type { BlockContext } from './service-block.js';
import { SEVERITY_TOKEN } from './service-block.js';
import { itemId, SERVICE_ITEM } from './service-items.js';

interface QueueRowContext {
  broker: string;
  alerts: ReadonlyMap<string, QueueAlert>;
}

const SPARK_WIDTH = 8;
const n = (v: number | null | undefined): string => (v === null || v === undefined ? MISSING : String(v));

/** '≥' a lower bound (lists), '~' an estimate: the operator sees which figures are measured. */
export function rate(v: number | null, basis: RateBasis | null): string {
  if (v === null) return MISSING;
  const prefix = basis === 'lower-bound' ? '≥' : basis === 'estimated' ? '~' : '';
  return `${prefix}${formatRate(v)}`;
}

export function trend(q: DerivedQueue): { text: string; token?: Token } {
  if (q.trend === null) return { text: MISSING, token: 'muted' };
  if (q.drain === 'flat' || q.drain === 'empty') return { text: 'flat', token: 'muted' };
  const v = Math.abs(q.trend) < 10 ? q.trend.toFixed(1) : Math.round(q.trend).toString();
  return { text: `${q.trend > 0 ? '+' : ''}${v}/s`, token: q.trend > 0 ? 'warn' : 'ok' };
}

export function drain(q: DerivedQueue): { text: string; token?: Token } {
  if (q.drain === 'growing') return { text: 'growing', token: 'warn' };
  if (q.drain === 'draining') return { text: formatDuration(q.timeToDrainSeconds), token: 'ok' };
  if (q.drain === 'empty') return { text: 'empty', token: 'muted' };
  return { text: q.drain === 'flat' ? 'flat' : MISSING, token: 'muted' };
}

const COLUMNS: ColumnDef<DerivedQueue, QueueRowContext>[] = [
  {
    id: 'alert',
    title: '!',
    width: 1,
    cell: (q, c) => {
      const a = c.alerts.get(q.name);
      return a ? { text: '▲', token: SEVERITY_TOKEN[a.severity] } : { text: '' };
    },
  },
  { id: 'name', title: 'QUEUE', width: 10, maxWidth: 24, cell: (q) => ({ text: `${q.name}${q.deadLetter ? ' (dlq)' : ''}`, token: q.error ? 'crit' : undefined }) },
  { id: 'depth', title: 'DEPTH', width: 6, align: 'right', cell: (q, c) => ({ text: q.error && q.depth === null ? 'ERR' : n(q.depth), token: c.alerts.has(q.name) ? SEVERITY_TOKEN[c.alerts.get(q.name)!.severity] : undefined }) },
  { id: 'spark', title: 'HISTORY', width: SPARK_WIDTH, cell: (q) => ({ text: sparkline(q.depthHistory, SPARK_WIDTH), token: 'focus' }) },
  // Streams: pending/lag; RabbitMQ queues: ready/unacked (the README says which is which).
  {
    id: 'backlog',
    title: 'PEND/LAG',
    width: 8,
    align: 'right',
    cell: (q) => ({ text: q.kind === 'stream' ? `${n(q.pending)}/${n(q.lag)}` : q.kind === 'queue' ? `${n(q.ready)}/${n(q.unacked)}` : MISSING, token: 'muted' }),
  },
  { id: 'consumers', title: 'CONS', width: 4, align: 'right', cell: (q) => ({ text: n(q.consumers), token: q.consumers === 0 ? 'warn' : undefined }) },
  { id: 'in', title: 'IN/s', width: 5, align: 'right', cell: (q) => ({ text: rate(q.inRate, q.inRateBasis) }) },
  { id: 'out', title: 'OUT/s', width: 5, align: 'right', cell: (q) => ({ text: rate(q.outRate, q.outRateBasis) }) },
  { id: 'drain', title: 'DRAIN', width: 7, align: 'right', cell: drain },
  { id: 'trend', title: 'TREND', width: 6, align: 'right', cell: trend },
  { id: 'oldest', title: 'OLDEST', width: 6, align: 'right', cell: (q) => ({ text: q.oldestAgeMs === null ? MISSING : formatAge(q.oldestAgeMs) }) },
  { id: 'broker', title: 'BROKER', width: 8, maxWidth: 20, cell: (q, c) => ({ text: `${q.broker}@${c.broker}`, token: 'muted' }) },
];

export function queueLines(snapshot: QueueSnapshot, queues: readonly DerivedQueue[], broker: string, ctx: BlockContext): Line[] {
  const alerts = new Map<string, QueueAlert>();
  // The worst alert of each queue marks its row.
  for (const a of queueAlerts(queues)) if (alerts.get(a.queue)?.severity !== 'crit') alerts.set(a.queue, a);
  const lines: Line[] = [];
  if (snapshot.error) lines.push(itemLine(SERVICE_ITEM, [{ text: ` ${snapshot.error}`, token: 'crit' }]));
  lines.push(...tableLines(COLUMNS, queues, { broker, alerts }, ctx.width, { itemOf: (q) => itemId('queue', q.name) }));
  for (const q of queues.filter((x) => x.error)) lines.push(itemLine(itemId('queue', q.name), [{ text: ` ${q.name}: ${q.error}`, token: 'crit' }]));
  const d = snapshot.discovery;
  if (d && d.outcome !== 'complete') lines.push(itemLine(SERVICE_ITEM, [{ text: ` discovery ${d.outcome}${d.message ? `: ${d.message}` : ''}`, token: 'warn' }]));
  return lines;
}
