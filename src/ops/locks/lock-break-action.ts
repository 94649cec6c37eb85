// `lock.break KEY`: removes an operator lock whoever holds it, for a holder
// that is gone but whose lock is not stale yet, or one that must be stopped.
// Dangerous by nature (the holder may still be running), so the plan names
// the holder and always asks for the typed word; the break itself is one
// journaled step on the host that keeps the lock (its lock file, or an
// etcd member), and verify reads the lock again.
import { describeHolder, type LockHolder } from '../../probes/lock-records.js';
import { createLockManager } from '../engine/locks/create-lock-manager.js';
import type { Plan } from '../engine/plan.js';
import { UsageError, type ActionDefinition, type LiveContext, type PlanContext, type Refusal, type VerifyResult } from '../engine/registry.js';

export interface LockBreakArgs {
  key: string;
}

export type LockBreakFacts = { backend: string; holder?: LockHolder; step: { hostId: string; command: string } } | { error: string };

async function observeLock(ctx: LiveContext, args: LockBreakArgs): Promise<LockBreakFacts> {
  try {
    const locks = createLockManager(ctx.inventory, ctx.transports);
    const holder = (await locks.holders([args.key])).get(args.key);
    return { backend: locks.backend, holder, step: locks.breakStep(args.key) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

export function planLockBreak(ctx: PlanContext<LockBreakFacts>, args: LockBreakArgs): Plan | Refusal {
  const facts = ctx.facts;
  if ('error' in facts) return { refused: true, reason: `cannot read the lock ${args.key}: ${facts.error}` };
  if (!facts.holder) return { refused: true, reason: `${args.key} is not locked`, hint: 'nothing to break' };
  const { step, holder } = facts;
  const held = describeHolder(holder);
  return {
    id: ctx.newId(),
    action: 'lock.break',
    title: `break the lock ${args.key} (held by ${held})`,
    args: { ...args, holderActionId: holder.actionId },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [step.hostId],
    locks: [],
    changes: [{ target: args.key, what: `lock (${facts.backend})`, before: held, after: 'free' }],
    preconditions: [],
    // Always typed: another action may still be running under this lock.
    risk: { clusters: [], reasons: [`${holder.user}@${holder.host}'s action ${holder.actionId} may still be running; breaking its lock lets another action run beside it`] },
    steps: [{ id: `break:${step.hostId}`, hostId: step.hostId, label: `break ${args.key}`, spec: { kind: 'command', command: step.command }, timeoutMs: 15_000, retries: 0 }],
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    verify: `${args.key} is free, or held by another action than ${holder.actionId}`,
  };
}

async function verifyLockBreak(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const { key, holderActionId } = plan.args as { key: string; holderActionId: string };
  const now = (await createLockManager(ctx.inventory, ctx.transports).holders([key])).get(key);
  if (!now) return { outcome: 'ok', detail: `${key} is free` };
  if (now.actionId !== holderActionId) return { outcome: 'ok', detail: `${key} is free of ${holderActionId}; since taken by ${describeHolder(now)}` };
  return { outcome: 'failed', detail: `${key} is still held by ${describeHolder(now)}` };
}

export const lockBreakAction: ActionDefinition<LockBreakArgs, LockBreakFacts> = {
  name: 'lock.break',
  summary: 'remove an operator lock whoever holds it (typed confirmation; journaled)',
  usage: 'KEY (e.g. host:web1, haproxy:lb1:app/web2)',
  // Not a host filter: the CLI connects nothing up front, observe reaches the lock's host.
  scope: 'baton.lock',
  parseArgs(argv) {
    if (argv.length !== 1 || argv[0] === '') throw new UsageError('lock.break takes one lock key, e.g. host:web1', 'a refused action names the key it could not take');
    return { key: argv[0]! };
  },
  observe: observeLock,
  plan: planLockBreak,
  verify: (ctx, plan) => verifyLockBreak(ctx, plan),
};
