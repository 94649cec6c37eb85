// The Deploy pane's keys, through the console's command layer like every
// action key: n picks a deploy and a release, then the plan in the confirm
// dialog; p asks the running deploy to pause at its next batch boundary, or
// resumes a paused (or interrupted) one from its journal; A the abort
// dialog; F promotes the canary; u plans `deploy rollback` of the file.
// Refusals (--read-only, a lock held) come from the engine as for any action.
import { join } from 'node:path';
import { DEPLOY_REQUESTS, isCanaryTrafficStep, pausedReason } from '../../ops/deploy/deploy-requests.js';
import type { DeployMeta } from '../../ops/deploy/plan-deploy.js';
import type { ActionSummary } from '../../ops/engine/history.js';
import { closeDialog, openDialog, planAndConfirm } from '../actions/action-flow.js';
import type { ActionsUi } from '../actions/actions-context.js';
import { PACKAGE_ROOT } from '../config/paths.js';
import type { ConsoleServices } from '../context.js';
import { defaultRelease, deployChoices, type DeployPick } from './deploy-pick.js';
import { DEPLOY_KEYS, type DeployKey } from './deploy-keys.js';

type Ctx = Pick<ConsoleServices, 'ui' | 'store' | 'views' | 'clock' | 'intervalMs'> & ActionsUi;

/** The shipped deploys, as `baton deploy list` reads them. */
export const DEPLOYS_DIR = join(PACKAGE_ROOT, 'deploys');

export type DeployPaneKey = DeployKey | 'pause' | 'abort';

/** Said after this key's other handlers: the global ones clear the message line on every key. */
const say = (ctx: Ctx, text: string, level: 'info' | 'warn' = 'warn'): undefined => {
  queueMicrotask(() => ctx.ui.getState().showMessage(text, level));
  return undefined;
};

/** A deploy the journal says can go on: paused by its runner, or cut off mid-run. */
export const resumable = (s: ActionSummary): boolean => s.state === 'interrupted' || (s.state === 'failed' && pausedReason(s.notes) !== undefined);

export function openDeployPick(ctx: Ctx, dir = DEPLOYS_DIR): void {
  if (!ctx.service) return say(ctx, 'actions are not available in this console');
  const refusal = ctx.service.refusal('deploy');
  if (refusal) return say(ctx, refusal.reason);
  const items = deployChoices(dir, ctx.store.getState().inventory.file);
  if (items.length === 0) return say(ctx, 'no deploy: add deploys/NAME.yaml, or a deploys: key in the inventory');
  openDialog(ctx, { kind: 'deploy-pick', items, cursor: 0, version: defaultRelease(items[0]) });
}

/** ⏎ in the pick dialog: the deploy under the cursor with the release shown, planned into the confirm dialog. */
export function planPicked(ctx: Ctx, p: DeployPick): void {
  const c = p.items[p.cursor];
  const error = (text: string) => ctx.dialogs.getState().update('deploy-pick', () => ({ error: text }));
  if (!c) return;
  if (c.broken) return error(`${c.name} is not valid: ${c.summary} (baton deploy list)`);
  if (p.version.trim() === '') return error('which release? type it, or tab through the known ones');
  closeDialog(ctx);
  void planAndConfirm(ctx, 'deploy', [c.file], { version: p.version.trim() });
}

/** What this console's run was asked and has not done yet, for the pane's header; else undefined. */
function pauseOrResume(ctx: Ctx, s: ActionSummary): string | undefined {
  const service = ctx.service!;
  const meta = s.plan.args.deploy as DeployMeta;
  if (service.isRunningAction(s.id)) {
    const last = meta.batches.length - 1;
    if ([...s.steps.keys()].some((id) => id.startsWith(`b${last}/`))) return say(ctx, `${meta.name} is in its last batch: no batch boundary left to pause at (A aborts)`);
    service.request(s.id, DEPLOY_REQUESTS.pause);
    say(ctx, `${meta.name} ${meta.version} pauses before its next batch; p then resumes it (or baton resume ${s.id})`, 'info');
    return 'pausing at the next batch boundary';
  }
  if (s.state === 'running') return say(ctx, `${meta.name} runs in pid ${s.who.pid} on ${s.who.host}: pause it there`);
  if (!resumable(s)) return say(ctx, `${meta.name} ${meta.version} ended ${s.state}: nothing to resume (n deploys, u rolls back)`);
  say(ctx, `resuming ${s.plan.title} (${s.id})`, 'info');
  void service.resumeJournaled(s, 'resume').then((r) => r && say(ctx, r.reason));
}

function promote(ctx: Ctx, s: ActionSummary): string | undefined {
  const service = ctx.service!;
  const traffic = s.plan.steps.filter((st) => isCanaryTrafficStep(st.id));
  if (traffic.length === 0) return say(ctx, `${s.plan.title} is not a canary deploy: nothing to promote`);
  const over = s.plan.steps.some((st) => st.id.endsWith('-weights-back') && s.steps.get(st.id)?.outcome === 'ok');
  if (over) return say(ctx, 'the canary is past its traffic steps: nothing to promote');
  if (service.isRunningAction(s.id)) {
    service.request(s.id, DEPLOY_REQUESTS.promote);
    say(ctx, 'canary promoted: its remaining traffic steps are skipped, its weights go back, the other hosts roll', 'info');
    return 'promoted';
  }
  if (s.state === 'running') return say(ctx, `${s.plan.title} runs in pid ${s.who.pid} on ${s.who.host}: promote it there`);
  if (!resumable(s)) return say(ctx, `${s.plan.title} ended ${s.state}: nothing to promote`);
  // A canary paused at an inconclusive step: resumed, and promoted as its run begins.
  say(ctx, `resuming ${s.plan.title} (${s.id}), promoted`, 'info');
  void service.resumeJournaled(s, 'resume').then((r) => r && say(ctx, r.reason));
  service.request(s.id, DEPLOY_REQUESTS.promote);
}

/** Does what the key asks; what the running deploy was asked, for the pane to show until it ends. */
export function deployKeyPressed(ctx: Ctx, key: DeployPaneKey, latest: ActionSummary | undefined): string | undefined {
  if (key === 'start') {
    openDeployPick(ctx);
    return undefined;
  }
  const service = ctx.service;
  if (!service) return say(ctx, 'actions are not available in this console');
  if (!latest) return say(ctx, `no deploy in the journal: ${DEPLOY_KEYS.start} starts one`);
  const meta = latest.plan.args.deploy as DeployMeta;
  const runningHere = service.isRunningAction(latest.id);
  switch (key) {
    case 'pause':
      return pauseOrResume(ctx, latest);
    case 'abort':
      if (!runningHere) return say(ctx, `${meta.name} is not running in this console: nothing to abort`);
      openDialog(ctx, { kind: 'abort', actionId: latest.id, title: latest.plan.title });
      return undefined;
    case 'promote':
      return promote(ctx, latest);
    case 'rollback':
      if (runningHere || latest.state === 'running') return say(ctx, `${meta.name} is still running: A aborts it first`);
      void planAndConfirm(ctx, 'deploy', [meta.file], { rollback: true });
  }
  return undefined;
}
