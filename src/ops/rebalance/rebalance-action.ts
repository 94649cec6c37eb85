// `rebalance`: spread load by the seed's strategies onto HAProxy weights
// (the lever built so far): observe host loads and every LB, plan, verify.
import type { ActionDefinition, LiveContext } from '../engine/registry.js';
import { observeHaproxy } from '../failover/haproxy/haproxy-observe.js';
import { readHostLoads } from './host-loads.js';
import { parseRebalanceArgs, type RebalanceArgs } from './rebalance-args.js';
import { planRebalance, type RebalanceFacts } from './rebalance-plan.js';
import { verifyRebalance } from './rebalance-verify.js';

async function observeRebalance(ctx: LiveContext): Promise<RebalanceFacts> {
  const [loads, haproxy] = await Promise.all([readHostLoads(ctx), observeHaproxy(ctx)]);
  return { loads, haproxy };
}

export const rebalanceAction: ActionDefinition<RebalanceArgs, RebalanceFacts> = {
  name: 'rebalance',
  summary: 'spread load by a strategy (resource_based, least_loaded, round_robin, weighted_random) onto HAProxy weights; plan shows weights, predicted shares and loads',
  usage: '[--strategy S] [--lever haproxy] [--band N] [--max-step PERCENT] [--settle SECONDS] [--seed N]',
  scope: 'cluster.load',
  parseArgs: parseRebalanceArgs,
  observe: observeRebalance,
  plan: planRebalance,
  verify: verifyRebalance,
};
