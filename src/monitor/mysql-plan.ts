// One MySQL/MariaDB service per server, keyed SET/HOST like PostgreSQL's
// (postgresql-plan.ts): every member of a set is asked, and the servers of
// one set share a SetTracker so two writable sources at once is split brain.
import type { HostSpec } from '../inventory/types.js';
import { mysqlAlerts, mysqlEvents } from '../probes/mysql-alerts.js';
import { mysqlProbeCommand } from '../probes/mysql-command.js';
import { parseMysqlProbe, type MysqlSnapshot } from '../probes/mysql.js';
import { DEFAULT_LAG_THRESHOLD_MS } from '../probes/postgresql-alerts.js';
import { SetTracker } from '../probes/replication-set.js';
import type { Notice } from '../store/services.js';
import { LAG_HISTORY } from './postgresql-plan.js';
import type { ServiceProbe } from './service-probe.js';

export const DEFAULT_MYSQL_SET = 'mysql';

export interface MysqlServiceSnapshot extends MysqlSnapshot {
  set: string;
  /** The worst channel's lag, oldest first, ms (null: a thread stopped, lag unknown). */
  lagHistory: (number | null)[];
  setAlerts: Notice[];
}

export function mysqlLagOf(s: MysqlSnapshot): number | null {
  if (s.channels.length === 0) return null;
  const lags = s.channels.map((c) => (c.secondsBehind === null ? null : c.secondsBehind * 1000));
  return lags.includes(null) ? null : Math.max(...(lags as number[]));
}

/** A source is a server no channel feeds that takes writes; a read-only one without a channel is neither. */
const roleOf = (s: MysqlSnapshot): 'primary' | 'replica' => (s.role === 'primary' && !s.readOnly ? 'primary' : 'replica');

export function mysqlProbes(hosts: readonly HostSpec[]): ServiceProbe<MysqlServiceSnapshot>[] {
  const trackers = new Map<string, SetTracker>();
  return hosts.flatMap((host) => {
    const role = host.roles.mysql;
    if (!role) return [];
    const set = role.cluster ?? DEFAULT_MYSQL_SET;
    const lagThresholdMs = role.lagThreshold === undefined ? DEFAULT_LAG_THRESHOLD_MS : role.lagThreshold * 1000;
    const tracker = trackers.get(set) ?? new SetTracker(set);
    trackers.set(set, tracker);
    let history: (number | null)[] = [];
    const probe: ServiceProbe<MysqlServiceSnapshot> = {
      kind: 'mysql',
      key: `${set}/${host.id}`,
      candidates: [host.id],
      command: () => mysqlProbeCommand(role),
      parse: (output, takenAt) => {
        const r = parseMysqlProbe(output, takenAt);
        if (r.kind !== 'snapshot') {
          tracker.record({ host: host.id, role: 'down', at: takenAt });
          return r;
        }
        tracker.record({ host: host.id, role: roleOf(r.snapshot), at: takenAt });
        history = [...history, mysqlLagOf(r.snapshot)].slice(-LAG_HISTORY);
        const setAlerts = tracker.alerts(takenAt).filter((n) => n.hostId === undefined || n.hostId === host.id).map(({ key: _key, ...n }) => n);
        return { kind: 'snapshot', snapshot: { ...r.snapshot, set, lagHistory: history, setAlerts } };
      },
      alerts: (s) => [...s.setAlerts, ...mysqlAlerts(s, lagThresholdMs).map(({ key: _key, ...n }) => n)],
      events: (previous, current) => [...tracker.drain(), ...mysqlEvents(previous, current, lagThresholdMs)],
    };
    return [probe];
  });
}
