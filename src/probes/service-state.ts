// A baton service state as a health check (a sync set's `health:
// { haproxy: ... }` or `{ etcd: healthy }`): the command that reads it on
// the host and the verdict on what it printed, read by the probe's own
// parser. After a reload the HAProxy answering must have started since the
// reload (its `show info` uptime against the time the reload step stamped
// on the host), so the old process, still serving while the new one
// starts, cannot pass for it. Pure.
import { quote } from 'shell-quote';
import type { HaproxyUpCheck, HostRoles } from '../inventory/types.js';
import { etcdProbeCommand, parseEtcdProbe, type EtcdSnapshot } from './etcd.js';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxyServer } from './haproxy.js';
import { MARK, RAW_LIMIT } from './probe-output.js';

export type { HaproxyUpCheck } from '../inventory/types.js';

/** What a `poll` step asks of the host's service. */
export type ServiceStatePoll =
  | {
      haproxy: HaproxyUpCheck;
      /** The host file the reload step wrote its time into (`date +%s`); absent: no reload to wait for. */
      reloadStamp?: string;
    }
  | { etcd: 'healthy' };

/** The role a health check reads its service through; the planner refuses a target without it. */
export const serviceRoleOf = (health: { etcd?: 'healthy' }): 'haproxy' | 'etcd' => (health.etcd ? 'etcd' : 'haproxy');

export interface ServiceVerdict {
  ok: boolean;
  /** What was seen: the servers counted, or why the state could not be read. */
  detail: string;
}

const CLOCK = `${MARK}clock`;

/** etcd: the probe's command; HAProxy: the host's clock and the reload stamp, then the probe's. */
export function serviceStateCommand(poll: ServiceStatePoll, roles: HostRoles): string {
  if ('etcd' in poll) return etcdProbeCommand(roles.etcd!);
  const stamp = poll.reloadStamp ? `bt_r=$(cat ${quote([poll.reloadStamp])} 2>/dev/null)` : 'bt_r=';
  return `${stamp}; echo "${CLOCK} $(date +%s) $bt_r"\n${haproxyProbeCommand(roles.haproxy!)}`;
}

/** etcd healthy: a leader, every voting member serving reads (endpoint health), no alarm. */
export function etcdHealthyVerdict(s: EtcdSnapshot): ServiceVerdict {
  const voters = s.members.filter((m) => !m.learner);
  if (voters.length === 0) return { ok: false, detail: `no voting member known: ${s.problems[0] ?? 'empty member list'}` };
  const sick = voters.filter((m) => m.healthy !== true);
  const leader = s.members.find((m) => m.id !== null && m.id === s.leaderId);
  const problems = [
    ...(s.leaderId === null ? ['no leader'] : []),
    ...sick.map((m) => `${m.name || m.id || '?'} ${m.up === false ? 'down' : 'not healthy'}${m.errors.length ? ` (${m.errors[0]})` : ''}`),
    ...(s.alarms === null ? ['alarms unknown'] : s.alarms.map((a) => `alarm ${a.alarm} on ${a.memberId}`)),
  ];
  const counted = `${voters.length - sick.length} of ${voters.length} voting members healthy`;
  return problems.length === 0 ? { ok: true, detail: `${counted}, leader ${leader?.name || s.leaderId}` } : { ok: false, detail: `${counted}; ${problems.join(', ')}` };
}

function describe(s: HaproxyServer): string {
  const check = s.checkStatus ? ` (${s.checkStatus})` : '';
  return `${s.backend}/${s.name} ${s.statusText || '(no status)'}${check}`;
}

/** UP as HAProxy's own checks last said: `UP`, not `UP 1/3` (failing checks) nor `no check` (never checked). */
const isUp = (s: HaproxyServer) => s.state === 'up' && s.transition === null;

/** The HAProxy servers in scope and how many are UP, against the check. */
export function haproxyUpVerdict(servers: readonly HaproxyServer[], backends: readonly string[], check: HaproxyUpCheck): ServiceVerdict {
  if (check.backend !== undefined && !backends.includes(check.backend)) {
    return { ok: false, detail: `no backend "${check.backend}" (backends: ${backends.join(', ') || 'none'})` };
  }
  const scope = servers.filter((s) => check.backend === undefined || s.backend === check.backend);
  const where = check.backend === undefined ? 'servers' : `servers of ${check.backend}`;
  if (scope.length === 0) return { ok: false, detail: `no ${where}` };
  const up = scope.filter(isUp);
  const notUp = scope.filter((s) => !isUp(s));
  const want = check.up === 'all' ? scope.length : check.up;
  const counted = `${up.length} of ${scope.length} ${where} UP`;
  if (up.length >= want) return { ok: true, detail: notUp.length ? `${counted} (want ${want}); not UP: ${notUp.map(describe).join(', ')}` : counted };
  return { ok: false, detail: `${counted}, want ${check.up === 'all' ? 'all' : want}; not UP: ${notUp.map(describe).join(', ')}` };
}

function clockLine(output: string): { now: number; reloadedAt: number | null } | null {
  const line = output.split('\n').find((l) => l.startsWith(CLOCK));
  const m = line && /^\S+ (\d+) ?(\d*)\s*$/.exec(line);
  return m ? { now: Number(m[1]), reloadedAt: m[2] ? Number(m[2]) : null } : null;
}

/** The verdict on one reading; never throws (a bad reading is a failed one, with what it said). */
export function serviceStateVerdict(poll: ServiceStatePoll, output: string): ServiceVerdict {
  if ('etcd' in poll) {
    const etcd = parseEtcdProbe(output);
    return etcd.kind === 'parse-error' ? { ok: false, detail: `${etcd.message}${etcd.raw ? `: ${etcd.raw.slice(0, RAW_LIMIT)}` : ''}` } : etcdHealthyVerdict(etcd.snapshot);
  }
  const probe = parseHaproxyProbe(output);
  if (probe.kind === 'parse-error') return { ok: false, detail: `${probe.message}${probe.raw ? `: ${probe.raw.slice(0, RAW_LIMIT)}` : ''}` };
  const { snapshot } = probe;
  if (poll.reloadStamp) {
    const clock = clockLine(output);
    if (!clock || clock.reloadedAt === null) return { ok: false, detail: `no reload time on the host (${poll.reloadStamp} unreadable)` };
    if (snapshot.uptimeSeconds === null) return { ok: false, detail: `HAProxy via ${snapshot.via} gives no uptime: cannot tell the reloaded process from the old one (give roles.haproxy a socket or tcp)` };
    // Uptime and both clocks are whole seconds: one second of slack.
    const startedAt = clock.now - snapshot.uptimeSeconds;
    if (startedAt < clock.reloadedAt - 1) return { ok: false, detail: `the HAProxy answering (pid ${snapshot.process.pid ?? '?'}) started ${clock.reloadedAt - startedAt} s before the reload: not reloaded yet` };
  }
  return haproxyUpVerdict(snapshot.backends.flatMap((b) => b.servers), snapshot.backends.map((b) => b.name), poll.haproxy);
}
