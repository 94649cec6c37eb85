// The HAProxy lever of a rebalance: the weight planner over every LB's
// backends whose servers are named after hosts, then one `set server ...
// weight` line per LB (every change of that LB, sent at once), its undo the
// weights each LB had, a lock per server as haproxy.weight takes. Pure.
import type { HaproxyRole, Inventory } from '../../inventory/types.js';
import type { Precondition, Step } from '../engine/plan.js';
import { adminApplyCommand } from '../failover/haproxy/haproxy-admin-socket.js';
import type { HaproxyFacts } from '../failover/haproxy/haproxy-observe.js';
import { inRotation } from '../failover/haproxy/haproxy-plan.js';
import { reloadVerdict } from '../failover/haproxy/haproxy-reload-state.js';
import type { FleetHost, ModelBackend } from './load-model.js';
import type { ResolvedArgs } from './rebalance-args.js';
import { planWeights, type ServerWeight, type WeightPlan } from './weight-plan.js';

export interface HaproxyLever {
  weights: WeightPlan;
  steps: Step[];
  undo: Step[];
  preconditions: Precondition[];
  locks: string[];
  /** LBs that could not be read: the change does not reach them. */
  risks: string[];
}

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

/** The lever's plan, or why it has nothing to move. */
export function planHaproxyLever(inventory: Inventory, facts: HaproxyFacts, hosts: readonly FleetHost[], args: ResolvedArgs): HaproxyLever | string {
  if (facts.length === 0) return 'no host of the inventory has the haproxy role';
  const unreadable = facts.filter((l) => !l.snapshot);
  if (unreadable.length === facts.length) return `no LB's runtime API could be read: ${unreadable.map((l) => `${l.hostId}: ${l.error}`).join('; ')}`;
  const backends = modelBackends(facts, new Set(hosts.map((h) => h.id)));
  if (backends.length === 0) return 'no HAProxy server is named after a host whose load is known (a server counts for the host whose id is its name)';
  const weights = planWeights({ hosts, backends, strategy: args.strategy, band: args.band, maxStepPercent: args.maxStepPercent, seed: args.seed, allowZero: args.allowZero });
  if (weights.changes.length === 0) return `${args.strategy} finds no weight change that narrows the spread`;
  const steps: Step[] = [];
  const undo: Step[] = [];
  const preconditions: Precondition[] = [];
  for (const lb of [...new Set(weights.changes.map((c) => c.lb))]) {
    const role = inventory.hosts.find((h) => h.id === lb)!.roles.haproxy as HaproxyRole;
    const mine = weights.changes.filter((c) => c.lb === lb);
    const line = (w: (c: ServerWeight) => number) => mine.map((c) => `set server ${c.backend}/${c.server} weight ${w(c)}`).join(';');
    const label = `${mine.length} weight${mine.length === 1 ? '' : 's'}: ${mine.map((c) => `${c.backend}/${c.server} ${c.before}→${c.after}`).join(', ')}`;
    steps.push({ id: `rebalance:haproxy:${lb}`, hostId: lb, label, spec: { kind: 'command', command: adminApplyCommand(role, line((c) => c.after)) }, timeoutMs: args.timeoutMs, retries: 1 });
    undo.push({ id: `undo:rebalance:haproxy:${lb}`, hostId: lb, label: `weights back: ${mine.map((c) => `${c.server} ${c.before}`).join(', ')}`, spec: { kind: 'command', command: adminApplyCommand(role, line((c) => c.before)) }, timeoutMs: args.timeoutMs, retries: 1 });
    const lbFacts = facts.find((f) => f.hostId === lb)!;
    for (const backend of [...new Set(mine.map((c) => c.backend))]) {
      const config = lbFacts.config;
      const verdict = config && 'text' in config ? reloadVerdict(config.text, backend) : { survives: false, detail: `the config could not be read (${config?.error ?? 'not read'})` };
      preconditions.push({ what: `${lb}: the weights of ${backend} survive a HAProxy reload`, ok: verdict.survives, detail: verdict.detail });
    }
    preconditions.push({ what: `${lb}: runtime API reached`, ok: true, detail: `via ${lbFacts.via}` });
    for (const c of mine.filter((x) => x.after === 0)) preconditions.push({ what: `${lb}: ${c.backend}/${c.server} out of rotation (--allow-zero)`, ok: true, detail: 'weight 0: no new sessions, its sessions drain; it stays at 0 until haproxy.weight (or the undo) sets it back' });
  }
  return {
    weights,
    steps,
    undo,
    preconditions,
    locks: weights.changes.map((c) => `haproxy:${c.lb}:${c.backend}/${c.server}`),
    risks: unreadable.map((l) => `${l.hostId} could not be read (${l.error}): the change does not reach it`),
  };
}
