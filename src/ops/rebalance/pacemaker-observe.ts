// What the Pacemaker levers read before planning: every cluster of the
// inventory (crm_mon and the cli constraints on the first node that
// answers); for moves, the moves the proposer picks from the host loads and
// Pacemaker's scheduler on all of them at once (their commands applied to a
// copy of the live CIB, crm_simulate with scores), as pacemaker.move
// predicts; for stale constraints, baton's journal (the only record of when
// a cli constraint was made).
import { journalDir, listActions } from '../engine/history.js';
import type { LiveContext } from '../engine/registry.js';
import { DEFAULT_CLUSTER, pacemakerClusters, readCluster, runOn } from '../failover/pacemaker/cluster-reading.js';
import { predictionScript } from '../failover/pacemaker/scheduler-prediction.js';
import type { HostLoads } from './host-loads.js';
import { clusterMoves, moveCommand, nodeHostsOf, type PacemakerClusterFacts } from './pacemaker-lever.js';
import { attributeCommand, parsePlacementState, planBalanced, PLACEMENT_READ_COMMAND } from './placement-balanced.js';
import type { JournaledRun } from './stale-constraints.js';

const PREDICTION_TIMEOUT_MS = 30_000;

export interface PacemakerLeverFacts {
  clusters: PacemakerClusterFacts[];
  /** Journaled runs, read for the stale constraints lever. */
  runs: JournaledRun[];
}

async function journaledRuns(): Promise<JournaledRun[]> {
  const actions = await listActions(journalDir());
  return actions
    .filter((a) => a.plan.action === 'rebalance' || a.plan.action === 'pacemaker.move' || a.plan.action === 'pacemaker.ban')
    .map((a) => ({ id: a.id, action: a.plan.action, startedAt: a.startedAt, args: a.plan.args, ran: [...a.steps.values()].some((s) => s.outcome === 'ok') }));
}

/** placement-strategy=balanced: the configuration as it is, the attributes planned, and the scheduler on them. */
async function observeBalanced(ctx: LiveContext, facts: PacemakerClusterFacts, loads: HostLoads): Promise<PacemakerClusterFacts['balanced']> {
  if (!facts.read.ok) return undefined;
  const host = facts.read.host;
  try {
    const read = await runOn(ctx.transports, host, PLACEMENT_READ_COMMAND);
    const state = read.code === 0 ? parsePlacementState(read.stdout) : `cibadmin exited ${read.code}: ${read.stderr.trim().split('\n').pop() ?? ''}`;
    if (typeof state === 'string') return { state, changes: [], output: '' };
    const changes = planBalanced(facts.read.snapshot, nodeHostsOf(ctx.inventory, facts.cluster, DEFAULT_CLUSTER), loads.hosts, state);
    if (changes.length === 0) return { state, changes, output: '' };
    const r = await runOn(ctx.transports, host, predictionScript(changes.map((c) => attributeCommand(c, c.after))), PREDICTION_TIMEOUT_MS);
    return { state, changes, output: r.stdout };
  } catch (err) {
    return { state: `on ${host}: ${(err as Error).message.split('\n')[0]}`, changes: [], output: '' };
  }
}

export async function observePacemakerLevers(ctx: LiveContext, loads: HostLoads, band: number, want: { moves: boolean; stale: boolean; balanced?: boolean }): Promise<PacemakerLeverFacts> {
  const runs = want.stale ? journaledRuns() : Promise.resolve([]);
  const clusters = await Promise.all(
    [...pacemakerClusters(ctx.inventory)].map(async ([cluster, candidates]): Promise<PacemakerClusterFacts> => {
      const facts: PacemakerClusterFacts = { cluster, candidates, read: await readCluster(ctx.transports, candidates) };
      if (want.balanced) facts.balanced = await observeBalanced(ctx, facts, loads);
      const proposal = want.moves ? clusterMoves(ctx.inventory, facts, loads.hosts, band, DEFAULT_CLUSTER) : undefined;
      if (!facts.read.ok || !proposal || proposal.moves.length === 0) return facts;
      try {
        const r = await runOn(ctx.transports, facts.read.host, predictionScript(proposal.moves.map(moveCommand), undefined, true), PREDICTION_TIMEOUT_MS);
        facts.asked = { moves: proposal.moves, output: r.stdout };
      } catch (err) {
        facts.asked = { moves: proposal.moves, output: '', error: `on ${facts.read.host}: ${(err as Error).message.split('\n')[0]}` };
      }
      return facts;
    }),
  );
  return { clusters, runs: await runs };
}
