// An operator's YAML action as an engine action: the same registry, plan,
// confirmation, lock, journal and verify as the built-in ones. Variables are
// filled in per run site (shell-quoted); the filled-in sites are kept in the
// plan, so resume and verify use exactly what was confirmed.
import { foldNodeset } from '../../inventory/nodeset.js';
import type { ServiceKind } from '../../store/services.js';
import type { Plan, Step } from '../engine/plan.js';
import { isServiceRead, readServices, type ServiceRead } from '../engine/read-service.js';
import { UsageError, type ActionDefinition, type LiveContext, type PlanContext, type Refusal, type VerifyResult } from '../engine/registry.js';
import type { RunResult } from '../engine/runner.js';
import { hostActionOptions } from '../target-args.js';
import { verifyOf, type CustomActionSpec, type CustomScope } from './custom-action-spec.js';
import { runSites, type RunSite } from './custom-sites.js';
import { checkState, stateServiceKind } from './custom-state.js';
import { fillTemplate } from './command-template.js';

export interface CustomArgs {
  target: string;
  parallel: number;
  timeoutMs: number;
}

export interface CustomFacts {
  reads: ServiceRead[];
  /** Services that could not be read, with why. */
  unread: string[];
}

const TARGET_WORD: Record<CustomScope, string> = {
  host: 'HOST',
  selection: 'FILTER',
  group: 'GROUP',
  'haproxy.server': 'BACKEND/SERVER',
  'haproxy.backend': 'BACKEND',
  'pacemaker.resource': 'RESOURCE',
  'pacemaker.node': 'NODE',
  'etcd.member': 'MEMBER',
};

const STATE_POLL_MS = 1000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function readFor(ctx: LiveContext, scope: CustomScope): Promise<CustomFacts> {
  const kind = stateServiceKind(scope) as ServiceKind | undefined;
  if (!kind) return { reads: [], unread: [] };
  const all = await readServices(ctx, kind);
  return { reads: all.filter(isServiceRead), unread: all.flatMap((r) => (isServiceRead(r) ? [] : [`${r.kind} ${r.key}: ${r.error}`])) };
}

/** Where the action runs is kept in the plan's args: verify and resume read it back. */
const sitesOf = (plan: Plan): RunSite[] => (plan.args as { sites: RunSite[] }).sites;

export function customAction(spec: CustomActionSpec, source: string): ActionDefinition<CustomArgs, CustomFacts> {
  const verify = verifyOf(spec);
  const hostVars = (ctx: PlanContext<CustomFacts>, hostId: string) => ctx.state.hosts[hostId]?.spec.vars ?? {};

  const plan = (ctx: PlanContext<CustomFacts>, args: CustomArgs): Plan | Refusal => {
    const sites = runSites(ctx.state, spec.scope, args.target, ctx.now, ctx.facts.reads);
    if (!Array.isArray(sites)) return ctx.facts.unread.length ? { ...sites, hint: `${sites.hint ?? ''}; not read: ${ctx.facts.unread.join('; ')}` } : sites;
    const steps: Step[] = [];
    for (const [i, site] of sites.entries()) {
      let command: string;
      try {
        command = fillTemplate(spec.command, site.values, hostVars(ctx, site.hostId));
      } catch (err) {
        return { refused: true, reason: `${spec.name} on ${site.hostId}: ${(err as Error).message}`, hint: `set it in the inventory (vars:) or change ${source}` };
      }
      steps.push({ id: `${spec.name}:${i}:${site.hostId}`, hostId: site.hostId, label: command, spec: { kind: 'command', command }, timeoutMs: args.timeoutMs, retries: 0 });
    }
    const hosts = [...new Set(sites.map((s) => s.hostId))];
    const items = sites.map((s) => s.item);
    return {
      id: ctx.newId(),
      action: spec.name,
      title: `${spec.name} ${args.target}`,
      args: { ...args, sites },
      inventory: ctx.inventory.file ?? ctx.inventory.name,
      createdAt: ctx.now,
      targets: hosts,
      locks: spec.dangerous ? [...new Set(items)] : [],
      changes: [{ target: items.length > 3 ? foldNodeset(hosts) : items.join(', '), what: spec.description ?? 'runs', before: '-', after: spec.command }],
      // A host action is planned from the store's connection states; a service action from what observe read.
      preconditions: stateServiceKind(spec.scope)
        ? [{ what: `${stateServiceKind(spec.scope)} read fresh`, ok: ctx.facts.unread.length === 0, detail: ctx.facts.unread.join('; ') || undefined }]
        : hosts.map((h) => ({ what: `${h} connected`, ok: ctx.state.hosts[h]?.conn === 'up', detail: ctx.state.hosts[h]?.conn })),
      risk: { clusters: [], reasons: [] },
      steps,
      undo: [],
      concurrency: args.parallel,
      failurePolicy: 'continue',
      completion: 'all',
      verify: verify?.command ? `${verify.command} exits 0 on each host` : verify?.state ? `${TARGET_WORD[spec.scope]} is ${verify.state} within ${verify.withinSeconds} s` : 'the command exits 0 on each host',
    };
  };

  const verifyRun = async (ctx: LiveContext, p: Plan, run: RunResult): Promise<VerifyResult> => {
    const sites = sitesOf(p);
    const failedSteps = run.results.filter((r) => r.outcome !== 'ok');
    if (run.outcome !== 'ok' || !verify) {
      return { outcome: run.outcome, detail: failedSteps.length ? `${failedSteps.length} step(s) not ok: ${failedSteps.map((r) => `${r.hostId} ${r.outcome}`).join(', ')}` : `every step ok on ${foldNodeset(p.targets)}` };
    }
    if (verify.command) return verifyByCommand(ctx, p, sites, verify.command, verify.withinSeconds);
    return verifyByState(ctx, spec.scope, sites, verify.state!, verify.withinSeconds);
  };

  return {
    name: spec.name,
    summary: `${spec.description ?? spec.command.split('\n')[0]} (${source})`,
    usage: `${TARGET_WORD[spec.scope]} [--parallel N] [--timeout S]`,
    scope: spec.scope,
    custom: { key: spec.key, confirm: spec.confirm || spec.dangerous, dangerous: spec.dangerous, source },
    parseArgs(argv, options) {
      if (argv.length !== 1) throw new UsageError(`${spec.name} takes one ${TARGET_WORD[spec.scope]}, got ${argv.length ? argv.map((a) => JSON.stringify(a)).join(' ') : 'none'}`);
      return { target: argv[0]!, ...hostActionOptions(options, { parallel: spec.parallel, timeoutSeconds: spec.timeout }) };
    },
    observe: (ctx) => readFor(ctx, spec.scope),
    plan,
    verify: verifyRun,
  };
}

async function verifyByCommand(ctx: LiveContext, plan: Plan, sites: RunSite[], template: string, withinSeconds: number): Promise<VerifyResult> {
  const deadline = Date.now() + withinSeconds * 1000;
  const hosts: Record<string, 'ok' | 'failed' | 'unknown'> = {};
  for (;;) {
    await Promise.all(
      sites.map(async (site) => {
        if (hosts[site.hostId] === 'ok') return;
        const t = ctx.transports.get(site.hostId);
        const vars = ctx.state.hosts[site.hostId]?.spec.vars ?? {};
        try {
          const r = await t!.exec(fillTemplate(template, site.values, vars), { timeoutMs: 30_000 });
          hosts[site.hostId] = r.timedOut ? 'unknown' : r.code === 0 ? 'ok' : 'failed';
        } catch {
          hosts[site.hostId] = 'unknown';
        }
      }),
    );
    const bad = Object.entries(hosts).filter(([, o]) => o !== 'ok');
    if (bad.length === 0) return { outcome: 'ok', detail: `verify command exits 0 on ${foldNodeset(plan.targets)}`, hosts };
    if (Date.now() >= deadline) {
      const outcome = bad.some(([, o]) => o === 'failed') ? 'failed' : 'unknown';
      return { outcome, detail: `verify command not ok on ${bad.map(([h, o]) => `${h} (${o})`).join(', ')}`, hosts };
    }
    await sleep(STATE_POLL_MS);
  }
}

async function verifyByState(ctx: LiveContext, scope: CustomScope, sites: RunSite[], wanted: string, withinSeconds: number): Promise<VerifyResult> {
  const deadline = Date.now() + withinSeconds * 1000;
  for (;;) {
    const kind = stateServiceKind(scope);
    const facts = kind ? await readFor(ctx, scope) : { reads: [], unread: [] };
    const checks = sites.map((s) => (kind ? checkState(scope, wanted, s, facts.reads) : hostUp(ctx, s)));
    const seen = checks.map((c) => c.seen).join('; ');
    if (checks.every((c) => c.holds)) return { outcome: 'ok', detail: `${wanted}: ${seen}` };
    if (Date.now() >= deadline) {
      // Nothing read at all: the action may well have worked; say so, never "failed".
      const outcome = facts.unread.length > 0 && facts.reads.length === 0 ? 'unknown' : 'failed';
      return { outcome, detail: `not ${wanted} after ${withinSeconds} s: ${seen}${facts.unread.length ? `; not read: ${facts.unread.join('; ')}` : ''}` };
    }
    await sleep(STATE_POLL_MS);
  }
}

function hostUp(ctx: LiveContext, site: RunSite) {
  const state = ctx.transports.get(site.hostId)?.state;
  return { holds: state === 'up', seen: `${site.hostId}: ${state ?? 'no connection'}` };
}
