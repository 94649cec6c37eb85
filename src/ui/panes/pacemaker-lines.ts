// The body of one Pacemaker cluster's block: summary, nodes, resources,
// bans and cli-* constraints, failed actions. Pure.
import type { PacemakerBan, PacemakerNode, PacemakerNodeState, PacemakerResource, PacemakerSnapshot } from '../../probes/pacemaker-types.js';
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

const isDisabled = (r: PacemakerResource) => r.targetRole?.toLowerCase() === 'stopped';

/** crm_mon's flags after the role, in its order: (disabled, blocked, failure ignored). */
function resourceFlags(r: PacemakerResource): string[] {
  const flags: string[] = [];
  if (isDisabled(r)) flags.push('disabled');
  // crm_mon names a target role only where it holds a promotable clone back.
  else if (/^(unpromoted|slave)$/i.test(r.targetRole ?? '')) flags.push(`target-role:${r.targetRole}`);
  if (r.blocked) flags.push('blocked');
  else if (!r.managed) flags.push('unmanaged');
  if (r.failureIgnored) flags.push('failure ignored');
  return flags;
}

/** The state as crm_mon words it, e.g. 'ORPHANED Started', 'Stopped (disabled)'; ✖ marks a failed resource. */
export function resourceState(r: PacemakerResource): string {
  const flags = resourceFlags(r);
  return `${r.orphaned ? 'ORPHANED ' : ''}${r.failed ? '✖' : ''}${r.role}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
}

export function resourceToken(r: PacemakerResource): Token {
  if (r.failed || r.blocked) return 'crit';
  if (r.orphaned || r.failureIgnored || !r.managed) return 'warn';
  // Stopped on purpose (target-role=Stopped) is no trouble.
  if (r.role === 'Stopped') return isDisabled(r) ? 'muted' : 'warn';
  if (r.role === 'Unknown') return 'unknown';
  return r.role === 'Unpromoted' ? 'text' : 'ok';
}

const NODE_COLUMNS: ColumnDef<PacemakerNode, null>[] = [
  { id: 'name', title: 'NODE', width: 10, maxWidth: 20, cell: (nd) => ({ text: `${nd.name}${nd.isDc ? ' (DC)' : ''}` }) },
  { id: 'state', title: 'STATE', width: 11, cell: (nd) => ({ text: nd.state, token: NODE_STATE_TOKEN[nd.state] }) },
  { id: 'res', title: 'RES', width: 3, align: 'right', cell: (nd) => ({ text: String(nd.resourcesRunning) }) },
];

// Narrow enough for half an 80-column screen; the rest show when there is room.
// ROLE grows to its longest state, flags included, before NODE does.
const resourceColumns = (longestState: number): ColumnDef<PacemakerResource, null>[] => [
  { id: 'id', title: 'RESOURCE', width: 9, maxWidth: 20, cell: (r) => ({ text: r.id, token: r.failed ? 'crit' : undefined }) },
  { id: 'role', title: 'ROLE', width: 9, maxWidth: longestState, cell: (r) => ({ text: resourceState(r), token: resourceToken(r) }) },
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

/**
 * crm_mon's bans that no cli-ban constraint already shows, so each ban shows
 * once; crm_mon lists a ban with a lifetime by its rule's id.
 */
export function bansBesideConstraints(s: PacemakerSnapshot): PacemakerBan[] {
  const cli = s.constraints.kind === 'read' ? s.constraints.list : [];
  const shown = new Set(cli.flatMap((c) => (c.rule ? [c.id, c.rule] : [c.id])));
  return s.bans.filter((b) => !shown.has(b.id));
}

function placementLines(s: PacemakerSnapshot): Line[] {
  const lines: Line[] = [];
  const cli = s.constraints.kind === 'read' ? s.constraints.list : [];
  for (const c of cli) {
    const where = `${c.kind === 'ban' ? 'banned from' : 'moved to'} ${c.node ?? '?'}`;
    const extra = `${c.role ? ` role ${c.role}` : ''}${c.expires ? ` until ${c.expires}` : ''}`;
    lines.push(itemLine(itemId('resource', c.resource), [{ text: ` ${c.resource} ${where}${extra}`, token: 'warn' }, { text: ` (${c.id})`, token: 'muted' }]));
  }
  for (const b of bansBesideConstraints(s)) {
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
      itemLine(itemId('resource', f.resource), [{ text: ` ${f.opKey} on ${f.node}${f.ignored ? ' (failure ignored)' : ''}`, token: f.ignored ? 'warn' : 'crit' }]),
      [{ text: `   ${f.time ?? ''} ${f.exitStatus}${f.exitReason ? `: ${f.exitReason}` : ''}`, token: 'text' }],
    ]),
  ];
}

export function pacemakerLines(snapshot: unknown, ctx: BlockContext): Line[] {
  const s = snapshot as PacemakerSnapshot;
  return [
    ...summary(s),
    ...tableLines(NODE_COLUMNS, s.nodes, null, ctx.width, { itemOf: (nd) => itemId('node', nd.name) }),
    ...tableLines(resourceColumns(Math.max(0, ...s.resources.map((r) => resourceState(r).length))), s.resources, null, ctx.width, { itemOf: (r) => itemId('resource', r.id) }),
    ...placementLines(s),
    ...failureLines(s),
  ];
}
