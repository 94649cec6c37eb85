// One round of a baton action as `baton exec --yes` / `baton copy --yes` runs
// it once its connections are up: parse, observe, plan, then the engine's
// executeAction (locks, journal with an fsync per record, steps, verify,
// `logger -t baton` on every host, unlock), timed by phase. The lock manager
// is wrapped, not replaced, so the phases cost what they cost for a user.
import { executeAction, type ActionResult } from '../../ops/engine/execute.js';
import { JournalWriter, type JournalSink } from '../../ops/engine/journal.js';
import type { HeldLock, LockManager } from '../../ops/engine/locks/lock-types.js';
import type { Operator } from '../../ops/engine/operator.js';
import { newActionId, type Plan } from '../../ops/engine/plan.js';
import { isRefusal, type AnyAction, type LiveContext, type VerifyResult } from '../../ops/engine/registry.js';
import { runPlan } from '../../ops/engine/runner.js';
import { verifyExec } from '../../ops/exec/exec-action.js';

export interface ActionBenchDeps {
  live: LiveContext;
  locks: LockManager;
  journalDir: string;
  who: Operator;
}

export interface ActionRound {
  totalMs: number;
  /** Reading what the planner shows (copy: every host's sha256 of the target). */
  observeMs: number;
  lockMs: number;
  /** First step sent .. last step settled. */
  stepsMs: number;
  /** Last step settled .. unlocked: verify, journal end, logger line, unlock. */
  afterMs: number;
  result: ActionResult;
}

/** Times acquire and release of the real lock manager. */
class TimedLocks implements LockManager {
  acquireMs = 0;

  constructor(private readonly inner: LockManager) {}

  get backend() {
    return this.inner.backend;
  }

  async acquire(keys: readonly string[], holder: Parameters<LockManager['acquire']>[1]): Promise<HeldLock> {
    const t0 = performance.now();
    try {
      return await this.inner.acquire(keys, holder);
    } finally {
      this.acquireMs = performance.now() - t0;
    }
  }

  holders(keys: readonly string[]) {
    return this.inner.holders(keys);
  }

  breakLock(key: string) {
    return this.inner.breakLock(key);
  }

  breakStep(key: string) {
    return this.inner.breakStep(key);
  }
}

/** The plan the CLI would make from parsed `args` (observe included), and how long observing took. */
export async function planAction(def: AnyAction, args: unknown, deps: ActionBenchDeps): Promise<{ plan: Plan; observeMs: number }> {
  const t0 = performance.now();
  const facts: unknown = def.observe ? await def.observe(deps.live, args) : undefined;
  const observeMs = performance.now() - t0;
  const now = Date.now();
  const plan = def.plan({ state: deps.live.state, inventory: deps.live.inventory, now, who: deps.who, newId: () => newActionId(now), facts }, args);
  if (isRefusal(plan)) throw new Error(`bench invalid: ${def.name} refused: ${plan.reason}`);
  return { plan, observeMs };
}

export async function timeActionRound(def: AnyAction, args: unknown, deps: ActionBenchDeps): Promise<ActionRound> {
  const t0 = performance.now();
  const { plan, observeMs } = await planAction(def, args, deps);
  const locks = new TimedLocks(deps.locks);
  let firstSent = Infinity;
  let lastSettled = 0;
  const result = await executeAction(
    plan,
    def,
    { ...deps, locks },
    {
      hooks: {
        onStepStart: () => (firstSent = Math.min(firstSent, performance.now())),
        onStep: () => (lastSettled = performance.now()),
      },
    },
  );
  const end = performance.now();
  if (isRefusal(result)) throw new Error(`bench invalid: ${def.name} refused: ${result.reason}`);
  if (result.state !== 'ok') throw new Error(`bench invalid: ${plan.title} ended ${result.state}: ${result.verify.detail}`);
  return { totalMs: end - t0, observeMs, lockMs: locks.acquireMs, stepsMs: lastSettled - firstSent, afterMs: end - lastSettled, result };
}

/** A journal whose appends cost nothing: the baseline of the journal overhead. */
export const NO_JOURNAL: JournalSink = { append: () => Promise.resolve() };

/**
 * An exec plan's steps through runPlan with the records executeAction
 * writes around them (begin with the whole plan, verify, end), journaled
 * for real (JournalWriter in `journalDir`: fsync per record) or not at all;
 * no locks or logger line, so the journal's share is not diluted.
 * Returns the milliseconds from opening the journal to closing it.
 */
export async function timeJournaledRun(plan: Plan, transports: LiveContext['transports'], who: Operator, journalDir: string | undefined): Promise<number> {
  const t0 = performance.now();
  const writer = journalDir === undefined ? undefined : await JournalWriter.open(journalDir, plan.id);
  const sink: JournalSink = writer ?? NO_JOURNAL;
  let outcome: VerifyResult;
  try {
    await sink.append({ t: 'begin', v: 1, at: Date.now(), who, plan });
    const run = await runPlan(plan, { transports, journal: sink });
    outcome = verifyExec(plan, run);
    await sink.append({ t: 'verify', at: Date.now(), outcome: outcome.outcome, detail: outcome.detail, hosts: outcome.hosts });
    await sink.append({ t: 'end', at: Date.now(), state: outcome.outcome });
  } finally {
    await writer?.close();
  }
  const ms = performance.now() - t0;
  if (outcome.outcome !== 'ok') throw new Error(`bench invalid: ${plan.title}: ${outcome.detail}`);
  return ms;
}
