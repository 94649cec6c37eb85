// What an operator must notice in etcd: alerts on one snapshot, events
// between two. Pure, so the HA pane, --once and tests share them.
import type { Severity } from './severity.js';
import type { EtcdAlarm, EtcdMember, EtcdQuorum, EtcdSnapshot } from './etcd-types.js';

export interface EtcdNotice {
  severity: Severity;
  message: string;
  /** The client URL of the member the notice is about. */
  member?: string;
  brief?: string;
}

/** How many voting members may be down before quorum is lost. */
export const tolerated = (q: EtcdQuorum): number => Math.max(0, q.voters - q.needed);

/** NOSPACE makes etcd refuse every write until space is freed and the alarm disarmed. */
const alarmSeverity = (a: EtcdAlarm): Severity => (a.alarm === 'NOSPACE' ? 'crit' : 'warn');
const memberKey = (m: EtcdMember) => m.id ?? m.endpoint ?? '';
const alarmKey = (a: EtcdAlarm) => `${a.memberId}/${a.alarm}`;

function memberName(s: EtcdSnapshot, id: string): string {
  const m = s.members.find((x) => x.id === id);
  return m?.name || m?.endpoint || `member ${id}`;
}

function label(m: EtcdMember): string {
  return m.name && m.endpoint ? `${m.name} (${m.endpoint})` : m.name || m.endpoint || `member ${m.id ?? '?'}`;
}

export function etcdAlerts(snapshot: EtcdSnapshot): EtcdNotice[] {
  const alerts: EtcdNotice[] = [];
  const { quorum } = snapshot;
  if (snapshot.leaderId === null) alerts.push({ severity: 'crit', message: 'etcd has no leader: writes and linearizable reads fail', brief: 'no leader' });
  const leader = snapshot.members.find((m) => m.leader);
  if (leader?.up === false) alerts.push({ severity: 'crit', message: `etcd leader ${label(leader)} is down: writes wait until the others elect a new one`, brief: `leader ${leader.name || 'member'} down` });
  if (!quorum.ok) alerts.push({ severity: 'crit', message: `etcd quorum lost: ${quorum.up} of ${quorum.voters} voting members up, ${quorum.needed} needed`, brief: 'quorum lost' });
  if (quorum.voters > 0 && quorum.voters % 2 === 0) {
    const odd = quorum.voters - 1;
    alerts.push({
      severity: 'warn',
      message: `etcd has ${quorum.voters} voting members: it needs ${quorum.needed} and tolerates ${tolerated(quorum)} down, no more than ${odd} members would; keep an odd count`,
    });
  }
  for (const a of snapshot.alarms ?? []) {
    alerts.push({ severity: alarmSeverity(a), message: `etcd alarm ${a.alarm} on ${memberName(snapshot, a.memberId)}` });
  }
  const why = (m: EtcdMember) => (m.errors.length ? `: ${m.errors.join('; ')}` : '');
  for (const m of snapshot.members.filter((x) => x.up === false)) {
    alerts.push({ severity: 'warn', message: `etcd member ${label(m)} is down${why(m)}`, brief: `${m.name || 'member'} down` });
  }
  for (const m of snapshot.members.filter((x) => x.up === true && x.healthy === false)) {
    alerts.push({ severity: 'warn', message: `etcd member ${label(m)} fails its health check${why(m)}` });
  }
  return alerts;
}

function leaderEvent(previous: EtcdSnapshot, current: EtcdSnapshot): EtcdNotice[] {
  const was = previous.leaderId;
  const now = current.leaderId;
  if (was === now) return [];
  const term = current.raftTerm === null ? '' : ` (raft term ${current.raftTerm})`;
  if (now === null) return [{ severity: 'crit', message: `etcd lost its leader (was ${memberName(previous, was ?? '')})` }];
  if (was === null) return [{ severity: 'info', message: `etcd elected a leader: ${memberName(current, now)}${term}` }];
  return [{ severity: 'warn', message: `etcd leader changed: ${memberName(previous, was)} -> ${memberName(current, now)}${term}` }];
}

export function etcdEvents(previous: EtcdSnapshot | undefined, current: EtcdSnapshot): EtcdNotice[] {
  if (!previous) return [];
  const events = leaderEvent(previous, current);
  if (previous.quorum.ok && !current.quorum.ok) events.push({ severity: 'crit', message: 'etcd lost quorum' });
  if (!previous.quorum.ok && current.quorum.ok) events.push({ severity: 'info', message: 'etcd regained quorum' });
  const before = new Map(previous.members.map((m) => [memberKey(m), m]));
  for (const m of current.members) {
    const old = before.get(memberKey(m));
    if (!old) continue;
    const about = m.endpoint ?? undefined;
    const event = (severity: Severity, what: string) => events.push({ severity, message: `etcd member ${label(m)} ${what}`, ...(about && { member: about }) });
    if (old.up === true && m.up === false) event('warn', 'went down');
    else if (old.up === false && m.up === true) event('info', 'is back up');
    else if (old.up && m.up && old.healthy === true && m.healthy === false) event('warn', 'fails its health check');
    else if (old.up && m.up && old.healthy === false && m.healthy === true) event('info', 'passes its health check again');
  }
  // A failed `alarm list` (null) says nothing about alarms: no event either way.
  if (previous.alarms && current.alarms) {
    const had = new Set(previous.alarms.map(alarmKey));
    const has = new Set(current.alarms.map(alarmKey));
    for (const a of current.alarms.filter((x) => !had.has(alarmKey(x)))) {
      events.push({ severity: alarmSeverity(a), message: `etcd alarm ${a.alarm} raised on ${memberName(current, a.memberId)}` });
    }
    for (const a of previous.alarms.filter((x) => !has.has(alarmKey(x)))) {
      events.push({ severity: 'info', message: `etcd alarm ${a.alarm} cleared on ${memberName(previous, a.memberId)}` });
    }
  }
  return events;
}
