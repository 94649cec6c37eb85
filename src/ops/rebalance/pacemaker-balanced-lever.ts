// The placement-strategy=balanced lever of a rebalance (--lever
// pacemaker-balanced), per cluster: the attributes placement-balanced.ts
// plans, before -> after, with the scheduler's prediction of what moves once
// they are set (the commands applied to a CIB copy); one step per cluster,
// undo puts every attribute back; locks the whole cluster (a cluster
// property changes). Pure.
import type { Inventory } from '../../inventory/types.js';
import type { Change, Precondition, Step } from '../engine/plan.js';
import type { Refusal } from '../engine/registry.js';
import { DEFAULT_CLUSTER } from '../failover/pacemaker/cluster-reading.js';
import { placementChanges } from '../failover/pacemaker/pacemaker-plan.js';
import { describeAction, parsePredictionOutput } from '../failover/pacemaker/scheduler-prediction.js';
import type { FleetHost } from './load-model.js';
import { nodeHostsOf, type PacemakerClusterFacts } from './pacemaker-lever.js';
import { attributeCommand, planBalanced, type AttributeChange } from './placement-balanced.js';

export interface BalancedLever {
  clusters: { cluster: string; host: string; candidates: string[]; changes: AttributeChange[] }[];
  steps: Step[];
  undo: Step[];
  locks: string[];
  changes: Change[];
  preconditions: Precondition[];
}

const same = (a: readonly AttributeChange[], b: readonly AttributeChange[]) => JSON.stringify(a) === JSON.stringify(b);
const label = (c: AttributeChange) => (c.kind === 'property' ? `cluster property ${c.name}` : `${c.kind} utilization ${c.name}`);

export function planBalancedLever(inventory: Inventory, facts: readonly PacemakerClusterFacts[], hosts: readonly FleetHost[], timeoutMs: number): BalancedLever | string | Refusal {
  if (facts.length === 0) return 'no host of the inventory has the pacemaker role';
  const lever: BalancedLever = { clusters: [], steps: [], undo: [], locks: [], changes: [], preconditions: [] };
  const quiet: string[] = [];
  for (const c of facts) {
    if (!c.read.ok || !c.balanced) {
      quiet.push(`${c.cluster}: ${c.read.ok ? 'the configuration was not read' : c.read.error}`);
      continue;
    }
    const { state } = c.balanced;
    if (typeof state === 'string') return { refused: true, reason: `cluster ${c.cluster}: the configuration could not be read: ${state}` };
    const changes = planBalanced(c.read.snapshot, nodeHostsOf(inventory, c.cluster, DEFAULT_CLUSTER), hosts, state);
    if (changes.length === 0) {
      quiet.push(`${c.cluster}: placement-strategy is balanced and every utilization is as planned already`);
      continue;
    }
    if (!same(changes, c.balanced.changes)) return { refused: true, reason: `cluster ${c.cluster}: the scheduler was not asked about these attributes (the cluster changed while planning)`, hint: 'plan again' };
    const { change: predicted } = parsePredictionOutput(c.balanced.output, false);
    if (!predicted.ok) return { refused: true, reason: `cluster ${c.cluster}: the scheduler could not take the attributes: ${predicted.error}` };
    const host = c.read.host;
    lever.steps.push({ id: `rebalance:pacemaker-balanced:${c.cluster}`, hostId: host, label: `set ${changes.length} attributes (placement-strategy=balanced)`, spec: { kind: 'command', command: changes.map((x) => attributeCommand(x, x.after)).join(' && ') }, timeoutMs, retries: 0 });
    lever.undo.push({ id: `undo:rebalance:pacemaker-balanced:${c.cluster}`, hostId: host, label: 'every attribute back as it was', spec: { kind: 'command', command: changes.map((x) => attributeCommand(x, x.before)).join(' ; ') }, timeoutMs, retries: 0 });
    lever.locks.push(`pacemaker:${c.cluster}`);
    lever.changes.push(...changes.map((x) => ({ target: x.target, what: label(x), before: x.before ?? 'unset', after: x.after })), ...placementChanges(predicted.prediction));
    lever.preconditions.push({ what: `${c.cluster}: the scheduler with the attributes set`, ok: true, detail: predicted.prediction.actions.map(describeAction).join('; ') || 'no resource moves, starts or stops (resource-stickiness keeps them; the strategy decides the next placements)' });
    lever.clusters.push({ cluster: c.cluster, host, candidates: c.candidates, changes });
  }
  return lever.clusters.length > 0 ? lever : quiet.join('; ');
}
