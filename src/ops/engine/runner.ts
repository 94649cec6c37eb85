// Runs a plan's steps: at most `concurrency` hosts at once, a host's steps in
// order, batches one after another; retries with backoff for steps that
// allow them; the failure policy and the completion strategy decide when to
// stop starting steps and when to cancel (kill) running ones; every attempt
// is journaled before it is sent. Pause, resume and abort come through a
// RunControl the caller keeps.
import pLimit from 'p-limit';
import type { Transport } from '../../transport/types.js';
import { applyFailurePolicy, completionVerdict, hostOutcome, type HostProgress } from './completion.js';
import { tail, type JournalSink } from './journal.js';
import type { Outcome, Plan, Step, StepOutcome } from './plan.js';
import { RunControl } from './run-control.js';
import { runStepOnce } from './run-step.js';

export interface StepResult {
  stepId: string;
  hostId: string;
  label: string;
  outcome: StepOutcome;
  rc: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  attempts: number;
  error?: string;
  /** Journaled ok by an earlier process; not run again (resume). */
  earlier?: boolean;
}

export interface RunHooks {
  onStepStart?(step: Step, attempt: number): void;
  onStep?(result: StepResult): void;
}

export interface RunDeps {
  transports: ReadonlyMap<string, Transport>;
  journal?: JournalSink;
  /** Steps journaled ok by an earlier run of this plan (resume): reported, not run. */
  earlier?: ReadonlyMap<string, StepResult>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface RunResult {
  results: StepResult[];
  /** Undo steps run because an all-or-nothing action failed, on the hosts that had succeeded. */
  undo: StepResult[];
  hostOutcomes: Record<string, StepOutcome>;
  outcome: Outcome;
  /** Set when the run was aborted: which running steps were killed, which were let finish. */
  aborted?: { killed: string[]; finished: string[] };
}

export const BACKOFF_BASE_MS = 500;

/** 500 ms, 1 s, 2 s ... each scaled by a jitter in [0.5, 1.5). */
export function backoffMs(attempt: number, random: () => number): number {
  return BACKOFF_BASE_MS * 2 ** (attempt - 1) * (0.5 + random());
}

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function groupBy<T>(items: readonly T[], key: (t: T) => string | number): Map<string | number, T[]> {
  const out = new Map<string | number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

export async function runPlan(plan: Plan, deps: RunDeps, hooks: RunHooks = {}, control = new RunControl()): Promise<RunResult> {
  const results = new Map<string, StepResult>();
  const progress = new Map<string, HostProgress>(plan.targets.map((h) => [h, 'pending']));
  const sleep = deps.sleep ?? sleepMs;
  const random = deps.random ?? Math.random;
  let stopped = false;
  // A step's end is not waited for before the next step starts: the next
  // start's sync covers it (one file, written in order). Only a start must be
  // durable before its step is sent. All are waited for before the run ends.
  const ends: Promise<void>[] = [];
  let endNotWritten: Error | undefined;

  const settle = (r: StepResult) => {
    results.set(r.stepId, r);
    hooks.onStep?.(r);
  };
  const cancelled = (step: Step, error: string): StepResult => ({ stepId: step.id, hostId: step.hostId, label: step.label, outcome: 'cancelled', rc: null, stdout: '', stderr: '', durationMs: 0, attempts: 0, error });

  const runStep = async (step: Step): Promise<StepResult> => {
    const earlier = deps.earlier?.get(step.id);
    if (earlier) return { ...earlier, earlier: true };
    let last: StepResult | undefined;
    for (let attempt = 1; attempt <= 1 + step.retries; attempt++) {
      if (attempt > 1) await sleep(backoffMs(attempt - 1, random));
      const why = await control.gate();
      if (why || stopped) return cancelled(step, why ?? 'not started: the outcome was already known or the failure policy stopped the run');
      const signal = control.signalFor(step.id);
      await deps.journal?.append({ t: 'step-start', at: Date.now(), step: step.id, host: step.hostId, attempt });
      hooks.onStepStart?.(step, attempt);
      const a = await runStepOnce(step, deps.transports.get(step.hostId), signal);
      control.settled(step.id);
      const end = { t: 'step-end' as const, at: Date.now(), step: step.id, host: step.hostId, attempt, outcome: a.outcome, rc: a.rc, durationMs: Math.round(a.durationMs), stdout: tail(a.stdout), stderr: tail(a.stderr), error: a.error };
      if (deps.journal) ends.push(deps.journal.append(end).catch((err: Error) => void (endNotWritten ??= err)));
      last = { stepId: step.id, hostId: step.hostId, label: step.label, ...a, attempts: attempt };
      if (a.outcome === 'ok' || a.outcome === 'cancelled') break;
    }
    return last!;
  };

  const hostSettled = (hostId: string, outcome: StepOutcome) => {
    progress.set(hostId, outcome);
    if (outcome !== 'ok' && outcome !== 'cancelled' && plan.failurePolicy === 'stop') stopped = true;
    if (completionVerdict(plan.completion, [...progress.values()]).settled && [...progress.values()].includes('pending')) {
      // The outcome is known: nothing new starts, running steps are killed.
      stopped = true;
      control.killRunning();
    }
  };

  const runHost = async (hostId: string, steps: Step[]) => {
    const before = progress.get(hostId);
    if (before !== undefined && before !== 'pending') {
      for (const step of steps) settle(cancelled(step, `not started: ${hostId} ended ${before} in an earlier batch`));
      return before;
    }
    for (const [i, step] of steps.entries()) {
      const r = await runStep(step);
      settle(r);
      if (r.outcome !== 'ok') {
        for (const rest of steps.slice(i + 1)) settle(cancelled(rest, `not started: an earlier step on ${hostId} ended ${r.outcome}`));
        return r.outcome;
      }
    }
    return 'ok' as const;
  };

  const batches = [...groupBy(plan.steps, (s) => s.batch ?? 0).entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const hostSteps = new Map<string, StepOutcome[]>();
  for (const [, steps] of batches) {
    const limit = pLimit(Math.max(1, plan.concurrency));
    await Promise.all(
      [...groupBy(steps, (s) => s.hostId).entries()].map(([hostId, own]) =>
        limit(async () => {
          const outcome = await runHost(String(hostId), own);
          const all = [...(hostSteps.get(String(hostId)) ?? []), outcome];
          hostSteps.set(String(hostId), all);
          // A host is settled once its last batch ran (or it stopped early).
          const lastBatch = plan.steps.filter((s) => s.hostId === hostId).every((s) => results.has(s.id));
          if (lastBatch || outcome !== 'ok') hostSettled(String(hostId), hostOutcome(all));
        }),
      ),
    );
  }

  await Promise.all(ends);
  if (endNotWritten) throw endNotWritten;
  const ordered = plan.steps.map((s) => results.get(s.id) ?? cancelled(s, 'not started'));
  const hostOutcomes: Record<string, StepOutcome> = {};
  for (const host of plan.targets) hostOutcomes[host] = hostOutcome(ordered.filter((r) => r.hostId === host).map((r) => r.outcome));
  const verdict = completionVerdict(plan.completion, Object.values(hostOutcomes));
  let undo: StepResult[] = [];
  if (plan.completion === 'all-or-nothing' && verdict.outcome !== 'ok' && plan.undo.length > 0) {
    const succeeded = new Set(plan.targets.filter((h) => hostOutcomes[h] === 'ok'));
    undo = await runUndo(plan, plan.undo.filter((s) => succeeded.has(s.hostId)), deps, hooks);
  }
  return { results: ordered, undo, hostOutcomes, outcome: applyFailurePolicy(plan.failurePolicy, verdict.outcome), aborted: control.abortReport() };
}

/** Undo steps (all-or-nothing, rollback): every host's, in order, none cancelled by a verdict. */
export function runUndo(plan: Plan, steps: Step[], deps: RunDeps, hooks: RunHooks = {}): Promise<StepResult[]> {
  if (steps.length === 0) return Promise.resolve([]);
  const undoPlan: Plan = { ...plan, steps, targets: [...new Set(steps.map((s) => s.hostId))], completion: 'all', failurePolicy: 'continue', undo: [] };
  return runPlan(undoPlan, { ...deps, earlier: undefined }, hooks).then((r) => r.results);
}
