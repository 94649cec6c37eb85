// The pure planner of `rebalance`: host loads and every LB's runtime state
// in, one engine Plan out. HAProxy lever: the weight planner's changes, one
// `set server ... weight` line per LB (every change of that LB, sent at once),
// its undo the weights each LB had, a lock per server as haproxy.weight takes.
import type { HaproxyRole } from '../../inventory/types.js';
import type { Change, Plan, Precondition, Step } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import { adminApplyCommand } from '../failover/haproxy/haproxy-admin-socket.js';
import type { HaproxyFacts } from '../failover/haproxy/haproxy-observe.js';
import { inRotation } from '../failover/haproxy/haproxy-plan.js';
import { reloadVerdict } from '../failover/haproxy/haproxy-reload-state.js';
import type { HostLoads } from './host-loads.js';
import type { ModelBackend } from './load-model.js';
import { resolveArgs, type RebalanceArgs, type ResolvedArgs } from './rebalance-args.js';
import { planWeights, type ServerWeight, type WeightPlan } from './weight-plan.js';

export interface RebalanceFacts {
  loads: HostLoads;
  haproxy: HaproxyFacts;
}

/** What the JSON plan and the verify carry: per lever, every change before -> after. */
export interface RebalancePlanArgs extends ResolvedArgs {
  levers: ResolvedArgs['levers'];
  haproxy: { changes: Pick<ServerWeight, 'lb' | 'backend' | 'server' | 'before' | 'after' | 'shareBefore' | 'shareAfter'>[]; servers: ServerWeight[]; fraction: number };
  forecast: Pick<WeightPlan, 'target' | 'spread' | 'hosts' | 'band'>;
  unknownLoads: HostLoads['unknown'];
}

const pct = (share: number): string => `${Math.round(share * 100)}%`;

function modelBackends(facts: HaproxyFacts, hostIds: ReadonlySet<string>): ModelBackend[] {
  return facts.flatMap((lb) =>
    (lb.snapshot?.backends ?? []).flatMap((b) => {
      const servers = b.servers.map((s) => {
        const rt = lb.runtime?.find((r) => r.backend === b.name && r.server === s.name);
        const weight = rt?.userWeight ?? s.weight ?? 0;
        return { name: s.name, weight, inRotation: inRotation(s) && weight > 0, ...(hostIds.has(s.name) ? { hostId: s.name } : {}) };
      });
      return servers.some((s) => s.hostId !== undefined) ? [{ lb: lb.hostId, backend: b.name, servers }] : [];
    }),
  );
}

function lbSteps(ctx: PlanContext<RebalanceFacts>, args: ResolvedArgs, changes: ServerWeight[]): { steps: Step[]; undo: Step[]; preconditions: Precondition[] } {
  const steps: Step[] = [];
  const undo: Step[] = [];
  const preconditions: Precondition[] = [];
  for (const lb of [...new Set(changes.map((c) => c.lb))]) {
    const role = ctx.inventory.hosts.find((h) => h.id === lb)!.roles.haproxy as HaproxyRole;
    const mine = changes.filter((c) => c.lb === lb);
    const line = (w: (c: ServerWeight) => number) => mine.map((c) => `set server ${c.backend}/${c.server} weight ${w(c)}`).join(';');
    const label = `${mine.length} weight${mine.length === 1 ? '' : 's'}: ${mine.map((c) => `${c.backend}/${c.server} ${c.before}→${c.after}`).join(', ')}`;
    steps.push({ id: `rebalance:haproxy:${lb}`, hostId: lb, label, spec: { kind: 'command', command: adminApplyCommand(role, line((c) => c.after)) }, timeoutMs: args.timeoutMs, retries: 1 });
    undo.push({ id: `undo:rebalance:haproxy:${lb}`, hostId: lb, label: `weights back: ${mine.map((c) => `${c.server} ${c.before}`).join(', ')}`, spec: { kind: 'command', command: adminApplyCommand(role, line((c) => c.before)) }, timeoutMs: args.timeoutMs, retries: 1 });
    const facts = ctx.facts.haproxy.find((f) => f.hostId === lb)!;
    for (const backend of [...new Set(mine.map((c) => c.backend))]) {
      const config = facts.config;
      const verdict = config && 'text' in config ? reloadVerdict(config.text, backend) : { survives: false, detail: `the config could not be read (${config?.error ?? 'not read'})` };
      preconditions.push({ what: `${lb}: the weights of ${backend} survive a HAProxy reload`, ok: verdict.survives, detail: verdict.detail });
    }
    preconditions.push({ what: `${lb}: runtime API reached`, ok: true, detail: `via ${facts.via}` });
  }
  return { steps, undo, preconditions };
}

export function planRebalance(ctx: PlanContext<RebalanceFacts>, raw: RebalanceArgs): Plan | Refusal {
  const args = resolveArgs(raw, ctx.inventory);
  const { loads, haproxy } = ctx.facts;
  if (loads.hosts.length === 0) return { refused: true, reason: `no host's load could be read: ${loads.unknown.map((u) => u.why).join('; ') || 'the inventory has no host'}` };
  if (haproxy.length === 0) return { refused: true, reason: 'no host of the inventory has the haproxy role: the HAProxy lever has nothing to move', hint: 'add roles.haproxy.socket to the LB hosts' };
  const unreadable = haproxy.filter((l) => !l.snapshot);
  if (unreadable.length === haproxy.length) return { refused: true, reason: `no LB's runtime API could be read: ${unreadable.map((l) => `${l.hostId}: ${l.error}`).join('; ')}` };
  const backends = modelBackends(haproxy, new Set(loads.hosts.map((h) => h.id)));
  if (backends.length === 0) return { refused: true, reason: 'no HAProxy server is named after a host whose load is known (a server counts for the host whose id is its name)' };
  const weights = planWeights({ hosts: loads.hosts, backends, strategy: args.strategy, band: args.band, maxStepPercent: args.maxStepPercent, seed: args.seed });
  const outside = weights.hosts.filter((h) => h.balanceBefore !== 'balanced');
  // The band is what stops flapping (seed C88): inside it, nothing moves.
  if (outside.length === 0) return { refused: true, reason: `nothing to rebalance: every host is within ±${args.band} of the target ${Math.round(weights.target.before)}%` };
  if (weights.changes.length === 0) {
    return { refused: true, reason: `nothing to rebalance: ${args.strategy} finds no weight change that narrows the spread (${outside.map((h) => `${h.id} ${Math.round(h.before)}%`).join(', ')} outside the band)` };
  }
  const { steps, undo, preconditions } = lbSteps(ctx, args, weights.changes);
  if (loads.unknown.length > 0) preconditions.push({ what: 'every host\'s load is known', ok: false, detail: `left out: ${loads.unknown.map((u) => u.why).join('; ')}` });
  const changes: Change[] = weights.changes.map((c) => ({ target: `${c.lb} ${c.backend}/${c.server}`, what: 'weight (share)', before: `${c.before} (${pct(c.shareBefore)})`, after: `${c.after} (${pct(c.shareAfter)})` }));
  for (const h of weights.hosts.filter((x) => Math.abs(x.after - x.before) >= 0.5)) changes.push({ target: h.id, what: 'load (predicted)', before: `${Math.round(h.before)}% ${h.balanceBefore}`, after: `${Math.round(h.after)}% ${h.balanceAfter}` });
  const lbs = steps.map((s) => s.hostId);
  const planArgs: RebalancePlanArgs = {
    ...args,
    haproxy: { changes: weights.changes.map(({ lb, backend, server, before, after, shareBefore, shareAfter }) => ({ lb, backend, server, before, after, shareBefore, shareAfter })), servers: weights.backends.flatMap((b) => b.servers), fraction: weights.fraction },
    forecast: { target: weights.target, spread: weights.spread, hosts: weights.hosts, band: weights.band },
    unknownLoads: loads.unknown,
  };
  const step = weights.fraction < 1 ? ` (${Math.round(weights.fraction * 100)} % of its step: all of it would widen the spread)` : '';
  return {
    id: ctx.newId(),
    action: 'rebalance',
    title: `rebalance ${args.strategy}: ${weights.changes.length} HAProxy weight${weights.changes.length === 1 ? '' : 's'} on ${lbs.join(', ')}${step}; spread ${Math.round(weights.spread.before)} → ${Math.round(weights.spread.after)} points`,
    args: planArgs as unknown as Record<string, unknown>,
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: lbs,
    locks: weights.changes.map((c) => `haproxy:${c.lb}:${c.backend}/${c.server}`),
    changes,
    preconditions,
    risk: { clusters: [], reasons: unreadable.map((l) => `${l.hostId} could not be read (${l.error}): the change does not reach it`) },
    steps,
    undo,
    concurrency: lbs.length,
    failurePolicy: 'continue',
    completion: 'all',
    verify: `re-read 'show stat' on ${lbs.join(', ')}: every server has its new weight; then, after ${args.settleSeconds} s, the measured request rate per server against the predicted share, and each host's load against the band (±${args.band})`,
  };
}
