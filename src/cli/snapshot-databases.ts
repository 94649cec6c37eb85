// The `postgresql` and `mysql` sections of --once --json: one entry per replication set
// (servers grouped by their inventory `cluster`, as the Databases pane
// shows them), which servers answer as primary, and each server's entry.
import type { MysqlServiceSnapshot } from '../monitor/mysql-plan.js';
import type { PostgresqlServiceSnapshot } from '../monitor/postgresql-plan.js';
import type { ServiceState } from '../store/services.js';
import type { BatonState } from '../store/types.js';

export interface SnapshotReplicationSet<M> {
  set: string;
  /** Servers whose latest answer says primary (two or more: split brain). */
  primaries: string[];
  /** Each server as the other service sections show a service; `key` is SET/HOST. */
  members: M[];
}

function answersAsPrimary(s: ServiceState): boolean {
  const snap = s.snapshot as PostgresqlServiceSnapshot | MysqlServiceSnapshot | undefined;
  const writable = snap !== undefined && snap.role === 'primary' && !('readOnly' in snap && snap.readOnly);
  return writable && s.updatedAt !== undefined && !(s.error && s.error.at > s.updatedAt);
}

export function replicationSetsOf<M>(state: BatonState, kind: 'postgresql' | 'mysql', entry: (s: ServiceState) => M): SnapshotReplicationSet<M>[] {
  const sets = new Map<string, ServiceState[]>();
  for (const s of Object.values(state.services)) {
    if (s.kind !== kind) continue;
    const set = s.key.slice(0, Math.max(0, s.key.indexOf('/'))) || s.key;
    sets.set(set, [...(sets.get(set) ?? []), s]);
  }
  return [...sets].map(([set, members]) => ({
    set,
    primaries: members.filter(answersAsPrimary).map((m) => m.candidates[0] ?? m.key),
    members: members.map(entry),
  }));
}
