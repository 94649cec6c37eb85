// One action run end to end, after the plan was confirmed:
// lock -> journal begin -> steps -> verify -> syslog line per host and unlock -> journal end.
// Resume and rollback of a journaled run go through here too, appending to
// the same journal.
import { quote } from 'shell-quote';
import type { Transport } from '../../transport/types.js';
import { JournalWriter, type JournalRecord } from './journal.js';
import { LockHeldError, type HeldLock, type LockManager } from './locks/lock-types.js';
import { isAliveHere, operatorLabel, type Operator } from './operator.js';
import type { ActionState, Plan, Step } from './plan.js';
import type { AnyAction, LiveContext, Refusal, VerifyResult } from './registry.js';
import type { RunControl } from './run-control.js';
import { runPlan, runUndo, type RunHooks, type RunResult, type StepResult } from './runner.js';

export interface ExecuteDeps {
  live: LiveContext;
  locks: LockManager;
  journalDir: string;
  who: Operator;
}

export type FinalState = Exclude<ActionState, 'running' | 'interrupted'>;

export interface ActionResult {
  plan: Plan;
  state: FinalState;
  run: RunResult;
  verify: VerifyResult;
  journal: string;
}

export interface ExecuteOptions {
  hooks?: RunHooks;
  control?: RunControl;
  /** Resume: steps journaled ok earlier, not run again. */
  earlier?: ReadonlyMap<string, StepResult>;
  /** Set for resume/rollback: the journal exists, this is its next chapter. */
  continues?: 'resume' | 'rollback';
}

const LOGGER_TIMEOUT_MS = 5000;

/** Takes the plan's locks; a lock left by an interrupted run of this very plan is taken over. */
async function takeLocks(plan: Plan, deps: ExecuteDeps, notes: string[]): Promise<HeldLock | Refusal | undefined> {
  if (plan.locks.length === 0) return undefined;
  const holder = { ...deps.who, action: plan.title, actionId: plan.id, since: Date.now() };
  for (let attempt = 0; attempt <= plan.locks.length; attempt++) {
    try {
      return await deps.locks.acquire(plan.locks, holder);
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      const h = err.holder;
      const orphan = h.actionId === plan.id && !isAliveHere({ user: h.user, host: h.host, pid: h.pid });
      if (!orphan) return { refused: true, reason: err.message, hint: 'wait for it to finish, or break the lock with a typed confirmation' };
      await deps.locks.breakLock(err.key);
      notes.push(`lock ${err.key} of the interrupted run (pid ${h.pid}) taken over`);
    }
  }
  return { refused: true, reason: `could not take the locks ${plan.locks.join(', ')}` };
}

/** `logger -t baton` on every target: the host's own log says who changed it. Best effort. */
async function syslogLine(plan: Plan, who: Operator, state: FinalState, transports: ReadonlyMap<string, Transport>): Promise<string[]> {
  const message = `${operatorLabel(who)} action ${plan.id} ${plan.action}: ${plan.title}: ${state}`.replace(/[\r\n\0]/g, ' ');
  const failures: string[] = [];
  await Promise.all(
    plan.targets.map(async (host) => {
      const t = transports.get(host);
      if (!t || t.state !== 'up') return failures.push(`${host}: not connected`);
      // Inline: one fork (logger itself) instead of two; it neither exits nor reads stdin.
      const r = await t.exec(`logger -t baton -- ${quote([message])}`, { timeoutMs: LOGGER_TIMEOUT_MS, inline: true }).catch((e: Error) => ({ code: null, stderr: e.message }));
      if (r.code !== 0) failures.push(`${host}: ${r.stderr.trim() || 'logger failed'}`);
    }),
  );
  return failures;
}

/** Gives the locks back; what went wrong, if anything (the lock expires anyway: its TTL). */
async function release(lock: HeldLock | undefined): Promise<string | undefined> {
  try {
    await lock?.release();
    return undefined;
  } catch (err) {
    return `could not give the locks back (${(err as Error).message}); they expire after their TTL`;
  }
}

export function finalState(verify: VerifyResult, run: RunResult): FinalState {
  if (verify.outcome === 'ok') return 'ok';
  // Rolled back only when no host kept its change: a deploy that went on past
  // a host it rolled back (on_failure: continue) is failed, and resumable.
  const kept = Object.entries(run.hostOutcomes).some(([host, o]) => o === 'ok' && !run.undo.some((u) => u.hostId === host));
  if (run.undo.length > 0 && run.undo.every((u) => u.outcome === 'ok') && !kept) return 'rolled-back';
  return verify.outcome;
}

export async function executeAction(plan: Plan, def: AnyAction, deps: ExecuteDeps, options: ExecuteOptions = {}): Promise<ActionResult | Refusal> {
  const notes: string[] = [];
  const lock = await takeLocks(plan, deps, notes);
  if (lock && 'refused' in lock) return lock;
  const journal = await JournalWriter.open(deps.journalDir, plan.id);
  const at = () => Date.now();
  try {
    const first: JournalRecord = options.continues
      ? { t: 'resume', at: at(), who: deps.who, mode: options.continues }
      : { t: 'begin', v: 1, at: at(), who: deps.who, plan };
    await journal.append(first);
    if (lock) await journal.append({ t: 'lock', at: at(), backend: lock.backend, keys: [...lock.keys], token: lock.token });
    for (const message of notes) await journal.append({ t: 'note', at: at(), message });
    lock?.onLost((reason) => void journal.append({ t: 'note', at: at(), message: `lock lost while running: ${reason}` }).catch(() => undefined));

    const runDeps = { transports: deps.live.transports, journal, earlier: options.earlier };
    let run: RunResult;
    let verify: VerifyResult;
    if (options.continues === 'rollback') {
      const undo = await runUndo(plan, plan.undo, runDeps, options.hooks);
      run = { results: [], undo, hostOutcomes: {}, outcome: undo.every((u) => u.outcome === 'ok') ? 'ok' : 'failed' };
      verify = { outcome: run.outcome, detail: `undo ${run.outcome} on ${undo.map((u) => `${u.hostId}: ${u.outcome}`).join(', ')}` };
    } else {
      run = await (def.run ?? runPlan)(plan, runDeps, options.hooks, options.control);
      verify = await def.verify(deps.live, plan, run).catch((err: Error): VerifyResult => ({ outcome: 'unknown', detail: `verify could not run: ${err.message}` }));
    }
    await journal.append({ t: 'verify', at: at(), outcome: verify.outcome, detail: verify.detail, hosts: verify.hosts });
    const state: FinalState = options.continues === 'rollback' ? (verify.outcome === 'ok' ? 'rolled-back' : 'failed') : finalState(verify, run);
    // Verified and journaled: the hosts' log lines and the unlock go out together.
    const [syslogFailures, unlocked] = await Promise.all([syslogLine(plan, deps.who, state, deps.live.transports), release(lock)]);
    if (syslogFailures.length > 0) await journal.append({ t: 'note', at: at(), message: `logger -t baton failed on ${syslogFailures.join('; ')}` });
    if (unlocked) await journal.append({ t: 'note', at: at(), message: unlocked });
    await journal.append({ t: 'end', at: at(), state });
    return { plan, state, run, verify, journal: journal.path };
  } finally {
    await journal.close();
    await lock?.release();
  }
}

/** Undo steps of the hosts whose steps the journal says ended ok (what a rollback may undo). */
export function undoFor(plan: Plan, hostsDone: readonly string[]): Step[] {
  const done = new Set(hostsDone);
  return plan.undo.filter((s) => done.has(s.hostId));
}
