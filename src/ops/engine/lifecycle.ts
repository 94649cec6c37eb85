// What can be done with a journaled run after the fact: resume (run only the
// steps not journaled ok, same plan), roll back (the undo of the hosts whose
// steps were ok) or abandon (journal that nobody will finish it).
import { executeAction, undoFor, type ActionResult, type ExecuteDeps, type ExecuteOptions } from './execute.js';
import { loadAction, type ActionSummary } from './history.js';
import { JournalWriter } from './journal.js';
import { operatorLabel } from './operator.js';
import type { ActionRegistry, Refusal } from './registry.js';
import type { StepResult } from './runner.js';

const RESUMABLE = new Set(['interrupted', 'failed', 'unknown']);

async function load(dir: string, id: string): Promise<ActionSummary | Refusal> {
  const summary = await loadAction(dir, id);
  if (!summary) return { refused: true, reason: `no readable journal for action ${id} in ${dir}` };
  if (summary.state === 'running') return { refused: true, reason: `action ${id} is still running (pid ${summary.who.pid} on ${summary.who.host})` };
  return summary;
}

/** Steps journaled ok, as the runner reports them without running them again. */
export function earlierResults(summary: ActionSummary): Map<string, StepResult> {
  const out = new Map<string, StepResult>();
  for (const step of summary.plan.steps) {
    const end = summary.steps.get(step.id);
    if (end?.outcome === 'ok') {
      out.set(step.id, { stepId: step.id, hostId: step.hostId, label: step.label, outcome: 'ok', rc: end.rc, stdout: end.stdout, stderr: end.stderr, durationMs: end.durationMs, attempts: end.attempt, earlier: true });
    }
  }
  return out;
}

export async function resumeAction(registry: ActionRegistry, deps: ExecuteDeps, id: string, options: ExecuteOptions = {}): Promise<ActionResult | Refusal> {
  const summary = await load(deps.journalDir, id);
  if ('refused' in summary) return summary;
  if (!RESUMABLE.has(summary.state)) return { refused: true, reason: `action ${id} is ${summary.state}: nothing to resume` };
  const def = registry.get(summary.plan.action);
  if (!def) return { refused: true, reason: `action ${id} was a ${summary.plan.action}, which this baton does not know` };
  return executeAction(summary.plan, def, deps, { ...options, earlier: earlierResults(summary), continues: 'resume' });
}

export async function rollbackAction(registry: ActionRegistry, deps: ExecuteDeps, id: string, options: ExecuteOptions = {}): Promise<ActionResult | Refusal> {
  const summary = await load(deps.journalDir, id);
  if ('refused' in summary) return summary;
  if (summary.plan.undo.length === 0) return { refused: true, reason: `action ${id} (${summary.plan.action}) has no undo` };
  if (summary.state === 'rolled-back' || summary.state === 'abandoned') return { refused: true, reason: `action ${id} is already ${summary.state}` };
  const undo = undoFor(summary.plan, summary.hostsDone);
  if (undo.length === 0) return { refused: true, reason: `action ${id}: no host has its steps journaled ok, nothing to undo` };
  const def = registry.get(summary.plan.action);
  if (!def) return { refused: true, reason: `action ${id} was a ${summary.plan.action}, which this baton does not know` };
  return executeAction({ ...summary.plan, undo }, def, deps, { ...options, continues: 'rollback' });
}

export async function abandonAction(deps: Pick<ExecuteDeps, 'journalDir' | 'who'>, id: string): Promise<ActionSummary | Refusal> {
  const summary = await load(deps.journalDir, id);
  if ('refused' in summary) return summary;
  if (!RESUMABLE.has(summary.state)) return { refused: true, reason: `action ${id} is ${summary.state}: only an interrupted, failed or unknown action can be abandoned` };
  const journal = await JournalWriter.open(deps.journalDir, id);
  try {
    await journal.append({ t: 'note', at: Date.now(), message: `abandoned by ${operatorLabel(deps.who)} (pid ${deps.who.pid}); hosts done: ${summary.hostsDone.join(',') || 'none'}` });
    await journal.append({ t: 'end', at: Date.now(), state: 'abandoned' });
  } finally {
    await journal.close();
  }
  return { ...summary, state: 'abandoned' };
}
