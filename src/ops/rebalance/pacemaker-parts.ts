// The Pacemaker levers as pieces of the rebalance plan: steps, undo, locks,
// changes, preconditions, a title part, a verify part and what the JSON plan
// carries (`args.pacemaker.changes` [{resource, before, after, fromHost,
// toHost}], `args.staleConstraints`, `args.balanced`). Pure.
import type { Inventory } from '../../inventory/types.js';
import type { Change, Precondition, Step } from '../engine/plan.js';
import type { Refusal } from '../engine/registry.js';
import { DEFAULT_CLUSTER } from '../failover/pacemaker/cluster-reading.js';
import type { FleetHost } from './load-model.js';
import { planPacemakerLever, type PacemakerLever } from './pacemaker-lever.js';
import type { PacemakerMove } from './pacemaker-moves.js';
import type { PacemakerLeverFacts } from './pacemaker-observe.js';
import { planStaleLever, type StaleLever } from './pacemaker-stale-lever.js';
import { planBalancedLever, type BalancedLever } from './pacemaker-balanced-lever.js';
import type { ResolvedArgs } from './rebalance-args.js';

export interface PacemakerPlanArgs {
  pacemaker?: { changes: PacemakerMove[]; clusters: PacemakerLever['clusters'] };
  staleConstraints?: { clusters: StaleLever['clusters'] };
  /** placement-strategy=balanced: every attribute before -> after, per cluster. */
  balanced?: { clusters: BalancedLever['clusters'] };
}

export interface LeverParts {
  steps: Step[];
  undo: Step[];
  locks: string[];
  changes: Change[];
  preconditions: Precondition[];
  title: string;
  verify: string;
  args: PacemakerPlanArgs;
  /** Host loads as the move model predicts, in the loads' order. */
  loadsAfter?: number[];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function pacemakerMoveParts(inventory: Inventory, facts: PacemakerLeverFacts | undefined, hosts: readonly FleetHost[], args: ResolvedArgs): LeverParts | string | Refusal {
  const lever = planPacemakerLever(inventory, facts?.clusters ?? [], hosts, args, DEFAULT_CLUSTER);
  if (typeof lever === 'string' || 'refused' in lever) return lever;
  const moves = lever.clusters.flatMap((c) => c.changes);
  return {
    steps: lever.steps,
    undo: lever.undo,
    locks: lever.locks,
    changes: [...moves.map((m) => ({ target: m.resource, what: 'runs on (crm_resource --move, pinned)', before: `${m.before} (${m.fromHost})`, after: `${m.after} (${m.toHost})` })), ...lever.predicted],
    preconditions: [{ what: "Pacemaker's scheduler on the whole set of moves", ok: true, detail: lever.actions.join('; ') || 'no action' }],
    title: `${plural(moves.length, 'Pacemaker move')} (${moves.map((m) => `${m.resource} ${m.before} → ${m.after}`).join(', ')}), checked by the scheduler`,
    verify: `crm_mon polled until ${moves.map((m) => `${m.resource} runs on ${m.after}`).join(', ')} with their cli-prefer constraints in place (undo removes them)`,
    args: { pacemaker: { changes: moves, clusters: lever.clusters } },
    loadsAfter: lever.loadsAfter,
  };
}

export function pacemakerStaleParts(facts: PacemakerLeverFacts | undefined, now: number, args: ResolvedArgs): LeverParts | string {
  const lever = planStaleLever(facts?.clusters ?? [], facts?.runs ?? [], now, args.staleHours, args.timeoutMs);
  if (typeof lever === 'string') return lever;
  const removed = lever.clusters.flatMap((c) => c.removed);
  return {
    steps: lever.steps,
    undo: [],
    locks: lever.locks,
    changes: lever.changes,
    preconditions: lever.preconditions,
    title: `${plural(removed.length, 'stale Pacemaker constraint')} removed`,
    verify: `the constraints re-read until ${removed.map((x) => x.id).join(', ')} ${removed.length === 1 ? 'is' : 'are'} gone`,
    args: { staleConstraints: { clusters: lever.clusters } },
  };
}

export function pacemakerBalancedParts(inventory: Inventory, facts: PacemakerLeverFacts | undefined, hosts: readonly FleetHost[], args: ResolvedArgs): LeverParts | string | Refusal {
  const lever = planBalancedLever(inventory, facts?.clusters ?? [], hosts, args.timeoutMs);
  if (typeof lever === 'string' || 'refused' in lever) return lever;
  const n = lever.clusters.reduce((sum, c) => sum + c.changes.length, 0);
  return {
    steps: lever.steps,
    undo: lever.undo,
    locks: lever.locks,
    changes: lever.changes,
    preconditions: lever.preconditions,
    title: `placement-strategy=balanced on ${lever.clusters.map((c) => c.cluster).join(', ')} (${plural(n, 'attribute')})`,
    verify: 'the configuration re-read (cibadmin --query) until every attribute has its new value (undo puts each back)',
    args: { balanced: { clusters: lever.clusters } },
  };
}
