// The etcd detail: the cluster (endpoint asked, exact ids, quorum, leader,
// alarms, failed etcdctl commands), then the selected member's full status;
// the cluster as a whole lists every member. Ids stay exact decimal strings.
import { tolerated } from '../../probes/etcd-alerts.js';
import type { EtcdMember, EtcdSnapshot } from '../../probes/etcd-types.js';
import { describeHolder } from '../../probes/lock-records.js';
import { formatBytes, MISSING } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, num, yesNo, type KindDetail } from './detail-lines.js';
import { memberKey, memberState } from './etcd-lines.js';
import { lockFact, NO_LOCKS, type ServiceLocks } from './lock-lines.js';
import { parseItem } from './service-items.js';

const memberName = (s: EtcdSnapshot, id: string): string => s.members.find((m) => m.id === id)?.name || id;

function clusterLines(s: EtcdSnapshot): Line[] {
  const q = s.quorum;
  return [
    fact('endpoint', { text: s.endpoint, token: 'muted' }),
    fact('cluster id', { text: s.clusterId ?? MISSING }),
    fact('quorum', { text: `${q.up}/${q.voters} voting members up, ${q.needed} needed`, token: q.ok ? 'ok' : 'crit' }, { text: ` · tolerates ${tolerated(q)} down`, token: 'muted' }),
    fact('leader', s.leaderId === null ? { text: 'NONE', token: 'crit' } : { text: memberName(s, s.leaderId), token: 'ok' }, { text: s.leaderId === null ? '' : ` (${s.leaderId}) · raft term ${num(s.raftTerm)}`, token: 'muted' }),
    ...(s.alarms === null
      ? [fact('alarms', { text: 'unknown (alarm list failed)', token: 'unknown' })]
      : s.alarms.length === 0
        ? [fact('alarms', { text: 'none', token: 'ok' })]
        : s.alarms.map((a) => fact('alarm', { text: a.alarm, token: 'crit' }, { text: ` on ${memberName(s, a.memberId)} (${a.memberId})`, token: 'muted' }))),
    ...s.problems.map((p) => fact('problem', { text: p, token: 'warn' })),
  ];
}

function memberLines(m: EtcdMember, s: EtcdSnapshot): Line[] {
  const alarms = (s.alarms ?? []).filter((a) => a.memberId === m.id);
  return [
    heading(`MEMBER ${m.name || '(not started)'}`),
    fact('id', { text: m.id ?? MISSING }),
    fact('state', memberState(m), { text: m.up && m.healthy === null ? ` (${m.healthNote ?? 'health not known this poll'})` : '', token: 'muted' }),
    fact('leader', m.leader ? { text: 'yes', token: 'ok' } : { text: 'no', token: 'muted' }, { text: ' · learner ', token: 'muted' }, yesNo(m.learner, true)),
    fact('client URL', { text: m.endpoint ?? MISSING, token: 'muted' }),
    fact('peer URLs', { text: m.peerUrls.join(', ') || MISSING, token: 'muted' }),
    fact('raft term', { text: num(m.raftTerm) }, { text: m.raftTerm !== null && s.raftTerm !== null && m.raftTerm < s.raftTerm ? ` (cluster is at ${s.raftTerm})` : '', token: 'warn' }),
    fact('raft index', { text: num(m.raftIndex) }, { text: ` · applied ${num(m.raftAppliedIndex)} · gap `, token: 'muted' }, { text: num(m.applyGap), token: m.applyGap ? 'warn' : 'muted' }),
    fact('db size', { text: formatBytes(m.dbSizeBytes) }, { text: ` · in use ${formatBytes(m.dbSizeInUseBytes)}`, token: 'muted' }),
    fact('version', { text: m.version ?? MISSING, token: 'muted' }),
    ...alarms.map((a) => fact('alarm', { text: a.alarm, token: 'crit' })),
    ...(m.errors.length === 0 ? [fact('errors', { text: 'none', token: 'ok' })] : m.errors.map((e) => fact('error', { text: e, token: 'crit' }))),
  ];
}

/** Every lock this etcd holds, for the cluster as a whole. */
function locksLines(s: EtcdSnapshot): Line[] {
  return s.locks.length === 0 ? [] : [heading(`LOCKS ${s.locks.length}`), ...s.locks.map((l) => fact('', { text: l.key }, { text: ` held by ${describeHolder(l.holder)}`, token: 'warn' }))];
}

function overviewLines(s: EtcdSnapshot): Line[] {
  return [
    heading('MEMBERS'),
    ...s.members.map((m) =>
      fact(
        m.name || '(not started)',
        memberState(m),
        { text: `${m.leader ? ' · leader' : ''}${m.learner ? ' · learner' : ''} · ${m.id ?? MISSING}`, token: 'muted' },
      ),
    ),
  ];
}

export function etcdDetail(snapshot: unknown, item: string, locks: ServiceLocks = NO_LOCKS): KindDetail {
  const s = snapshot as EtcdSnapshot;
  const it = parseItem(item);
  if (it?.type === 'member') {
    const m = s.members.find((x) => memberKey(x) === it.name);
    if (!m) return { title: `member ${it.name}`, lines: [...clusterLines(s), fact('', { text: `member ${it.name} is no longer listed`, token: 'warn' })], subject: it.name };
    // Alerts and events name a member by its name, else by its client URL.
    return { title: `member ${m.name || it.name}`, lines: [...clusterLines(s), ...memberLines(m, s), ...lockFact(locks.holders, `etcd:${locks.serviceKey}:member:${m.name}`)], subject: m.name || m.endpoint || it.name };
  }
  return { title: 'cluster', lines: [...clusterLines(s), ...overviewLines(s), ...locksLines(s)] };
}
