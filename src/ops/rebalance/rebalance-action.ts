// `rebalance`: spread load by the seed's strategies onto HAProxy weights and
// the etcd leader, and idle consumers' stream entries onto live ones (the
// levers built so far), Pacemaker resources off overloaded nodes and stale
// cli constraints away: observe, plan, verify.
import type { ActionDefinition, LiveContext } from '../engine/registry.js';
import { observeEtcd } from '../failover/etcd/etcd-observe.js';
import { observeHaproxy } from '../failover/haproxy/haproxy-observe.js';
import { readHostLoads } from './host-loads.js';
import { observeQueues } from './queue-lever.js';
import { observePacemakerLevers } from './pacemaker-observe.js';
import { parseRebalanceArgs, resolveArgs, type RebalanceArgs } from './rebalance-args.js';
import { planRebalance, type RebalanceFacts } from './rebalance-plan.js';
import { verifyRebalance } from './rebalance-verify.js';

/** Host loads, and what each lever in play reads (every LB's runtime state, the etcd cluster). */
async function observeRebalance(ctx: LiveContext, raw: RebalanceArgs): Promise<RebalanceFacts> {
  const { levers, idleSeconds, band } = resolveArgs(raw, ctx.inventory);
  const reading = readHostLoads(ctx);
  const pcmk = { moves: levers.includes('pacemaker'), stale: levers.includes('pacemaker-stale'), balanced: levers.includes('pacemaker-balanced') };
  const [loads, haproxy, etcd, queues, pacemaker] = await Promise.all([
    reading,
    levers.includes('haproxy') ? observeHaproxy(ctx) : undefined,
    levers.includes('etcd') ? observeEtcd(ctx) : undefined,
    levers.includes('queues') ? observeQueues(ctx, idleSeconds * 1000) : undefined,
    pcmk.moves || pcmk.stale || pcmk.balanced ? reading.then((l) => observePacemakerLevers(ctx, l, band, pcmk)) : undefined,
  ]);
  return { loads, ...(haproxy && { haproxy }), ...(etcd && { etcd }), ...(queues && { queues }), ...(pacemaker && { pacemaker }) };
}

export const rebalanceAction: ActionDefinition<RebalanceArgs, RebalanceFacts> = {
  name: 'rebalance',
  summary: 'spread load by a strategy (resource_based, least_loaded, round_robin, weighted_random) onto HAProxy weights and the etcd leader, idle Redis consumers\' pending entries onto live ones, Pacemaker resources off overloaded nodes (checked by its scheduler) or placed by utilization (placement-strategy=balanced), and stale cli constraints away; the plan shows weights, predicted shares, loads, pending counts and moves',
  usage: '[--strategy S] [--lever haproxy|etcd|queues|pacemaker|pacemaker-balanced|pacemaker-stale ...] [--band N] [--max-step PERCENT] [--settle SECONDS] [--seed N] [--idle SECONDS] [--allow-zero] [--stale-hours N]',
  scope: 'cluster.load',
  parseArgs: parseRebalanceArgs,
  observe: observeRebalance,
  plan: planRebalance,
  verify: verifyRebalance,
};
