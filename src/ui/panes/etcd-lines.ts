// The body of one etcd cluster's block: quorum, leader, one row per member
// with raft progress and db size, members' errors, alarms. Pure.
import { tolerated } from '../../probes/etcd-alerts.js';
import type { EtcdMember, EtcdSnapshot } from '../../probes/etcd-types.js';
import { describeHolder, type LockRecord } from '../../probes/lock-records.js';
import { formatBytes, MISSING } from '../format.js';
import { itemLine, type Line, type Part } from '../widgets/styled-lines.js';
import type { ColumnDef } from '../widgets/table.js';
import { tableLines } from '../widgets/table-lines.js';
import type { BlockContext } from './service-block.js';
import { itemId, SERVICE_ITEM } from './service-items.js';

const n = (v: number | null): string => (v === null ? MISSING : String(v));

/** A member's item: its exact id, else its name (a member listed by name only). */
export const memberKey = (m: EtcdMember): string => m.id ?? m.name;
const memberItem = (m: EtcdMember): string => itemId('member', memberKey(m));

/**
 * Down (no answer), up but failing its health check, healthy, a learner (up;
 * it serves no health read), or up with health unknown this poll.
 */
export function memberState(m: EtcdMember): Part {
  if (m.up === false) return { text: 'DOWN', token: 'crit' };
  if (m.up === null) return { text: MISSING, token: 'unknown' };
  if (m.healthy === false) return { text: 'UNHEALTHY', token: 'crit' };
  if (m.healthy === null && m.healthNote !== null) return { text: 'learner', token: 'ok' };
  return m.healthy ? { text: 'ok', token: 'ok' } : { text: 'up', token: 'unknown' };
}

const MEMBER_COLUMNS: ColumnDef<EtcdMember, null>[] = [
  { id: 'leader', title: 'L', width: 1, cell: (m) => (m.leader ? { text: '★', token: 'ok' } : { text: '' }) },
  { id: 'name', title: 'MEMBER', width: 8, maxWidth: 20, cell: (m) => ({ text: m.name || m.id || '?', token: m.errors.length > 0 ? 'crit' : undefined }) },
  { id: 'state', title: 'STATE', width: 9, cell: (m) => memberState(m) },
  { id: 'term', title: 'TERM', width: 4, align: 'right', cell: (m) => ({ text: n(m.raftTerm) }) },
  { id: 'gap', title: 'GAP', width: 4, align: 'right', cell: (m) => ({ text: n(m.applyGap), token: m.applyGap ? 'warn' : 'muted' }) },
  { id: 'db', title: 'DB/USE', width: 9, align: 'right', cell: (m) => ({ text: `${formatBytes(m.dbSizeBytes)}/${formatBytes(m.dbSizeInUseBytes)}` }) },
  { id: 'learner', title: 'LRN', width: 3, cell: (m) => ({ text: m.learner ? 'yes' : '', token: 'muted' }) },
  { id: 'index', title: 'INDEX', width: 7, align: 'right', cell: (m) => ({ text: n(m.raftIndex), token: 'muted' }) },
  { id: 'applied', title: 'APPLIED', width: 7, align: 'right', cell: (m) => ({ text: n(m.raftAppliedIndex), token: 'muted' }) },
  { id: 'version', title: 'VER', width: 6, cell: (m) => ({ text: m.version ?? MISSING, token: 'muted' }) },
];

/** How many operator locks this etcd holds and the newest one's holder; nothing when none is held. */
function locksLine(s: EtcdSnapshot): Line[] {
  const newest = s.locks.reduce<LockRecord | undefined>((a, l) => (a && a.holder.since >= l.holder.since ? a : l), undefined);
  if (!newest) return [];
  return [
    itemLine(SERVICE_ITEM, [
      { text: ' locks ', token: 'muted' },
      { text: `${s.locks.length} held`, token: 'warn' },
      { text: ` · newest ${newest.key} held by ${describeHolder(newest.holder)}`, token: 'muted' },
    ]),
  ];
}

export function etcdLines(snapshot: unknown, ctx: BlockContext): Line[] {
  const s = snapshot as EtcdSnapshot;
  const q = s.quorum;
  const leader = s.members.find((m) => m.leader);
  const head: Line[] = [
    itemLine(SERVICE_ITEM, [
      { text: ' quorum ', token: 'muted' },
      { text: `${q.up}/${q.voters} up, need ${q.needed}`, token: q.ok ? 'ok' : 'crit' },
      { text: ` · tolerates ${tolerated(q)} down`, token: q.voters % 2 === 0 ? 'warn' : 'muted' },
    ]),
    itemLine(leader ? memberItem(leader) : SERVICE_ITEM, [
      { text: ' leader ', token: 'muted' },
      s.leaderId === null ? { text: 'NONE', token: 'crit' } : { text: leader?.name || s.leaderId, token: leader?.up === false ? 'crit' : 'ok' },
      { text: ` term ${n(s.raftTerm)}`, token: 'muted' },
      ...(leader?.up === false ? [{ text: ' DOWN: the others have yet to elect a new one', token: 'crit' as const }] : []),
    ]),
    ...locksLine(s),
  ];
  const errors = s.members.flatMap((m) => m.errors.map((e): Line => itemLine(memberItem(m), [{ text: ` ${m.name || m.id || '?'}: ${e}`, token: 'crit' }])));
  const alarms: Line[] =
    s.alarms === null
      ? [itemLine(SERVICE_ITEM, [{ text: ' alarms: unknown (alarm list failed)', token: 'unknown' }])]
      : s.alarms.map((a): Line => itemLine(itemId('member', a.memberId), [{ text: ` ALARM ${a.alarm} on ${s.members.find((m) => m.id === a.memberId)?.name || a.memberId}`, token: 'crit' }]));
  const problems = s.problems.map((p): Line => itemLine(SERVICE_ITEM, [{ text: ` ${p}`, token: 'warn' }]));
  return [...head, ...tableLines(MEMBER_COLUMNS, s.members, null, ctx.width, { itemOf: memberItem }), ...errors, ...alarms, ...problems];
}
