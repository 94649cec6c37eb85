// Verify of `rebalance`: every LB's `show stat` (the probe's command and
// parser) shows each server's new weight; then, after the settle time, the
// request rate HAProxy measured per server (its `rate`, sampled once a
// second) against the predicted share, and each host's load against the band.
// Weights decide ok/failed; the measured shares and the band are reported.
// The queue lever: each consumer claimed from is down to its planned pending.
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../../probes/haproxy.js';
import type { Outcome, Plan } from '../engine/plan.js';
import type { LiveContext, VerifyResult } from '../engine/registry.js';
import { runOnHost, sleep } from '../failover/host-command.js';
import { verifyEtcd } from '../failover/etcd/etcd-verify.js';
import { judge } from '../failover/haproxy/haproxy-verify.js';
import { readHostLoads } from './host-loads.js';
import { verifyBalancedLever, verifyPacemakerLever, verifyStaleLever } from './pacemaker-lever-verify.js';
import { verifyQueues } from './queue-lever.js';
import { balances, spreadOf } from './load-model.js';
import type { RebalancePlanArgs } from './rebalance-plan.js';

const READ_TIMEOUT_MS = 10_000;
const WEIGHT_SETTLE_MS = 3_000;
const POLL_MS = 250;
const RATE_EVERY_MS = 1_000;

const pct = (v: number): string => `${Math.round(v * 100)}%`;

async function readLb(ctx: LiveContext, lb: string): Promise<HaproxySnapshot | string> {
  const role = ctx.inventory.hosts.find((h) => h.id === lb)?.roles.haproxy;
  if (!role) return `${lb} has no haproxy role`;
  const r = await runOnHost(ctx, lb, haproxyProbeCommand(role), READ_TIMEOUT_MS);
  if (!r.ok) return r.error;
  const parsed = parseHaproxyProbe(r.result.stdout);
  return parsed.kind === 'snapshot' ? parsed.snapshot : `${lb}: ${parsed.message}`;
}

type Haproxy = NonNullable<RebalancePlanArgs['haproxy']>;

async function verifyWeights(ctx: LiveContext, lb: string, args: { haproxy: Haproxy }): Promise<{ outcome: Outcome; note: string }> {
  const expected = args.haproxy.changes.filter((c) => c.lb === lb);
  const deadline = Date.now() + WEIGHT_SETTLE_MS;
  for (;;) {
    const snap = await readLb(ctx, lb);
    if (typeof snap === 'string') return { outcome: 'unknown', note: snap };
    const said = expected.map((c) => {
      const server = snap.backends.find((b) => b.name === c.backend)?.servers.find((s) => s.name === c.server);
      return server ? { c, ...judge(server, { weight: c.after }) } : { c, ok: false, said: 'no longer listed' };
    });
    const bad = said.filter((s) => !s.ok);
    if (bad.length === 0) return { outcome: 'ok', note: `${lb}: ${said.map((s) => `${s.c.server} ${s.said}`).join(', ')}` };
    if (Date.now() >= deadline) return { outcome: 'failed', note: `${lb}: ${bad.map((s) => `${s.c.backend}/${s.c.server} expected weight ${s.c.after}, ${s.said}`).join('; ')}` };
    await sleep(POLL_MS);
  }
}

/** Mean measured share per server of each changed backend on the first LB, over the settle time. */
async function measureShares(ctx: LiveContext, args: RebalancePlanArgs & { haproxy: Haproxy }): Promise<string> {
  const first = args.haproxy.changes[0]!;
  const servers = args.haproxy.servers.filter((s) => s.lb === first.lb && s.backend === first.backend);
  const sums = new Map<string, number>(servers.map((s) => [s.server, 0]));
  let samples = 0;
  const until = Date.now() + args.settleSeconds * 1000;
  while (Date.now() < until) {
    await sleep(Math.min(RATE_EVERY_MS, Math.max(0, until - Date.now())));
    const snap = await readLb(ctx, first.lb);
    if (typeof snap === 'string') continue;
    const backend = snap.backends.find((b) => b.name === first.backend);
    if (!backend) continue;
    for (const s of backend.servers) if (sums.has(s.name)) sums.set(s.name, sums.get(s.name)! + (s.rate ?? 0));
    samples++;
  }
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  const where = `${first.lb} ${first.backend} over ${args.settleSeconds} s`;
  if (samples === 0) return `measured shares (${where}): show stat could not be read`;
  if (total === 0) return `measured shares (${where}): no traffic`;
  const perSecond = (total / samples).toFixed(1);
  return `measured shares (${where}, ${perSecond} req/s): ${servers.map((s) => `${s.server} ${pct(sums.get(s.server)! / total)} (predicted ${pct(s.shareAfter)})`).join(', ')}`;
}

async function bandNow(ctx: LiveContext, args: RebalancePlanArgs): Promise<string> {
  const loads = await readHostLoads(ctx);
  if (loads.hosts.length === 0) return 'band: no host load could be read';
  const { target } = spreadOf(loads.hosts, loads.hosts.map((h) => h.load));
  const balance = balances(loads.hosts.map((h) => h.load), target, args.band);
  const outside = loads.hosts.flatMap((h, i) => (balance[i] === 'balanced' ? [] : [`${h.id} ${Math.round(h.load)}% ${balance[i]}`]));
  return `band: target ${Math.round(target)}% ±${args.band}: ${outside.length === 0 ? `all ${loads.hosts.length} hosts within` : `${loads.hosts.length - outside.length}/${loads.hosts.length} within; outside: ${outside.join(', ')}`}`;
}

const worst = (outcomes: Outcome[]): Outcome => (outcomes.includes('failed') ? 'failed' : outcomes.includes('unknown') ? 'unknown' : 'ok');

export async function verifyRebalance(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as RebalancePlanArgs;
  const { haproxy, etcd, queues, pacemaker, staleConstraints, balanced } = args;
  const notes: string[] = [];
  const outcomes: Outcome[] = [];
  const hosts: Record<string, Outcome> = {};
  if (haproxy) {
    const lbs = [...new Set(haproxy.changes.map((c) => c.lb))];
    const results = await Promise.all(lbs.map(async (lb) => [lb, await verifyWeights(ctx, lb, { haproxy })] as const));
    for (const [lb, r] of results) hosts[lb] = r.outcome;
    const outcome = worst(results.map(([, r]) => r.outcome));
    outcomes.push(outcome);
    notes.push(`show stat: ${results.map(([, r]) => r.note).join('; ')}`);
    if (outcome === 'ok' && args.settleSeconds > 0) notes.push(await measureShares(ctx, { ...args, haproxy }));
  }
  if (etcd) {
    const r = await verifyEtcd(ctx, etcd.plan);
    outcomes.push(r.outcome);
    for (const h of etcd.plan.targets) hosts[h] = r.outcome;
    notes.push(`etcd: ${r.detail}`);
  }
  if (queues) {
    const r = await verifyQueues(ctx, queues);
    outcomes.push(r.outcome);
    Object.assign(hosts, r.hosts);
    notes.push(`queues: ${r.note}`);
  }
  if (pacemaker) {
    const r = await verifyPacemakerLever(ctx, pacemaker.clusters);
    outcomes.push(r.outcome);
    Object.assign(hosts, r.hosts);
    notes.push(r.note);
  }
  if (balanced) {
    const r = await verifyBalancedLever(ctx, balanced.clusters);
    outcomes.push(r.outcome);
    notes.push(r.note);
  }
  if (staleConstraints) {
    const r = await verifyStaleLever(ctx, staleConstraints.clusters);
    outcomes.push(r.outcome);
    notes.push(r.note);
  }
  notes.push(await bandNow(ctx, args));
  return { outcome: worst(outcomes), detail: notes.join('; '), hosts };
}
