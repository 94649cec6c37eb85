// A replication set as the probe sees it, read fresh for planning and again
// to verify: every PostgreSQL server of the inventory asked with the pane's
// own probe, grouped by set; and which one a HOST argument names.
import type { PostgresqlRole } from '../../inventory/types.js';
import type { PostgresqlServiceSnapshot } from '../../monitor/postgresql-plan.js';
import { isServiceRead, readServices } from '../engine/read-service.js';
import type { LiveContext } from '../engine/registry.js';

export interface PgMember {
  host: string;
  set: string;
  role: PostgresqlRole;
  /** Null: it did not answer (error says why). */
  snapshot: PostgresqlServiceSnapshot | null;
  error?: string;
}

export interface PgFacts {
  members: PgMember[];
}

export async function observePostgresql(ctx: LiveContext): Promise<PgFacts> {
  const reads = await readServices(ctx, 'postgresql');
  const members = reads.map((r): PgMember => {
    const [set = '', host = ''] = r.key.split('/');
    const role = ctx.inventory.hosts.find((h) => h.id === host)?.roles.postgresql ?? {};
    return isServiceRead(r) ? { host, set, role, snapshot: r.snapshot as PostgresqlServiceSnapshot } : { host, set, role, snapshot: null, error: r.error };
  });
  return { members };
}

export const setOf = (facts: PgFacts, set: string): PgMember[] => facts.members.filter((m) => m.set === set);

/** What a member is, in a few words, for plans and verify details. */
export function describeMember(m: PgMember): string {
  const s = m.snapshot;
  if (!s) return `${m.host} does not answer (${m.error ?? 'no reading'})`;
  if (s.role === 'primary') return `${m.host} is primary (timeline ${s.timeline ?? '?'}, ${s.standbys.length} standby${s.standbys.length === 1 ? '' : 's'} connected)`;
  const r = s.recovery;
  const lag = r?.replayDelayMs === null || r?.replayDelayMs === undefined ? 'lag unknown' : `replay lag ${(r.replayDelayMs / 1000).toFixed(1)} s`;
  return `${m.host} is standby (${r?.receiver?.status ?? 'no WAL receiver'}, ${lag}${r?.paused ? ', replay paused' : ''})`;
}
