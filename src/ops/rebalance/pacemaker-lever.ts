// The Pacemaker lever of a rebalance: per cluster, the moves the proposer
// picks (pacemaker-moves.ts), judged as one set by Pacemaker's scheduler
// before anything is shown (pacemaker-judgement.ts). The moves run as
// pacemaker.move --pin does (`crm_resource --move --resource=R --node=N`:
// the cli-prefer constraints stay, so the resources stay), one step per
// cluster so the CIB sees one writer; undo clears exactly the constraints
// it added (`crm_resource --clear --resource=R --node=N`). Pure.
import type { Inventory } from '../../inventory/types.js';
import type { Change, Step } from '../engine/plan.js';
import type { Refusal } from '../engine/registry.js';
import type { ClusterRead } from '../failover/pacemaker/cluster-reading.js';
import { changeCommands } from '../failover/pacemaker/pacemaker-commands.js';
import { lockKeys, placementChanges } from '../failover/pacemaker/pacemaker-plan.js';
import { describeAction } from '../failover/pacemaker/scheduler-prediction.js';
import { judgeMoveSet } from './pacemaker-judgement.js';
import type { AttributeChange, PlacementState } from './placement-balanced.js';
import { proposeMoves, type NodeHosts, type PacemakerMove } from './pacemaker-moves.js';
import type { FleetHost } from './load-model.js';
import type { ResolvedArgs } from './rebalance-args.js';

/** One cluster as observe read it, the moves it proposed, and the scheduler's output on them. */
export interface PacemakerClusterFacts {
  cluster: string;
  /** Its hosts in inventory order: who verify asks. */
  candidates: string[];
  read: ClusterRead;
  /** The moves the scheduler was asked about, and its output (the prediction script run with scores). */
  asked?: { moves: PacemakerMove[]; output: string; error?: string };
  /** For placement-strategy=balanced: the configuration read (or why not), the attributes planned and the scheduler's output on them. */
  balanced?: { state: PlacementState | string; changes: AttributeChange[]; output: string; error?: string };
}

export interface PacemakerLever {
  clusters: { cluster: string; host: string; candidates: string[]; changes: PacemakerMove[] }[];
  steps: Step[];
  undo: Step[];
  locks: string[];
  /** The scheduler's prediction, per resource whose placement changes, and its actions. */
  predicted: Change[];
  actions: string[];
  loadsAfter: number[];
}

/** Each cluster's node -> host: the pacemaker role's `node`, else the host's id. */
export function nodeHostsOf(inventory: Pick<Inventory, 'hosts'>, cluster: string, defaultCluster: string): NodeHosts {
  return new Map(inventory.hosts.flatMap((h) => (h.roles.pacemaker && (h.roles.pacemaker.cluster ?? defaultCluster) === cluster ? [[h.roles.pacemaker.node ?? h.id, h.id] as const] : [])));
}

export const moveCommand = (m: PacemakerMove): string => changeCommands({ kind: 'move', resource: m.resource, node: m.after, lifetime: null })[0]!;
export const clearCommand = (m: PacemakerMove): string => changeCommands({ kind: 'clear', resource: m.resource, node: m.after })[0]!;

/** The proposal for one cluster read: what observe asks the scheduler about and the planner plans. */
export function clusterMoves(inventory: Pick<Inventory, 'hosts'>, c: Pick<PacemakerClusterFacts, 'cluster' | 'read'>, hosts: readonly FleetHost[], band: number, defaultCluster: string) {
  if (!c.read.ok) return undefined;
  return proposeMoves(c.read.snapshot, nodeHostsOf(inventory, c.cluster, defaultCluster), hosts, band);
}

const same = (a: readonly PacemakerMove[], b: readonly PacemakerMove[]) => JSON.stringify(a) === JSON.stringify(b);

/** The lever's plan; why it has nothing to move; or a refusal with the scheduler's reason. */
export function planPacemakerLever(inventory: Inventory, facts: readonly PacemakerClusterFacts[], hosts: readonly FleetHost[], args: ResolvedArgs, defaultCluster: string): PacemakerLever | string | Refusal {
  if (facts.length === 0) return 'no host of the inventory has the pacemaker role';
  const unread = facts.filter((c) => !c.read.ok);
  if (unread.length === facts.length) return `no Pacemaker node answered: ${unread.map((c) => `${c.cluster}: ${!c.read.ok ? c.read.error : ''}`).join('; ')}`;
  const lever: PacemakerLever = { clusters: [], steps: [], undo: [], locks: [], predicted: [], actions: [], loadsAfter: hosts.map((h) => h.load) };
  const quiet: string[] = [];
  for (const c of facts) {
    if (!c.read.ok) continue;
    const proposal = clusterMoves(inventory, c, hosts, args.band, defaultCluster)!;
    if (proposal.moves.length === 0) {
      quiet.push(`${c.cluster}: no resource on a node over the band can move to a less loaded node that may run it (and narrow the spread)`);
      continue;
    }
    if (!c.asked || !same(c.asked.moves, proposal.moves)) return { refused: true, reason: `cluster ${c.cluster}: the scheduler was not asked about these moves (the cluster changed while planning)`, hint: 'plan again' };
    if (c.asked.error !== undefined) return { refused: true, reason: `cluster ${c.cluster}: the scheduler could not be asked about the moves: ${c.asked.error}` };
    const verdict = judgeMoveSet(c.read.snapshot, proposal.moves, c.asked.output);
    if (!verdict.ok) return { refused: true, reason: `cluster ${c.cluster}: ${verdict.reason}`, hint: `moves asked: ${proposal.moves.map((m) => `${m.resource} ${m.before} → ${m.after}`).join(', ')}` };
    const host = c.read.host;
    const list = proposal.moves.map((m) => `${m.resource} ${m.before}→${m.after}`).join(', ');
    lever.steps.push({ id: `rebalance:pacemaker:${c.cluster}`, hostId: host, label: `move (pinned) ${list}`, spec: { kind: 'command', command: proposal.moves.map(moveCommand).join(' && ') }, timeoutMs: args.timeoutMs, retries: 0 });
    lever.undo.push({ id: `undo:rebalance:pacemaker:${c.cluster}`, hostId: host, label: `clear the move constraints: ${proposal.moves.map((m) => `cli-prefer-${m.resource}`).join(', ')}`, spec: { kind: 'command', command: proposal.moves.map(clearCommand).join(' ; ') }, timeoutMs: args.timeoutMs, retries: 0 });
    lever.locks.push(...proposal.moves.flatMap((m) => lockKeys(c.cluster, { kind: 'move', resource: m.resource, node: m.after, lifetime: null })));
    lever.predicted.push(...placementChanges(verdict.prediction));
    lever.actions.push(...verdict.prediction.actions.map(describeAction));
    lever.clusters.push({ cluster: c.cluster, host, candidates: c.candidates, changes: proposal.moves });
    lever.loadsAfter = lever.loadsAfter.map((l, i) => l + (proposal.loadsAfter[i]! - proposal.loadsBefore[i]!));
  }
  return lever.clusters.length > 0 ? lever : quiet.join('; ');
}
