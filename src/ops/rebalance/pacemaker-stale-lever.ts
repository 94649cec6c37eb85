// The "clear stale constraints" lever of a rebalance (--lever
// pacemaker-stale): per cluster, every stale cli constraint
// (stale-constraints.ts) listed with its age and why, deleted by id in one
// step per cluster (one CIB writer); those kept are said, with their age.
// No undo: a removed move or ban is made again with pacemaker.move/ban. Pure.
import type { Change, Precondition, Step } from '../engine/plan.js';
import { lockKeys } from '../failover/pacemaker/pacemaker-plan.js';
import type { PacemakerClusterFacts } from './pacemaker-lever.js';
import { ageWords, constraintOrigins, deleteConstraintCommand, findStaleConstraints, type JournaledRun, type ListedConstraint } from './stale-constraints.js';

export interface StaleLever {
  clusters: { cluster: string; host: string; candidates: string[]; removed: ListedConstraint[] }[];
  steps: Step[];
  locks: string[];
  changes: Change[];
  preconditions: Precondition[];
}

const HOUR_MS = 3_600_000;

export function planStaleLever(clusters: readonly PacemakerClusterFacts[], runs: readonly JournaledRun[], now: number, staleHours: number, timeoutMs: number): StaleLever | string {
  if (clusters.length === 0) return 'no host of the inventory has the pacemaker role';
  const origins = constraintOrigins(runs);
  const lever: StaleLever = { clusters: [], steps: [], locks: [], changes: [], preconditions: [] };
  const quiet: string[] = [];
  for (const c of clusters) {
    if (!c.read.ok) {
      quiet.push(`${c.cluster}: ${c.read.error}`);
      continue;
    }
    const s = c.read.snapshot;
    if (s.constraints.kind !== 'read') {
      quiet.push(`${c.cluster}: the constraints could not be read (${s.constraints.message})`);
      continue;
    }
    const { stale, kept } = findStaleConstraints(s, origins.get(c.cluster), now, staleHours * HOUR_MS);
    if (kept.length > 0) lever.preconditions.push({ what: `${c.cluster}: cli constraints kept`, ok: true, detail: kept.map((k) => `${k.id} (age ${k.age})`).join('; ') });
    if (stale.length === 0) {
      quiet.push(`${c.cluster}: no cli constraint is stale (${s.constraints.list.length} in the CIB; stale: a node that is gone, a lifetime that ended, or made by baton over ${ageWords(staleHours * HOUR_MS)} ago)`);
      continue;
    }
    const host = c.read.host;
    lever.steps.push({ id: `rebalance:pacemaker-stale:${c.cluster}`, hostId: host, label: `delete ${stale.map((x) => x.id).join(', ')}`, spec: { kind: 'command', command: stale.map((x) => deleteConstraintCommand(x.id)).join(' && ') }, timeoutMs, retries: 0 });
    lever.locks.push(...new Set(stale.flatMap((x) => lockKeys(c.cluster, { kind: 'clear', resource: x.resource }))));
    lever.changes.push(...stale.map((x) => ({ target: x.id, what: `cli constraint, age ${x.age}`, before: `${x.resource} ${x.kind === 'prefer' ? 'prefers' : 'banned from'} ${x.node ?? '?'}: stale, ${x.why}`, after: 'removed' })));
    lever.clusters.push({ cluster: c.cluster, host, candidates: c.candidates, removed: stale });
  }
  return lever.clusters.length > 0 ? lever : quiet.join('; ');
}
