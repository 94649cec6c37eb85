// The body of one LB's block: frontends (sessions/limit, rate), then each
// backend followed by its servers with state, weight, sessions, checks and
// downtime. Pure.
import type { HaproxyBackend, HaproxyProxy, HaproxyServer, HaproxySnapshot, HaproxyState, HaproxyStatusFields } from '../../probes/haproxy.js';
import { formatDuration, MISSING } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line } from '../widgets/styled-lines.js';
import type { ColumnDef } from '../widgets/table.js';
import { tableLines } from '../widgets/table-lines.js';
import type { BlockContext } from './service-block.js';
import { itemId, SERVICE_ITEM } from './service-items.js';

const STATE_TOKEN: Record<HaproxyState, Token> = {
  up: 'ok',
  open: 'ok',
  'no-check': 'text',
  drain: 'warn',
  nolb: 'warn',
  full: 'warn',
  paused: 'warn',
  waiting: 'warn',
  down: 'crit',
  maint: 'muted',
  stopped: 'muted',
  unknown: 'unknown',
};

/** A status between states (`UP 2/3`, `DOWN 1/2`) is a warning whatever the state. */
export const haproxyStatusToken = (p: HaproxyStatusFields): Token => (p.transition ? 'warn' : STATE_TOKEN[p.state]);

const n = (v: number | null): string => (v === null ? MISSING : String(v));

type Row = { type: 'backend'; b: HaproxyBackend } | { type: 'server'; s: HaproxyServer };
const rowItem = (r: Row): string => (r.type === 'backend' ? itemId('backend', r.b.name) : itemId('server', `${r.s.backend}/${r.s.name}`));
const item = (r: Row): HaproxyProxy | HaproxyServer => (r.type === 'backend' ? r.b : r.s);
const server = (r: Row, f: (s: HaproxyServer) => string, token?: Token) => (r.type === 'server' ? { text: f(r.s), token } : { text: '' });

const FRONTEND_COLUMNS: ColumnDef<HaproxyProxy, null>[] = [
  { id: 'name', title: 'FRONTEND', width: 10, maxWidth: 24, cell: (p) => ({ text: p.name }) },
  { id: 'status', title: 'STATUS', width: 6, cell: (p) => ({ text: p.statusText, token: haproxyStatusToken(p) }) },
  { id: 'sess', title: 'SESS/LIM', width: 11, align: 'right', cell: (p) => ({ text: `${n(p.sessions)}/${n(p.sessionLimit)}` }) },
  { id: 'rate', title: 'RATE', width: 5, align: 'right', cell: (p) => ({ text: n(p.rate) }) },
  { id: 'max', title: 'MAX', width: 5, align: 'right', cell: (p) => ({ text: n(p.sessionsMax), token: 'muted' }) },
  { id: 'req', title: 'REQ/s', width: 5, align: 'right', cell: (p) => ({ text: n(p.requestRate) }) },
];

// Ordered by what matters in an incident: columns that do not fit drop from the end.
// STATUS fits `DRAIN (agent)` and `MAINT (via` whole.
const SERVER_COLUMNS: ColumnDef<Row, null>[] = [
  { id: 'name', title: 'BACKEND/SERVER', width: 12, maxWidth: 24, cell: (r) => (r.type === 'backend' ? { text: r.b.name, token: 'focus' } : { text: ` ${r.s.name}` }) },
  { id: 'status', title: 'STATUS', width: 13, maxWidth: 24, cell: (r) => ({ text: item(r).statusText, token: haproxyStatusToken(item(r)) }) },
  { id: 'cur', title: 'CUR', width: 4, align: 'right', cell: (r) => ({ text: n(item(r).sessions) }) },
  { id: 'rate', title: 'RATE', width: 4, align: 'right', cell: (r) => ({ text: n(item(r).rate) }) },
  { id: 'check', title: 'CHECK', width: 7, cell: (r) => server(r, (s) => s.checkStatus ?? MISSING, 'muted') },
  { id: 'bck', title: 'B', width: 1, cell: (r) => server(r, (s) => (s.backup ? 'B' : ''), 'muted') },
  { id: 'weight', title: 'W', width: 3, align: 'right', cell: (r) => server(r, (s) => n(s.weight)) },
  { id: 'max', title: 'MAX', width: 4, align: 'right', cell: (r) => ({ text: n(item(r).sessionsMax), token: 'muted' }) },
  { id: 'lim', title: 'LIM', width: 5, align: 'right', cell: (r) => ({ text: n(item(r).sessionLimit), token: 'muted' }) },
  { id: 'chkms', title: 'CHKms', width: 5, align: 'right', cell: (r) => server(r, (s) => n(s.checkDurationMs), 'muted') },
  { id: 'lastchg', title: 'CHANGED', width: 7, align: 'right', cell: (r) => server(r, (s) => formatDuration(s.lastChangeSeconds)) },
  { id: 'down', title: 'DOWN', width: 6, align: 'right', cell: (r) => server(r, (s) => (s.downtimeSeconds ? formatDuration(s.downtimeSeconds) : MISSING), r.type === 'server' && r.s.downtimeSeconds ? 'warn' : 'muted') },
];

export function haproxyLines(snapshot: unknown, ctx: BlockContext): Line[] {
  const s = snapshot as HaproxySnapshot;
  const rows: Row[] = s.backends.flatMap((b) => [{ type: 'backend', b } as Row, ...b.servers.map((sv): Row => ({ type: 'server', s: sv }))]);
  const version = itemLine(SERVICE_ITEM, [{ text: ` HAProxy ${s.version ?? '?'} · up ${formatDuration(s.uptimeSeconds)}`, token: 'muted' }]);
  const gaps = s.unknownStatuses.map((g): Line => itemLine(SERVICE_ITEM, [{ text: ` status ${JSON.stringify(g.status)} not understood by baton: ${g.seenOn.join(', ')}`, token: 'warn' }]));
  return [
    version,
    ...tableLines(FRONTEND_COLUMNS, s.frontends, null, ctx.width, { itemOf: (p) => itemId('frontend', p.name) }),
    ...tableLines(SERVER_COLUMNS, rows, null, ctx.width, { itemOf: rowItem }),
    ...gaps,
  ];
}
