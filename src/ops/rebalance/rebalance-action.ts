// `rebalance`: spread load by the seed's strategies onto HAProxy weights and
// the etcd leader (the levers built so far): observe, plan, verify.
import type { ActionDefinition, LiveContext } from '../engine/registry.js';
import { observeEtcd } from '../failover/etcd/etcd-observe.js';
import { observeHaproxy } from '../failover/haproxy/haproxy-observe.js';
import { readHostLoads } from './host-loads.js';
import { parseRebalanceArgs, resolveArgs, type RebalanceArgs } from './rebalance-args.js';
import { planRebalance, type RebalanceFacts } from './rebalance-plan.js';
import { verifyRebalance } from './rebalance-verify.js';

/** Host loads, and what each lever in play reads (every LB's runtime state, the etcd cluster). */
async function observeRebalance(ctx: LiveContext, raw: RebalanceArgs): Promise<RebalanceFacts> {
  const { levers } = resolveArgs(raw, ctx.inventory);
  const [loads, haproxy, etcd] = await Promise.all([readHostLoads(ctx), levers.includes('haproxy') ? observeHaproxy(ctx) : undefined, levers.includes('etcd') ? observeEtcd(ctx) : undefined]);
  return { loads, ...(haproxy && { haproxy }), ...(etcd && { etcd }) };
}

export const rebalanceAction: ActionDefinition<RebalanceArgs, RebalanceFacts> = {
  name: 'rebalance',
  summary: 'spread load by a strategy (resource_based, least_loaded, round_robin, weighted_random) onto HAProxy weights and the etcd leader; the plan shows weights, predicted shares and loads',
  usage: '[--strategy S] [--lever haproxy|etcd ...] [--band N] [--max-step PERCENT] [--settle SECONDS] [--seed N]',
  scope: 'cluster.load',
  parseArgs: parseRebalanceArgs,
  observe: observeRebalance,
  plan: planRebalance,
  verify: verifyRebalance,
};
