// One PostgreSQL service per server, keyed SET/HOST (every member of a set must
// be asked: the primary knows its standbys, each standby its own replay),
// all the servers of one set (the role's `cluster`) sharing a SetTracker so
// that two primaries at once is an alert and an event.
import type { HostSpec } from '../inventory/types.js';
import { DEFAULT_LAG_THRESHOLD_MS, postgresqlAlerts, postgresqlEvents } from '../probes/postgresql-alerts.js';
import { postgresqlProbeCommand } from '../probes/postgresql-command.js';
import { parsePostgresqlProbe, type PostgresqlSnapshot } from '../probes/postgresql.js';
import { SetTracker } from '../probes/replication-set.js';
import type { Notice } from '../store/services.js';
import type { ServiceProbe } from './service-probe.js';

export const DEFAULT_POSTGRESQL_SET = 'postgresql';
/** Lag samples kept for the pane's sparkline. */
export const LAG_HISTORY = 40;

export interface PostgresqlServiceSnapshot extends PostgresqlSnapshot {
  /** The replication set (inventory `cluster`). */
  set: string;
  /** This server's replay delay (standby) or its worst standby's replay lag (primary), oldest first, ms. */
  lagHistory: (number | null)[];
  /** The set's own alerts at this answer (split brain, no primary). */
  setAlerts: Notice[];
}

/** The lag a server stands for: a standby's own replay delay, a primary's worst standby. */
export function lagOf(s: PostgresqlSnapshot): number | null {
  if (s.recovery) return s.recovery.replayDelayMs;
  const lags = s.standbys.map((l) => l.replayLagMs ?? 0);
  return lags.length ? Math.max(...lags) : null;
}

export function postgresqlProbes(hosts: readonly HostSpec[]): ServiceProbe<PostgresqlServiceSnapshot>[] {
  const trackers = new Map<string, SetTracker>();
  return hosts.flatMap((host) => {
    const role = host.roles.postgresql;
    if (!role) return [];
    const set = role.cluster ?? DEFAULT_POSTGRESQL_SET;
    const lagThresholdMs = role.lagThreshold === undefined ? DEFAULT_LAG_THRESHOLD_MS : role.lagThreshold * 1000;
    const tracker = trackers.get(set) ?? new SetTracker(set);
    trackers.set(set, tracker);
    let history: (number | null)[] = [];
    const probe: ServiceProbe<PostgresqlServiceSnapshot> = {
      kind: 'postgresql',
      key: `${set}/${host.id}`,
      candidates: [host.id],
      command: () => postgresqlProbeCommand(role),
      parse: (output, takenAt) => {
        const r = parsePostgresqlProbe(output, takenAt);
        if (r.kind !== 'snapshot') {
          // A server that does not answer is no primary: the set learns it at once.
          tracker.record({ host: host.id, role: 'down', at: takenAt });
          return r;
        }
        tracker.record({ host: host.id, role: r.snapshot.role === 'primary' ? 'primary' : 'replica', at: takenAt });
        history = [...history, lagOf(r.snapshot)].slice(-LAG_HISTORY);
        const setAlerts = tracker.alerts(takenAt).filter((n) => n.hostId === undefined || n.hostId === host.id).map(({ key: _key, ...n }) => n);
        return { kind: 'snapshot', snapshot: { ...r.snapshot, set, lagHistory: history, setAlerts } };
      },
      alerts: (s) => [...s.setAlerts, ...postgresqlAlerts(s, lagThresholdMs).map(({ key: _key, ...n }) => n)],
      events: (previous, current) => {
        return [...tracker.drain(), ...postgresqlEvents(previous, current, lagThresholdMs)];
      },
    };
    return [probe];
  });
}
