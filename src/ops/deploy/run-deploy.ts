// Runs a deploy plan: batch after batch; in a batch, level after level of
// the stage DAG (a level's stages, independent of each other, at once),
// every live host of the batch at once (lockstep, as Ansible runs a serial
// batch's tasks); a host whose step fails leaves the batch and,
// with rollback: auto, is rolled back (current back, its stages' rollback
// commands, ready on the LBs). After each batch the failure policy decides:
// stop (more than max_fail of the batch failed, or all of it), continue, or
// ignore. A stopped deploy with rollback: auto rolls back every host it
// switched. Every attempt is journaled before it is sent, as the engine's
// runner does, so resume skips what is journaled ok. The operator may ask
// (RunControl.request) for a pause at the next batch boundary (the run ends
// there, journaled as paused, every host as it is: resume goes on) or the
// promotion of a canary (its remaining traffic steps skipped, the running
// analysis ended: weights back, the other hosts roll).
import { LocalTransport } from '../../transport/local.js';
import type { Transport } from '../../transport/types.js';
import type { Plan, Step, StepOutcome } from '../engine/plan.js';
import { RunControl } from '../engine/run-control.js';
import { runStepOnce, type AttemptResult } from '../engine/run-step.js';
import { journalRecordEnd, journalRecordsUndone } from './deploy-journal.js';
import type { RunDeps, RunHooks, RunResult, StepResult } from '../engine/runner.js';
import { EXIT_INCONCLUSIVE } from './deploy-commands.js';
import { LOCAL_HOST, type DeployMeta } from './plan-deploy.js';
import { batchFailed, resolveAmount } from './serial-batches.js';
import { DEPLOY_REQUESTS, ENDED_NOTE, isCanaryTrafficStep, PAUSED_NOTE, PAUSED_TAIL } from './deploy-requests.js';

const sleepMs = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type HostState = 'pending' | 'ok' | 'failed' | 'unknown' | 'cancelled' | 'rolled-back';

export async function runDeploy(plan: Plan, deps: RunDeps, hooks: RunHooks = {}, control = new RunControl()): Promise<RunResult> {
  const meta = plan.args.deploy as DeployMeta;
  const sleep = deps.sleep ?? sleepMs;
  const local = new LocalTransport(LOCAL_HOST);
  const transports = new Map<string, Transport>(deps.transports);
  transports.set(LOCAL_HOST, local);
  const results = new Map<string, StepResult>();
  const undoResults: StepResult[] = [];
  const hostState = new Map<string, HostState>(plan.targets.map((t) => [t, 'pending']));
  // Stages begun on each host: a rollback undoes those (a half-done drain or canary too).
  const started = new Map<string, Set<string>>(plan.targets.map((t) => [t, new Set()]));
  const ends: Promise<void>[] = [];
  const backoff = new Map(meta.stages.map((s) => [s.name, s.backoffMs]));
  let stopped: string | undefined;
  /** An analysis without enough data: the deploy pauses for a human (resume, or roll back), as Argo Rollouts does. */
  let inconclusive: string | undefined;
  /** Why the run stopped without rolling back, waiting for resume: an inconclusive analysis or the operator's pause. */
  let paused: string | undefined;
  const promotion = new AbortController();

  const note = (message: string) => deps.journal?.append({ t: 'note', at: Date.now(), message });
  const promote = () => {
    if (!control.take(DEPLOY_REQUESTS.promote) || promotion.signal.aborted) return;
    promotion.abort();
    ends.push(note('canary promoted by the operator: its remaining traffic steps are skipped, its weights go back, the other hosts roll') ?? Promise.resolve());
  };
  // Asked before this run began (a paused canary resumed and promoted at once), or while it runs.
  promote();
  control.onRequest(promote);
  const cancelled = (step: Step, error: string): StepResult => ({ stepId: step.id, hostId: step.hostId, label: step.label, outcome: 'cancelled', rc: null, stdout: '', stderr: '', durationMs: 0, attempts: 0, error });

  /** A canary traffic step after the promotion: journaled as skipped, so a resume does not take it again. */
  const skipped = (step: Step, a: AttemptResult, attempt: number): StepResult => {
    const r: AttemptResult = { ...a, outcome: 'ok', stdout: `${a.stdout}${a.stdout && !a.stdout.endsWith('\n') ? '\n' : ''}${a.durationMs > 0 ? 'ended early' : 'skipped'}: the canary was promoted by the operator\n` };
    if (deps.journal) ends.push(deps.journal.append(journalRecordEnd(step, attempt, r)));
    return { stepId: step.id, hostId: step.hostId, label: step.label, ...r, attempts: attempt };
  };

  const runOne = async (step: Step): Promise<StepResult> => {
    const earlier = deps.earlier?.get(step.id);
    if (earlier) return { ...earlier, earlier: true };
    const traffic = isCanaryTrafficStep(step.id);
    if (traffic && promotion.signal.aborted) return skipped(step, { outcome: 'ok', rc: null, stdout: '', stderr: '', durationMs: 0 }, 0);
    let last: StepResult | undefined;
    const place = meta.places[step.id];
    for (let attempt = 1; attempt <= 1 + step.retries; attempt++) {
      if (attempt > 1) await sleep((backoff.get(place?.stage ?? '') ?? 1000) * 2 ** (attempt - 2));
      const why = await control.gate();
      if (why) return cancelled(step, why);
      await deps.journal?.append({ t: 'step-start', at: Date.now(), step: step.id, host: step.hostId, attempt });
      hooks.onStepStart?.(step, attempt);
      const signal = control.signalFor(step.id);
      const a = await runStepOnce(step, transports.get(step.hostId), traffic ? AbortSignal.any([signal, promotion.signal]) : signal);
      control.settled(step.id);
      if (traffic && a.outcome === 'cancelled' && promotion.signal.aborted && !signal.aborted) return skipped(step, a, attempt);
      if (deps.journal) ends.push(deps.journal.append(journalRecordEnd(step, attempt, a)));
      last = { stepId: step.id, hostId: step.hostId, label: step.label, ...a, attempts: attempt };
      if (a.outcome === 'ok' || a.outcome === 'cancelled') break;
    }
    return last!;
  };
  const settle = (r: StepResult) => {
    results.set(r.stepId, r);
    hooks.onStep?.(r);
    return r;
  };

  const stepsFor = (batch: number, stage: string, target: string) => plan.steps.filter((s) => meta.places[s.id]!.batch === batch && meta.places[s.id]!.stage === stage && meta.places[s.id]!.target === target);

  /**
   * A canary step's analyses, one per LB (and the canary hosts' own
   * readings) at once: failed if one failed, inconclusive if every LB's was;
   * a host's reading (a veto) only ever fails it.
   */
  const runAnalyses = async (steps: Step[]): Promise<StepOutcome> => {
    const rs = (await Promise.all(steps.map(runOne))).map(settle);
    const unsure = (r: StepResult) => r.outcome === 'failed' && r.rc === EXIT_INCONCLUSIVE && !meta.places[r.stepId]?.veto;
    const bad = rs.find((r) => r.outcome !== 'ok' && !unsure(r));
    if (bad) return bad.outcome;
    const traffic = rs.filter((r) => !meta.places[r.stepId]?.veto);
    if (traffic.length > 0 && traffic.every(unsure)) {
      inconclusive ??= traffic.map((r) => r.stderr.trim() || r.label).join('; ');
      return 'failed';
    }
    return 'ok';
  };

  /** Runs a host's steps of one stage in order, until one does not end ok. */
  const runStage = async (batch: number, stage: string, target: string): Promise<StepOutcome> => {
    const steps = stepsFor(batch, stage, target);
    for (let i = 0; i < steps.length; i++) {
      if (target !== '*') started.get(target)?.add(stage);
      const group = meta.places[steps[i]!.id]!.analysis;
      const together = group ? steps.slice(i).filter((s, j) => j === 0 || meta.places[s.id]!.analysis === group) : [steps[i]!];
      i += together.length - 1;
      const outcome = group ? await runAnalyses(together) : settle(await runOne(steps[i]!)).outcome;
      if (outcome !== 'ok') return outcome;
    }
    return 'ok';
  };

  const rollbackHost = async (t: string, why: string) => {
    const done = started.get(t)!;
    const steps = plan.undo.filter((u) => meta.places[u.id]?.target === t && done.has(meta.places[u.id]!.stage));
    if (steps.length === 0) return;
    await note(`rolling back ${t} (${why}): ${steps.map((s) => s.label).join('; ')}`);
    let ok = true;
    for (const step of steps) {
      // A rollback runs even after an abort: it puts things back.
      const r = await runStepOnce(step, transports.get(step.hostId), new AbortController().signal);
      if (deps.journal) ends.push(deps.journal.append(journalRecordEnd(step, 1, r)));
      const res = { stepId: step.id, hostId: step.hostId, label: step.label, ...r, attempts: 1 };
      undoResults.push(res);
      hooks.onStep?.(res);
      ok &&= r.outcome === 'ok';
    }
    if (ok) hostState.set(t, 'rolled-back');
    const undone = plan.steps.filter((s) => meta.places[s.id]?.target === t).flatMap((s) => results.get(s.id) ?? []);
    if (deps.journal) for (const rec of journalRecordsUndone(undone, t, why)) ends.push(deps.journal.append(rec));
  };

  try {
    for (const [b, batch] of meta.batches.entries()) {
      if (stopped) break;
      const why = await control.gate();
      if (why) {
        stopped = why;
        break;
      }
      if (control.take(DEPLOY_REQUESTS.pause)) {
        paused = stopped = `by the operator before batch ${b + 1}/${meta.batches.length}`;
        break;
      }
      const out = [...hostState.entries()].filter(([, s]) => s === 'failed' || s === 'unknown').length;
      const cap = meta.maxUnavailable === undefined ? Infinity : resolveAmount(meta.maxUnavailable, plan.targets.length);
      if (out + batch.length > cap) {
        stopped = `batch ${b + 1}: ${out} host(s) left out of rotation by failures + ${batch.length} in this batch would exceed max_unavailable ${cap}`;
        break;
      }
      await note(`batch ${b + 1}/${meta.batches.length}: ${batch.join(',')}`);
      const live = new Set(batch);
      const fail = (t: string, outcome: StepOutcome) => {
        live.delete(t);
        hostState.set(t, outcome === 'unknown' ? 'unknown' : outcome === 'cancelled' ? 'cancelled' : 'failed');
      };
      // A DAG level at a time: its stages (their needs all done) at once.
      for (const level of meta.levels ?? meta.stages.map((s) => [s.name])) {
        if (live.size === 0) break;
        await Promise.all(
          meta.stages.filter((s) => level.includes(s.name)).map(async (stage) => {
            if (stage.runOn !== 'each') {
              for (const t of live) started.get(t)!.add(stage.name);
              const o = await runStage(b, stage.name, '*');
              if (o !== 'ok') for (const t of [...live]) fail(t, o);
              return;
            }
            await Promise.all(
              [...live].map(async (t) => {
                const o = await runStage(b, stage.name, t);
                if (o !== 'ok') fail(t, o);
              }),
            );
          }),
        );
      }
      // Keeping the last N is housekeeping: a failure is shown, the host stays deployed.
      await Promise.all([...live].map((t) => runStage(b, 'prune', t)));
      for (const t of live) hostState.set(t, 'ok');
      const failed = batch.filter((t) => hostState.get(t) !== 'ok');
      if (inconclusive) {
        paused = stopped = `after an inconclusive analysis (${inconclusive})`;
        break;
      }
      if (meta.rollback === 'auto') for (const t of failed) await rollbackHost(t, 'its stage failed');
      if (failed.length > 0 && meta.onFailure === 'stop' && batchFailed(failed.length, batch.length, meta.maxFail)) {
        stopped = `batch ${b + 1}: ${failed.length} of ${batch.length} host(s) failed (${failed.join(',')}), more than max_fail ${meta.maxFail ?? 0}`;
      }
    }
    if (paused) await note(`${PAUSED_NOTE} ${paused}${PAUSED_TAIL} \`baton resume ${plan.id}\` or \`baton deploy rollback\``);
    else if (stopped) {
      await note(`deploy stopped: ${stopped}`);
      if (meta.rollback === 'auto') for (const t of plan.targets.filter((x) => hostState.get(x) === 'ok').reverse()) await rollbackHost(t, 'the deploy stopped');
    }
  } finally {
    await local.close();
  }
  await Promise.all(ends);
  const ordered = plan.steps.map((s) => results.get(s.id) ?? cancelled(s, stopped ? `not started: ${stopped}` : 'not started'));
  const hostOutcomes: Record<string, StepOutcome> = {};
  for (const t of plan.targets) {
    const s = hostState.get(t)!;
    hostOutcomes[t] = s === 'ok' ? 'ok' : s === 'unknown' ? 'unknown' : s === 'pending' || s === 'cancelled' ? 'cancelled' : 'failed';
  }
  const all = Object.values(hostOutcomes);
  const outcome = all.every((o) => o === 'ok') || (meta.onFailure === 'ignore' && !stopped) ? 'ok' : all.includes('unknown') ? 'unknown' : 'failed';
  if (!paused) await note(`${ENDED_NOTE}: ${outcome}${stopped ? ` (stopped: ${stopped})` : ''}`);
  return { results: ordered, undo: undoResults, hostOutcomes, outcome, aborted: control.abortReport() };
}
