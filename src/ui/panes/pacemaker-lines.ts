// The body of one Pacemaker cluster's block: summary, nodes, resources,
// bans and cli-* constraints, failed actions. Pure.
import type { PacemakerNode, PacemakerNodeState, PacemakerResource, PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import { MISSING } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line, type Part } from '../widgets/styled-lines.js';
import type { ColumnDef } from '../widgets/table.js';
import { tableLines } from '../widgets/table-lines.js';
import type { BlockContext } from './service-block.js';
import { itemId, SERVICE_ITEM } from './service-items.js';

export const NODE_STATE_TOKEN: Record<PacemakerNodeState, Token> = {
  online: 'ok',
  standby: 'warn',
  maintenance: 'warn',
  pending: 'unknown',
  offline: 'crit',
  unclean: 'crit',
};

/** Pacemaker's INFINITY (1000000) as the operator reads it. */
export const pacemakerCount = (v: number | null): string => (v === null ? MISSING : v >= 1_000_000 ? '∞' : String(v));

export function resourceToken(r: PacemakerResource): Token {
  if (r.failed || r.blocked) return 'crit';
  if (!r.managed || r.role === 'Stopped') return 'warn';
  if (r.role === 'Unknown') return 'unknown';
  return r.role === 'Unpromoted' ? 'text' : 'ok';
}

const NODE_COLUMNS: ColumnDef<PacemakerNode, null>[] = [
  { id: 'name', title: 'NODE', width: 10, maxWidth: 20, cell: (nd) => ({ text: `${nd.name}${nd.isDc ? ' (DC)' : ''}` }) },
  { id: 'state', title: 'STATE', width: 11, cell: (nd) => ({ text: nd.state, token: NODE_STATE_TOKEN[nd.state] }) },
  { id: 'res', title: 'RES', width: 3, align: 'right', cell: (nd) => ({ text: String(nd.resourcesRunning) }) },
];

// Narrow enough for half an 80-column screen; the rest show when there is room.
const RESOURCE_COLUMNS: ColumnDef<PacemakerResource, null>[] = [
  { id: 'id', title: 'RESOURCE', width: 9, maxWidth: 24, cell: (r) => ({ text: r.id, token: r.failed ? 'crit' : undefined }) },
  { id: 'role', title: 'ROLE', width: 9, cell: (r) => ({ text: `${r.failed ? '✖' : ''}${r.role}`, token: resourceToken(r) }) },
  { id: 'node', title: 'NODE', width: 6, maxWidth: 20, cell: (r) => ({ text: r.nodes.join(',') || MISSING }) },
  {
    id: 'fails',
    title: 'FAIL/THR',
    width: 8,
    align: 'right',
    cell: (r) => {
      const worst = Math.max(0, ...r.failCounts.map((f) => f.count));
      // At the threshold the resource is already banned from that node.
      const token: Token = worst === 0 ? 'muted' : r.migrationThreshold !== null && worst >= r.migrationThreshold ? 'crit' : 'warn';
      return { text: `${worst}/${pacemakerCount(r.migrationThreshold)}`, token };
    },
  },
  { id: 'managed', title: 'MGD', width: 3, cell: (r) => (r.managed ? { text: 'yes', token: 'muted' } : { text: 'NO', token: 'warn' }) },
  { id: 'in', title: 'IN', width: 8, maxWidth: 20, cell: (r) => ({ text: r.clone ?? r.group ?? '', token: 'muted' }) },
];

/** Two short lines rather than one long one: the pane is often half the screen wide. */
function summary(s: PacemakerSnapshot): Line[] {
  const flag = (label: string, bad: boolean, value: string, badToken: Token = 'warn'): Part[] => [
    { text: ` ${label} `, token: 'muted' },
    { text: value, token: bad ? badToken : 'ok' },
  ];
  return [
    itemLine(SERVICE_ITEM, [
      ...flag('quorum', !s.withQuorum, s.withQuorum ? 'yes' : 'NO', 'crit'),
      ...flag('DC', !s.dc.present, s.dc.present ? `${s.dc.name ?? '?'}` : 'NONE', 'crit'),
      { text: ` ${s.stack ?? ''}${s.dc.version ? ` ${s.dc.version}` : ''}`, token: 'muted' },
    ]),
    itemLine(SERVICE_ITEM, [...flag('maintenance', s.maintenanceMode, s.maintenanceMode ? 'ON' : 'off'), ...flag('stonith', !s.stonithEnabled, s.stonithEnabled ? 'on' : 'OFF')]),
  ];
}

function placementLines(s: PacemakerSnapshot): Line[] {
  const lines: Line[] = [];
  const cli = s.constraints.kind === 'read' ? s.constraints.list : [];
  for (const c of cli) {
    const where = `${c.kind === 'ban' ? 'banned from' : 'moved to'} ${c.node ?? '?'}`;
    const extra = `${c.role ? ` role ${c.role}` : ''}${c.expires ? ` until ${c.expires}` : ''}`;
    lines.push(itemLine(itemId('resource', c.resource), [{ text: ` ${c.resource} ${where}${extra}`, token: 'warn' }, { text: ` (${c.id})`, token: 'muted' }]));
  }
  // crm_mon lists cli-ban constraints as bans too: each shows once.
  const seen = new Set(cli.map((c) => c.id));
  for (const b of s.bans.filter((x) => !seen.has(x.id))) {
    lines.push(itemLine(itemId('resource', b.resource), [{ text: ` ${b.resource} banned from ${b.node}${b.promotedOnly ? ' (promoted)' : ''}`, token: 'warn' }, { text: ` (${b.id})`, token: 'muted' }]));
  }
  if (s.constraints.kind === 'unavailable') lines.push(itemLine(SERVICE_ITEM, [{ text: ` constraints: ${s.constraints.message}`, token: 'muted' }]));
  return lines.length > 0 ? [[{ text: ' BANS / MOVES', token: 'muted' }], ...lines] : [];
}

function failureLines(s: PacemakerSnapshot): Line[] {
  if (s.failures.length === 0) return [];
  return [
    [{ text: ' FAILED ACTIONS', token: 'muted' }],
    ...s.failures.flatMap((f): Line[] => [
      itemLine(itemId('resource', f.resource), [{ text: ` ${f.opKey} on ${f.node}`, token: 'crit' }]),
      [{ text: `   ${f.time ?? ''} ${f.exitStatus}${f.exitReason ? `: ${f.exitReason}` : ''}`, token: 'text' }],
    ]),
  ];
}

export function pacemakerLines(snapshot: unknown, ctx: BlockContext): Line[] {
  const s = snapshot as PacemakerSnapshot;
  return [
    ...summary(s),
    ...tableLines(NODE_COLUMNS, s.nodes, null, ctx.width, { itemOf: (nd) => itemId('node', nd.name) }),
    ...tableLines(RESOURCE_COLUMNS, s.resources, null, ctx.width, { itemOf: (r) => itemId('resource', r.id) }),
    ...placementLines(s),
    ...failureLines(s),
  ];
}
