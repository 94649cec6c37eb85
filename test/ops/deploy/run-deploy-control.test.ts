// The operator's requests to a running deploy, with real shells (every
// "host" a local transport with a deploy root of its own): pause at the
// next batch boundary (journaled, then resumed from the journal), a canary
// promoted early (its remaining traffic steps skipped), abort.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DeployMeta } from '../../../src/ops/deploy/plan-deploy.js';
import { DEPLOY_REQUESTS, pausedReason } from '../../../src/ops/deploy/deploy-requests.js';
import { runDeploy } from '../../../src/ops/deploy/run-deploy.js';
import { loadAction } from '../../../src/ops/engine/history.js';
import { JournalWriter } from '../../../src/ops/engine/journal.js';
import { earlierResults } from '../../../src/ops/engine/lifecycle.js';
import type { Plan, Step } from '../../../src/ops/engine/plan.js';
import { RunControl } from '../../../src/ops/engine/run-control.js';
import { deployLines } from '../../../src/ui/deploy/deploy-lines.js';
import { deployPlan, localDeployFleet, removeDeployFleets, type DeployFleet } from './local-deploy-fleet.js';

afterEach(removeDeployFleets);
const fleet = localDeployFleet;

function plan(f: DeployFleet, extra: string): Plan {
  return deployPlan(
    f,
    `name: t
targets: all
release: { fetch: "echo fetched > marker" }
strategy: { kind: rolling, serial: 1 }
${extra}
stages:
  - { name: fetch, builtin: upload }
  - { name: link, builtin: link, needs: [fetch] }
  - { name: check, command: "true", needs: [link] }
`,
  );
}

async function journaled(dir: string, p: Plan) {
  const journal = await JournalWriter.open(dir, p.id);
  await journal.append({ t: 'begin', v: 1, at: Date.now(), who: { user: 't', host: 'h', pid: process.pid }, plan: p });
  return journal;
}

describe('deploy runner: the operator\'s requests', () => {
  it('pause: the run ends before the next batch, every host as it is, journaled as paused; a resume from the journal finishes it', async () => {
    const f = fleet(3);
    const p = plan(f, '');
    const control = new RunControl();
    const journal = await journaled(f.base, p);
    // Asked while batch 1 runs: it takes effect at its end.
    const first = await runDeploy(p, { transports: f.transports, journal }, { onStepStart: (s) => s.id === 'b0/web1/check' && control.request(DEPLOY_REQUESTS.pause) }, control);
    await journal.close();
    expect(first.hostOutcomes).toEqual({ web1: 'ok', web2: 'cancelled', web3: 'cancelled' });
    expect(first.undo).toEqual([]);
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v1', 'releases/v1']);
    const summary = (await loadAction(f.base, p.id))!;
    expect(pausedReason(summary.notes)).toBe('by the operator before batch 2/3');
    expect(summary.notes).toContainEqual(expect.stringMatching(/^deploy paused by the operator before batch 2\/3; every host stays as it is until `baton resume \S+` or `baton deploy rollback`$/));

    const again = await JournalWriter.open(f.base, p.id);
    const started: string[] = [];
    const second = await runDeploy(p, { transports: f.transports, journal: again, earlier: earlierResults(summary) }, { onStepStart: (s) => started.push(s.id) });
    await again.close();
    expect(second.outcome).toBe('ok');
    expect(started.some((id) => id.startsWith('b0/'))).toBe(false);
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v2', 'releases/v2']);
    expect(pausedReason((await loadAction(f.base, p.id))!.notes)).toBeUndefined();
  });

  it('an analysis without data on every LB pauses the deploy the same way, and the pane says why', async () => {
    const f = fleet(1);
    const p = plan(f, '');
    const meta = p.args.deploy as DeployMeta;
    const step = (lb: string): Step => ({ id: `b0/web1/check/${lb}-analysis-1`, hostId: 'web1', label: `analysis on ${lb}`, spec: { kind: 'command', command: `echo "${lb}: 2 answers, fewer than 5" >&2; exit 3` }, timeoutMs: 5000, retries: 0, batch: 0 });
    const analyses = [step('lb1'), step('lb2')];
    for (const s of analyses) meta.places[s.id] = { batch: 0, target: 'web1', stage: 'check', analysis: 'analysis-1' };
    const journal = await journaled(f.base, p);
    const r = await runDeploy({ ...p, steps: p.steps.flatMap((s) => (s.id === 'b0/web1/check' ? analyses : [s])) }, { transports: f.transports, journal });
    await journal.append({ t: 'end', at: Date.now(), state: 'failed' });
    await journal.close();
    expect(r.undo).toEqual([]);
    const summary = (await loadAction(f.base, p.id))!;
    const lines = deployLines(summary, Date.now()).map((l) => l.map((x) => x.text).join(''));
    expect(lines[0]).toMatch(/^ t v2 paused · /);
    expect(lines[1]).toBe(' paused after an inconclusive analysis (lb1: 2 answers, fewer than 5; lb2: 2 answers, fewer than 5) · p resumes, u rolls back');
  });

  it('abort: no new step starts; with rollback manual the finished batch keeps the release, the others keep theirs', async () => {
    const f = fleet(3);
    const control = new RunControl();
    const r = await runDeploy(plan(f, 'rollback: manual'), { transports: f.transports }, { onStepStart: (s) => s.id === 'b1/web2/fetch' && control.abort() }, control);
    expect(r.hostOutcomes).toEqual({ web1: 'ok', web2: 'cancelled', web3: 'cancelled' });
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v1', 'releases/v1']);
    expect(r.aborted?.killed).toEqual([]);
    expect(r.results.find((s) => s.stepId === 'b1/web2/link')?.error).toMatch(/not started: aborted/);
  });

  it('abort with rollback auto: the deploy stopped, so the switched hosts go back', async () => {
    const f = fleet(3);
    const control = new RunControl();
    const r = await runDeploy(plan(f, ''), { transports: f.transports }, { onStepStart: (s) => s.id === 'b1/web2/fetch' && control.abort() }, control);
    expect(r.outcome).toBe('failed');
    expect(f.ids.map(f.current)).toEqual(['releases/v1', 'releases/v1', 'releases/v1']);
  });

  it('promote: the running analysis ends early, the later traffic steps are skipped, the weights go back, the other hosts roll', async () => {
    const f = fleet(2);
    const p = plan(f, '');
    const meta = p.args.deploy as DeployMeta;
    // The canary's traffic steps as the planner names them, on a local "LB": a long analysis per step.
    const marks = join(f.base, 'marks');
    mkdirSync(marks);
    const step = (kind: string, command: string): Step => ({ id: `b0/web1/check/lb1-${kind}`, hostId: 'web1', label: kind, spec: { kind: 'command', command }, timeoutMs: 60_000, retries: 0, batch: 0 });
    const canary = [step('weight-1', `touch ${marks}/w1`), step('analysis-1', 'sleep 30'), step('weight-2', `touch ${marks}/w2`), step('analysis-2', 'sleep 30'), step('weights-back', `touch ${marks}/back`)];
    for (const s of canary) meta.places[s.id] = { batch: 0, target: 'web1', stage: 'check', ...(s.id.includes('analysis') ? { analysis: s.id.slice(s.id.lastIndexOf('-', s.id.length - 3) + 1) } : {}) };
    const steps = p.steps.flatMap((s) => (s.id === 'b0/web1/check' ? canary : [s]));
    const control = new RunControl();
    const journal = await journaled(f.base, p);
    const r = await runDeploy({ ...p, steps }, { transports: f.transports, journal }, { onStepStart: (s) => s.id.endsWith('analysis-1') && setTimeout(() => control.request(DEPLOY_REQUESTS.promote), 200) }, control);
    await journal.close();
    expect(r.outcome).toBe('ok');
    const out = (kind: string) => r.results.find((s) => s.stepId.endsWith(kind))!;
    expect(out('analysis-1').stdout).toMatch(/ended early: the canary was promoted/);
    expect(out('weight-2').stdout).toMatch(/skipped: the canary was promoted/);
    expect(out('analysis-2').stdout).toMatch(/skipped/);
    expect([existsSync(join(marks, 'w1')), existsSync(join(marks, 'w2')), existsSync(join(marks, 'back'))]).toEqual([true, false, true]);
    expect(f.ids.map(f.current)).toEqual(['releases/v2', 'releases/v2']);
    const summary = (await loadAction(f.base, p.id))!;
    expect(summary.notes.some((n) => n.startsWith('canary promoted by the operator'))).toBe(true);
    // Journaled ok: a resume would not take the skipped steps again.
    expect(summary.steps.get('b0/web1/check/lb1-weight-2')?.outcome).toBe('ok');

    // Asked before the run began (a paused canary resumed promoted): no traffic step runs at all.
    rmSync(marks, { recursive: true });
    mkdirSync(marks);
    const early = new RunControl();
    early.request(DEPLOY_REQUESTS.promote);
    const again = await runDeploy({ ...p, steps }, { transports: f.transports }, {}, early);
    expect(again.outcome).toBe('ok');
    expect([existsSync(join(marks, 'w1')), existsSync(join(marks, 'back'))]).toEqual([false, true]);
  }, 20_000);
});
