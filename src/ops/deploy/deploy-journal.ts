// A deploy step's end as a journal record, the same shape the engine's runner writes.
import { tail, type JournalRecord } from '../engine/journal.js';
import type { Step } from '../engine/plan.js';
import type { AttemptResult } from '../engine/run-step.js';

export function journalRecordEnd(step: Step, attempt: number, a: AttemptResult): JournalRecord {
  return { t: 'step-end', at: Date.now(), step: step.id, host: step.hostId, attempt, outcome: a.outcome, rc: a.rc, durationMs: Math.round(a.durationMs), stdout: tail(a.stdout), stderr: tail(a.stderr), error: a.error };
}
