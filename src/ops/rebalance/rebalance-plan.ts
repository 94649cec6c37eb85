// The pure planner of `rebalance`: host loads and what each lever reads in,
// one engine Plan out, the levers' steps side by side (HAProxy weights on
// the LBs, the etcd leader move asked of the leader, pending stream entries
// of idle consumers claimed, Pacemaker moves checked by its scheduler,
// stale cli constraints removed). A lever named with
// --lever that cannot act refuses the plan; one taken by default is skipped
// and the plan says why.
import type { Change, Plan, Precondition, Step } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import type { EtcdFacts } from '../failover/etcd/etcd-observe.js';
import type { HaproxyFacts } from '../failover/haproxy/haproxy-observe.js';
import { planEtcdLever, type EtcdLever } from './etcd-lever.js';
import { planHaproxyLever } from './haproxy-lever.js';
import type { GroupClaim, QueueChange } from './queue-claim-plan.js';
import { planQueueLever, type QueueFacts } from './queue-lever.js';
import type { LeaderChange } from './rabbit-spread.js';
import type { PacemakerLeverFacts } from './pacemaker-observe.js';
import { pacemakerBalancedParts, pacemakerMoveParts, pacemakerStaleParts, type LeverParts, type PacemakerPlanArgs } from './pacemaker-parts.js';
import type { HostLoads } from './host-loads.js';
import { balances, spreadOf } from './load-model.js';
import { resolveArgs, type Lever, type RebalanceArgs, type ResolvedArgs } from './rebalance-args.js';
import type { ServerWeight, WeightPlan } from './weight-plan.js';

export interface RebalanceFacts {
  loads: HostLoads;
  haproxy?: HaproxyFacts;
  etcd?: EtcdFacts;
  queues?: QueueFacts;
  pacemaker?: PacemakerLeverFacts;
}

/** What the JSON plan and the verify carry: per lever, every change before -> after. */
export interface RebalancePlanArgs extends ResolvedArgs, PacemakerPlanArgs {
  haproxy?: { changes: Pick<ServerWeight, 'lb' | 'backend' | 'server' | 'before' | 'after' | 'shareBefore' | 'shareAfter'>[]; servers: ServerWeight[]; fraction: number };
  etcd?: { changes: EtcdLever['change'][]; plan: Plan };
  /** Pending entries per consumer before -> after, and the XAUTOCLAIM per group. */
  queues?: { changes: QueueChange[]; claims: GroupClaim[]; leaders: LeaderChange[] };
  /** Levers that had nothing to do, and why. */
  skipped: Partial<Record<Lever, string>>;
  forecast: Pick<WeightPlan, 'target' | 'spread' | 'hosts' | 'band'>;
  unknownLoads: HostLoads['unknown'];
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

/** Loads as they are, when no lever predicts a change (an etcd leader move is not modelled), or as `after` says (Pacemaker moves). */
function steadyForecast(loads: HostLoads, band: number, after = loads.hosts.map((h) => h.load)): RebalancePlanArgs['forecast'] {
  const now = loads.hosts.map((h) => h.load);
  const { target, spread } = spreadOf(loads.hosts, now);
  const next = spreadOf(loads.hosts, after);
  const b = balances(now, target, band);
  const a = balances(after, next.target, band);
  return { target: { before: target, after: next.target }, spread: { before: spread, after: next.spread }, band, hosts: loads.hosts.map((h, i) => ({ id: h.id, capacity: h.capacity, before: h.load, after: after[i]!, balanceBefore: b[i]!, balanceAfter: a[i]! })) };
}

export function planRebalance(ctx: PlanContext<RebalanceFacts>, raw: RebalanceArgs): Plan | Refusal {
  const args = resolveArgs(raw, ctx.inventory);
  const { loads } = ctx.facts;
  if (args.levers.length === 0) return { refused: true, reason: 'no lever to move: the inventory has no haproxy, etcd, redis or pacemaker host', hint: 'add roles.haproxy (LBs), roles.etcd (members), roles.redis (brokers) or roles.pacemaker (cluster nodes)' };
  const skipped: RebalancePlanArgs['skipped'] = {};
  // Queue work does not follow host loads: idle consumers' entries are claimed whatever the band says.
  const queues = args.levers.includes('queues') && ctx.facts.queues ? planQueueLever(ctx.inventory, ctx.facts.queues, args.idleSeconds * 1000, args.timeoutMs) : undefined;
  if (typeof queues === 'string') skipped.queues = queues;
  const qu = typeof queues === 'object' ? queues : undefined;
  // Stale constraints do not follow host loads either.
  const stale = args.levers.includes('pacemaker-stale') ? pacemakerStaleParts(ctx.facts.pacemaker, ctx.now, args) : undefined;
  if (typeof stale === 'string') skipped['pacemaker-stale'] = stale;
  const st = typeof stale === 'object' ? stale : undefined;
  const steady = steadyForecast(loads, args.band);
  const inBand =
    loads.hosts.length === 0
      ? `no host's load could be read: ${loads.unknown.map((u) => u.why).join('; ') || 'the inventory has no host'}`
      : steady.hosts.every((h) => h.balanceBefore === 'balanced')
        ? `nothing to rebalance: every host is within ±${args.band} of the target ${Math.round(steady.target.before)}%`
        : undefined;
  if (inBand && !qu && !st) return { refused: true, reason: skipped.queues ? `${inBand}; queues: ${skipped.queues}` : inBand };
  const loadLevers = inBand ? [] : args.levers;
  for (const lever of args.levers.filter((l) => l !== 'queues' && l !== 'pacemaker-stale' && !loadLevers.includes(l))) skipped[lever] = inBand!;

  const haproxy = loadLevers.includes('haproxy') ? planHaproxyLever(ctx.inventory, ctx.facts.haproxy ?? [], loads.hosts, args) : undefined;
  if (typeof haproxy === 'string') skipped.haproxy = haproxy;
  const etcd = loadLevers.includes('etcd') && ctx.facts.etcd ? planEtcdLever(ctx, ctx.facts.etcd, loads.hosts, args) : undefined;
  if (typeof etcd === 'string') skipped.etcd = etcd;
  const moves = loadLevers.includes('pacemaker') ? pacemakerMoveParts(ctx.inventory, ctx.facts.pacemaker, loads.hosts, args) : undefined;
  if (typeof moves === 'object' && 'refused' in moves) return moves;
  if (typeof moves === 'string') skipped.pacemaker = moves;
  const pm = typeof moves === 'object' ? moves : undefined;
  const balanced = loadLevers.includes('pacemaker-balanced') ? pacemakerBalancedParts(ctx.inventory, ctx.facts.pacemaker, loads.hosts, args) : undefined;
  if (typeof balanced === 'object' && 'refused' in balanced) return balanced;
  if (typeof balanced === 'string') skipped['pacemaker-balanced'] = balanced;
  const pcmk: LeverParts[] = [...(pm ? [pm] : []), ...(typeof balanced === 'object' ? [balanced] : []), ...(st ? [st] : [])];
  const hp = typeof haproxy === 'object' ? haproxy : undefined;
  const ed = typeof etcd === 'object' ? etcd : undefined;
  const why = Object.entries(skipped).map(([l, w]) => `${l}: ${w}`).join('; ');
  if (args.leversNamed && why) return { refused: true, reason: `nothing to rebalance with --lever ${args.levers.join(' ')}: ${why}` };
  if (!hp && !ed && !qu && pcmk.length === 0) return { refused: true, reason: `nothing to rebalance: ${why}` };

  const forecast: RebalancePlanArgs['forecast'] = hp ? { target: hp.weights.target, spread: hp.weights.spread, hosts: hp.weights.hosts, band: hp.weights.band } : pm?.loadsAfter ? steadyForecast(loads, args.band, pm.loadsAfter) : steady;
  const steps: Step[] = [...(hp?.steps ?? []), ...(ed?.plan.steps ?? []), ...(qu?.steps ?? []), ...pcmk.flatMap((p) => p.steps)];
  const changes: Change[] = (hp?.weights.changes ?? []).map((c) => ({ target: `${c.lb} ${c.backend}/${c.server}`, what: 'weight (share)', before: `${c.before} (${pct(c.shareBefore)})`, after: `${c.after} (${pct(c.shareAfter)})` }));
  if (ed) changes.push({ target: 'etcd', what: 'leader', before: `${ed.change.before} on ${ed.change.fromHost}`, after: `${ed.change.after} on ${ed.change.toHost}` });
  for (const c of qu?.plan.changes ?? []) changes.push({ target: `${c.broker} ${c.stream}/${c.group} ${c.consumer}`, what: 'pending entries', before: String(c.before), after: String(c.after) });
  for (const c of qu?.leaders ?? []) changes.push({ target: `${c.broker} rabbitmq ${c.node}`, what: 'queue leaders (predicted)', before: String(c.before), after: String(c.after) });
  changes.push(...pcmk.flatMap((p) => p.changes));
  for (const h of forecast.hosts.filter((x) => Math.abs(x.after - x.before) >= 0.5)) changes.push({ target: h.id, what: 'load (predicted)', before: `${Math.round(h.before)}% ${h.balanceBefore}`, after: `${Math.round(h.after)}% ${h.balanceAfter}` });
  const preconditions: Precondition[] = [...(hp?.preconditions ?? []), ...(qu?.preconditions ?? []), ...pcmk.flatMap((p) => p.preconditions)];
  if (loads.unknown.length > 0) preconditions.push({ what: 'every host\'s load is known', ok: false, detail: `left out: ${loads.unknown.map((u) => u.why).join('; ')}` });
  for (const [lever, reason] of Object.entries(skipped)) preconditions.push({ what: `${lever}: nothing to move`, ok: true, detail: reason });
  const planArgs: RebalancePlanArgs = {
    ...args,
    ...(hp && { haproxy: { changes: hp.weights.changes.map(({ lb, backend, server, before, after, shareBefore, shareAfter }) => ({ lb, backend, server, before, after, shareBefore, shareAfter })), servers: hp.weights.backends.flatMap((b) => b.servers), fraction: hp.weights.fraction } }),
    ...(ed && { etcd: { changes: [ed.change], plan: ed.plan } }),
    ...(qu && { queues: { changes: qu.plan.changes, claims: qu.plan.claims, leaders: qu.leaders } }),
    ...Object.assign({}, ...pcmk.map((p) => p.args)),
    skipped,
    forecast,
    unknownLoads: loads.unknown,
  };
  const parts = [
    ...(hp ? [`${hp.weights.changes.length} HAProxy weight${hp.weights.changes.length === 1 ? '' : 's'}${hp.weights.fraction < 1 ? ` (${Math.round(hp.weights.fraction * 100)} % of the step: all of it would widen the spread)` : ''}`] : []),
    ...(ed ? [`etcd leader ${ed.change.before} → ${ed.change.after}`] : []),
    ...(qu && qu.plan.claims.length > 0 ? [`${qu.plan.claims.reduce((n, c) => n + c.entries, 0)} pending entries of consumers idle over ${args.idleSeconds} s claimed (${qu.plan.claims.map((c) => `${c.stream}/${c.group} → ${c.claimer}`).join(', ')})`] : []),
    ...(qu && qu.leaders.length > 0 ? [`RabbitMQ queue leaders spread over ${qu.leaders.length} nodes`] : []),
    ...pcmk.map((p) => p.title),
  ];
  const verify = [
    ...(hp ? [`re-read 'show stat' on ${[...new Set(hp.steps.map((s) => s.hostId))].join(', ')}: every server has its new weight; then, after ${args.settleSeconds} s, the measured request rate per server against the predicted share`] : []),
    ...(ed ? [ed.plan.verify] : []),
    ...(qu && qu.plan.claims.length > 0 ? ['re-read XINFO CONSUMERS: each consumer claimed from is down to its planned pending count (the claimer\'s is reported)'] : []),
    ...(qu && qu.leaders.length > 0 ? ['re-read the queue leaders per node: at least as evenly spread as planned'] : []),
    ...pcmk.map((p) => p.verify),
    `each host's load against the band (±${args.band})`,
  ];
  return {
    id: ctx.newId(),
    action: 'rebalance',
    title: `rebalance ${args.strategy}: ${parts.join('; ')}; spread ${Math.round(forecast.spread.before)} → ${Math.round(forecast.spread.after)} points`,
    args: planArgs as unknown as Record<string, unknown>,
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [...new Set(steps.map((s) => s.hostId))],
    locks: [...(hp?.locks ?? []), ...(ed?.plan.locks ?? []), ...(qu?.locks ?? []), ...pcmk.flatMap((p) => p.locks)],
    changes,
    preconditions,
    risk: { clusters: [], reasons: [...(hp?.risks ?? []), ...(ed?.plan.risk.reasons ?? [])] },
    steps,
    undo: [...(hp?.undo ?? []), ...pcmk.flatMap((p) => p.undo)],
    concurrency: steps.length,
    failurePolicy: 'continue',
    completion: 'all',
    verify: verify.join('; '),
  };
}
