// "Clear stale constraints": the cli-prefer-* / cli-ban-* location
// constraints that `crm_resource --move/--ban` leave behind, stale when they
// point at a node the cluster no longer has, when their --lifetime has
// passed (Pacemaker ignores them then, the CIB keeps them), or when they are
// older than the threshold. The CIB records no creation time for them (only
// a --lifetime's end), so an age is known only from baton's journal: the
// last run of pacemaker.move, pacemaker.ban or rebalance that made that
// constraint. One without either is listed with its age unknown and kept.
// Removal is by id (`cibadmin --delete`): `crm_resource --clear --node`
// would also take the resource's other cli constraints on that node, and
// refuses a node that is gone. Pure.
import { quote } from 'shell-quote';
import type { PacemakerCliConstraint, PacemakerSnapshot } from '../../probes/pacemaker.js';
import { constraintId, type CibChange } from '../failover/pacemaker/pacemaker-commands.js';

/** When and by which baton run a constraint was made. */
export interface ConstraintOrigin {
  at: number;
  action: string;
  run: string;
}

export interface ListedConstraint {
  id: string;
  kind: PacemakerCliConstraint['kind'];
  resource: string;
  node: string | null;
  /** Milliseconds, when known. */
  ageMs: number | null;
  /** "3 h 12 min (pacemaker.move, run 2026...)", "unknown: not made by baton; the CIB records no creation time". */
  age: string;
  /** Why it is stale; absent for one kept. */
  why?: string;
}

/** A run as the journal has it: enough to know which constraints it made. */
export interface JournaledRun {
  id: string;
  action: string;
  startedAt: number;
  args: Record<string, unknown>;
  /** Its steps ran (a refused or never started run made nothing). */
  ran: boolean;
}

/** Which cli constraints a run made, by cluster. */
function madeBy(run: JournaledRun): { cluster: string; id: string }[] {
  const a = run.args;
  if ((run.action === 'pacemaker.move' || run.action === 'pacemaker.ban') && typeof a.cluster === 'string' && a.change) {
    const id = constraintId(a.change as CibChange, typeof a.from === 'string' ? a.from : undefined);
    return id ? [{ cluster: a.cluster, id }] : [];
  }
  if (run.action === 'rebalance' && a.pacemaker && typeof a.pacemaker === 'object') {
    const clusters = (a.pacemaker as { clusters?: { cluster: string; changes: { resource: string }[] }[] }).clusters ?? [];
    return clusters.flatMap((c) => c.changes.map((m) => ({ cluster: c.cluster, id: `cli-prefer-${m.resource}` })));
  }
  return [];
}

/** cluster -> constraint id -> the latest run that made it. */
export function constraintOrigins(runs: readonly JournaledRun[]): Map<string, Map<string, ConstraintOrigin>> {
  const out = new Map<string, Map<string, ConstraintOrigin>>();
  for (const run of [...runs].filter((r) => r.ran).sort((a, b) => a.startedAt - b.startedAt)) {
    for (const { cluster, id } of madeBy(run)) {
      if (!out.has(cluster)) out.set(cluster, new Map());
      out.get(cluster)!.set(id, { at: run.startedAt, action: run.action, run: run.id });
    }
  }
  return out;
}

export function ageWords(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h ${min % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Every cli constraint of one cluster, split into stale and kept. */
export function findStaleConstraints(s: PacemakerSnapshot, origins: ReadonlyMap<string, ConstraintOrigin> | undefined, now: number, thresholdMs: number): { stale: ListedConstraint[]; kept: ListedConstraint[] } {
  const out = { stale: [] as ListedConstraint[], kept: [] as ListedConstraint[] };
  if (s.constraints.kind !== 'read') return out;
  const nodes = new Set(s.nodes.map((n) => n.name));
  for (const c of s.constraints.list) {
    const origin = origins?.get(c.id);
    const ageMs = origin ? Math.max(0, now - origin.at) : null;
    const age = origin ? `${ageWords(ageMs!)} (made by ${origin.action}, run ${origin.run})` : 'unknown: not made by baton (its journal has no run that made it) and the CIB records no creation time';
    const expires = c.expires === null ? NaN : Date.parse(c.expires.replace(' ', 'T').replace(' ', ''));
    const why =
      c.node !== null && !nodes.has(c.node)
        ? `points at ${c.node}, which the cluster no longer has`
        : expires < now
          ? `its lifetime ended at ${c.expires} (Pacemaker ignores it; the CIB keeps it)`
          : ageMs !== null && ageMs > thresholdMs
            ? `older than ${ageWords(thresholdMs)}`
            : undefined;
    const listed: ListedConstraint = { id: c.id, kind: c.kind, resource: c.resource, node: c.node, ageMs, age };
    if (why) out.stale.push({ ...listed, why });
    else out.kept.push(listed);
  }
  return out;
}

const xmlAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Deletes exactly this location constraint, by id. */
export const deleteConstraintCommand = (id: string): string => `cibadmin --delete --scope constraints --xml-text ${quote([`<rsc_location id="${xmlAttr(id)}"/>`])}`;
