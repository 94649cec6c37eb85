// The etcd lever of a rebalance: a leader on a host outside the band (over
// it) hands the leadership to the healthy voting member on the least loaded
// host, through etcd.move-leader's own planner (asked of the leader), whose
// plan rides along for the verify. Pure.
import type { EtcdMember } from '../../probes/etcd.js';
import type { Plan } from '../engine/plan.js';
import type { PlanContext } from '../engine/registry.js';
import { hostFor, memberLabel, type EtcdFacts } from '../failover/etcd/etcd-observe.js';
import { planEtcd } from '../failover/etcd/etcd-plan.js';
import { balances, spreadOf, type FleetHost } from './load-model.js';
import type { ResolvedArgs } from './rebalance-args.js';

export interface EtcdLever {
  change: { member: string; before: string; after: string; fromHost: string; toHost: string };
  /** etcd.move-leader's plan: its steps and locks join the rebalance, its verify is asked after. */
  plan: Plan;
}

const canLead = (m: EtcdMember): boolean => !m.learner && m.up === true && m.healthy !== false && !m.leader && m.id !== null;

export function planEtcdLever(ctx: PlanContext<unknown>, facts: EtcdFacts, hosts: readonly FleetHost[], args: ResolvedArgs): EtcdLever | string {
  if ('error' in facts) return facts.error;
  const { snapshot, answeredBy } = facts;
  const leader = snapshot.members.find((m) => m.leader);
  if (!leader) return 'the etcd cluster has no leader now';
  const { target } = spreadOf(hosts, hosts.map((h) => h.load));
  const balance = balances(hosts.map((h) => h.load), target, args.band);
  const loadOf = (m: EtcdMember) => {
    const i = hosts.findIndex((h) => h.id === hostFor(ctx.inventory, m, answeredBy).hostId);
    return i < 0 ? undefined : { host: hosts[i]!, balance: balance[i]! };
  };
  const from = loadOf(leader);
  if (!from) return `the etcd leader ${memberLabel(leader)} runs on no host whose load is known`;
  if (from.balance !== 'over') return `the etcd leader ${memberLabel(leader)} is on ${from.host.id} (${Math.round(from.host.load)}%), within the band`;
  const best = snapshot.members
    .filter(canLead)
    .flatMap((m) => {
      const at = loadOf(m);
      return at && at.host.load < from.host.load && at.balance !== 'over' ? [{ m, at }] : [];
    })
    .sort((a, b) => a.at.host.load - b.at.host.load)[0];
  if (!best) return `no healthy voting etcd member on a host less loaded than ${from.host.id} could take the lead`;
  const sub = planEtcd({ ...ctx, facts }, { op: 'move-leader', member: memberLabel(best.m), timeoutMs: args.timeoutMs });
  if ('refused' in sub) return sub.reason;
  return {
    change: { member: 'leader', before: memberLabel(leader), after: memberLabel(best.m), fromHost: from.host.id, toHost: best.at.host.id },
    plan: sub,
  };
}
