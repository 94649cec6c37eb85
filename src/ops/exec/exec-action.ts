// `exec`: one shell command on many hosts (pssh / clush), with the seed's
// strategies: all, first-success, majority, all-or-nothing (with --undo on
// the hosts that succeeded). For exec the step results are the state the
// action meant to produce, so verify is the strategy's outcome.
import { foldNodeset } from '../../inventory/nodeset.js';
import { checkCommandText } from '../command-text.js';
import { COMPLETIONS, type Completion, type FailurePolicy, type Outcome, type Plan, type Step } from '../engine/plan.js';
import { UsageError, type ActionDefinition, type PlanContext, type Refusal } from '../engine/registry.js';
import type { RunResult } from '../engine/runner.js';
import { selectHosts } from '../select-hosts.js';
import { hostActionOptions } from '../target-args.js';

export interface ExecArgs {
  target: string;
  command: string;
  strategy: Completion;
  parallel: number;
  timeoutMs: number;
  undo?: string;
}

export const EXEC_DEFAULTS = { parallel: 32, timeoutSeconds: 60, strategy: 'all' as Completion };

/** all-or-nothing stops starting hosts at the first failure: fewer to undo. */
const POLICY: Record<Completion, FailurePolicy> = { all: 'continue', 'first-success': 'continue', majority: 'continue', 'all-or-nothing': 'stop' };

export function parseExecArgs(argv: string[], options: Record<string, unknown>): ExecArgs {
  const [target, ...words] = argv;
  if (!target) throw new UsageError('exec needs a target (a host filter such as group=web, or all) and a command');
  const command = checkCommandText(words.join(' '), 'the command');
  const strategy = (options.strategy ?? EXEC_DEFAULTS.strategy) as Completion;
  if (!COMPLETIONS.includes(strategy)) throw new UsageError(`--strategy must be one of ${COMPLETIONS.join(', ')}, got "${String(strategy)}"`);
  const undo = options.undo === undefined ? undefined : checkCommandText(String(options.undo), 'the --undo command');
  if (undo && strategy !== 'all-or-nothing') throw new UsageError('--undo applies to --strategy all-or-nothing only');
  return {
    target,
    command,
    strategy,
    ...hostActionOptions(options, EXEC_DEFAULTS),
    undo,
  };
}

export function planExec(ctx: PlanContext<unknown>, args: ExecArgs): Plan | Refusal {
  const hosts = selectHosts(ctx.state, args.target, ctx.now);
  if (hosts.length === 0) return { refused: true, reason: `no host matches "${args.target}"`, hint: 'baton hosts lists the inventory; filters: group=web, env=prod, a regex, or all' };
  const step = (prefix: string, host: string, command: string): Step => ({ id: `${prefix}:${host}`, hostId: host, label: command, spec: { kind: 'command', command }, timeoutMs: args.timeoutMs, retries: 0 });
  const up = hosts.filter((h) => ctx.state.hosts[h]?.conn === 'up');
  const nodeset = foldNodeset(hosts);
  return {
    id: ctx.newId(),
    action: 'exec',
    title: `exec ${JSON.stringify(args.command)} on ${nodeset}`,
    args: { ...args },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: hosts,
    // Hosts that are down get their step (it fails: not sent) but no lock.
    locks: up.map((h) => `host:${h}`),
    changes: [{ target: nodeset, what: 'runs', before: '-', after: args.command }],
    preconditions: hosts.map((h) => ({ what: `${h} connected`, ok: up.includes(h), detail: ctx.state.hosts[h]?.conn })),
    risk: { clusters: [], reasons: [] },
    steps: hosts.map((h) => step('exec', h, args.command)),
    undo: args.undo ? hosts.map((h) => step('undo', h, args.undo!)) : [],
    concurrency: args.parallel,
    failurePolicy: POLICY[args.strategy],
    completion: args.strategy,
    verify: `strategy ${args.strategy}: ${verifyText(args.strategy)}`,
  };
}

function verifyText(strategy: Completion): string {
  switch (strategy) {
    case 'all':
      return 'every host exits 0';
    case 'first-success':
      return 'one host exits 0 (the rest are cancelled)';
    case 'majority':
      return 'more than half the hosts exit 0 (the rest are cancelled once that is known)';
    case 'all-or-nothing':
      return 'every host exits 0, else the undo runs on the hosts that succeeded';
  }
}

export function verifyExec(plan: Plan, run: RunResult): { outcome: Outcome; detail: string; hosts: Record<string, Outcome> } {
  const hosts: Record<string, Outcome> = {};
  for (const [h, o] of Object.entries(run.hostOutcomes)) if (o !== 'cancelled') hosts[h] = o;
  const count = (o: string) => Object.values(run.hostOutcomes).filter((x) => x === o).length;
  const parts = [`${count('ok')}/${plan.targets.length} ok`, count('failed') && `${count('failed')} failed`, count('unknown') && `${count('unknown')} unknown`, count('cancelled') && `${count('cancelled')} cancelled`];
  if (run.undo.length > 0) parts.push(`undo on ${foldNodeset(run.undo.map((u) => u.hostId))}: ${run.undo.every((u) => u.outcome === 'ok') ? 'ok' : 'FAILED on ' + foldNodeset(run.undo.filter((u) => u.outcome !== 'ok').map((u) => u.hostId))}`);
  return { outcome: run.outcome, detail: `${plan.completion}: ${parts.filter(Boolean).join(', ')}`, hosts };
}

export const execAction: ActionDefinition<ExecArgs, unknown> = {
  name: 'exec',
  summary: 'run a shell command on the target hosts (pssh/clush), with a strategy',
  usage: 'TARGET COMMAND... [--strategy all|first-success|majority|all-or-nothing] [--undo CMD] [--parallel N] [--timeout S]',
  scope: 'selection',
  parseArgs: parseExecArgs,
  plan: planExec,
  verify: (_ctx, plan, run) => Promise.resolve(verifyExec(plan, run)),
};
