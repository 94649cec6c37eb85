// A drill whose process died mid-drill (the console killed, the machine
// rebooted) leaves a journal with no end: the fault may still be in place.
// Its begin record keeps the restore steps as run, so the next console can
// offer them: run them now (journaled in the same file, which then ends), or
// leave it for later (offered again at the next start).
import { listActions, type ActionSummary } from '../engine/history.js';
import { JournalWriter } from '../engine/journal.js';
import { LockHeldError, type HeldLock, type LockManager } from '../engine/locks/lock-types.js';
import { operatorLabel } from '../engine/operator.js';
import { throughDrillLock } from './drill-locks.js';
import { restoreAll } from './drill-runner.js';
import type { StepRecord } from './drill-run.js';
import type { StepDeps, StepOp } from './drill-steps.js';

export interface InterruptedDrill {
  summary: ActionSummary;
  drill: string;
  /** The restore steps the drill would have run. */
  restore: StepOp[];
  /** Whether the fault step ended ok before the process died (else it may or may not be in place). */
  injected: 'ok' | 'not journaled' | 'failed';
}

function restoreOf(summary: ActionSummary): StepOp[] {
  const steps = summary.plan.args.restore;
  return Array.isArray(steps) ? (steps as StepOp[]) : [];
}

/** Drill journals with no end whose process is gone, oldest first. */
export async function interruptedDrills(journalDir: string): Promise<InterruptedDrill[]> {
  return (await listActions(journalDir))
    .filter((a) => a.plan.action === 'drill' && a.state === 'interrupted')
    .map((summary) => {
      const inject = summary.steps.get('inject')?.outcome;
      return { summary, drill: String(summary.plan.args.drill ?? summary.plan.title), restore: restoreOf(summary), injected: inject === undefined ? 'not journaled' : inject === 'ok' ? 'ok' : 'failed' };
    });
}

/** Takes the drill's keys again; a hold left by the dead drill itself (same id) is broken first: it is this run's. */
async function retake(locks: LockManager, summary: ActionSummary, who: StepDeps['who']): Promise<HeldLock> {
  const keys = summary.plan.locks;
  const holder = { ...who, action: `restore of ${summary.plan.title}`, actionId: summary.id, since: Date.now() };
  try {
    return await locks.acquire(keys, holder);
  } catch (err) {
    if (!(err instanceof LockHeldError) || err.holder.actionId !== summary.id) throw err;
    for (const key of keys) await locks.breakLock(key);
    return locks.acquire(keys, holder);
  }
}

/**
 * Runs the journaled restore steps of an interrupted drill in its own
 * journal. Restored, the journal ends (rolled back); a step that fails
 * leaves it open, so the next start offers it again.
 */
export async function restoreInterrupted(drill: InterruptedDrill, deps: Omit<StepDeps, 'journal'>, log: (line: string) => void = () => undefined): Promise<{ restored: boolean; steps: StepRecord[] }> {
  const { summary } = drill;
  if (drill.restore.length === 0) return { restored: false, steps: [] };
  const lock = await retake(deps.locks, summary, deps.who);
  const journal = await JournalWriter.open(deps.journalDir, summary.id);
  let steps: StepRecord[] = [];
  try {
    await journal.append({ t: 'resume', at: Date.now(), who: deps.who, mode: 'rollback' });
    await journal.append({ t: 'note', at: Date.now(), message: `restore of the interrupted drill by ${operatorLabel(deps.who)} (pid ${deps.who.pid})` });
    steps = await restoreAll(drill.restore, { ...deps, locks: throughDrillLock(deps.locks, lock), journal }, log);
  } finally {
    const restored = steps.length === drill.restore.length && steps.every((s) => s.outcome === 'ok');
    const detail = steps.map((s) => `${s.label}: ${s.outcome}`).join('; ') || 'the restore did not run';
    await journal.append({ t: 'verify', at: Date.now(), outcome: restored ? 'ok' : 'failed', detail }).catch(() => undefined);
    await lock.release().catch(() => undefined);
    if (restored) await journal.append({ t: 'end', at: Date.now(), state: 'rolled-back' }).catch(() => undefined);
    await journal.close();
  }
  return { restored: steps.length > 0 && steps.every((s) => s.outcome === 'ok'), steps };
}
