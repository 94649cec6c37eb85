// A deploy step's end as a journal record, the same shape the engine's runner
// writes; and the records that take back a rolled-back host's steps.
import { tail, type JournalRecord } from '../engine/journal.js';
import type { Step } from '../engine/plan.js';
import type { AttemptResult } from '../engine/run-step.js';
import type { StepResult } from '../engine/runner.js';

export function journalRecordEnd(step: Step, attempt: number, a: AttemptResult): JournalRecord {
  return { t: 'step-end', at: Date.now(), step: step.id, host: step.hostId, attempt, outcome: a.outcome, rc: a.rc, durationMs: Math.round(a.durationMs), stdout: tail(a.stdout), stderr: tail(a.stderr), error: a.error };
}

/**
 * A host rolled back is no longer where its steps left it (`current` is back,
 * it was readied on the LBs): its steps that had ended ok are journaled again
 * as cancelled, so a resume takes the host through every stage once more
 * instead of skipping its switch as done.
 */
export function journalRecordsUndone(steps: readonly StepResult[], host: string, why: string): JournalRecord[] {
  return steps
    .filter((r) => r.outcome === 'ok')
    .map((r) => ({ t: 'step-end', at: Date.now(), step: r.stepId, host: r.hostId, attempt: r.attempts, outcome: 'cancelled', rc: null, durationMs: 0, stdout: '', stderr: '', error: `undone: ${host} was rolled back (${why}); a resume runs it again` }));
}
