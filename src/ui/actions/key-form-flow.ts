// The steps between a key form and the plan: the node picker (pacemaker.move,
// pacemaker.ban), the weight prompt (haproxy.weight), hatop's weight steps,
// and the clear a finished move or ban offers. Each ends in planAndConfirm,
// so the confirm dialog and the engine do the rest; nothing runs from here.
import type { Plan } from '../../ops/engine/plan.js';
import { UsageError } from '../../ops/engine/registry.js';
import type { ActionProgress } from '../../store/actions.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker.js';
import { closeDialog, openDialog, planAndConfirm } from './action-flow.js';
import type { Dialog } from './dialog-store.js';
import { movableResource, nodeChoices } from './node-choices.js';
import type { PaneKeyForm } from './pane-action-keys.js';

type Ctx = Parameters<typeof planAndConfirm>[0];
type Picker = Extract<Dialog, { kind: 'node-picker' }>;

const pacemakerSnapshot = (ctx: Ctx, cluster: string): PacemakerSnapshot | undefined => ctx.store.getState().services[`pacemaker:${cluster}`]?.snapshot as PacemakerSnapshot | undefined;

/** The picker's rows now, from the pane's own crm_mon snapshot (none before the first poll). */
export const pickerChoices = (snapshot: PacemakerSnapshot | undefined, d: Pick<Picker, 'resource' | 'verb'>) => (snapshot ? nodeChoices(snapshot, d.resource, d.verb) : []);

/** A key form on `target` (the item under the cursor; '' for a whole-cluster form) of `service` (the pane's service id). */
export function startKeyForm(ctx: Ctx, form: PaneKeyForm, target: string, service: string): void {
  const s = ctx.ui.getState();
  if (!ctx.service) return s.showMessage('actions are not available in this console', 'warn');
  const refusal = ctx.service.refusal(form.action);
  if (refusal) return s.showMessage(refusal.reason, 'warn');
  if (form.ask === 'node') {
    const verb = form.action === 'pacemaker.move' ? 'move' : 'ban';
    const cluster = service.slice(service.indexOf(':') + 1);
    const snapshot = pacemakerSnapshot(ctx, cluster);
    const resource = snapshot ? movableResource(snapshot, target) : target;
    const free = pickerChoices(snapshot, { resource, verb }).findIndex((c) => !c.blocked);
    const member = resource === target ? {} : { member: target };
    return openDialog(ctx, { kind: 'node-picker', verb, resource, cluster, cursor: Math.max(0, free), pin: false, lifetime: '', typingLifetime: false, ...member });
  }
  if (form.ask === 'weight') return openDialog(ctx, { kind: 'weight', server: target, service, input: '' });
  const argv = form.whole ? [...(form.argv ?? [])] : [...(form.lead ?? []), target, ...(form.argv ?? [])];
  // The pane's cluster, when the inventory has several.
  const options = service.startsWith('pacemaker:') ? { cluster: service.slice(service.indexOf(':') + 1) } : {};
  void planAndConfirm(ctx, form.action, argv, options);
}

/** Enter in the picker: a move onto a node it cannot run on, or arguments the action rejects, stay in the picker with why. */
export function choosePickedNode(ctx: Ctx, d: Picker): void {
  const choice = pickerChoices(pacemakerSnapshot(ctx, d.cluster), d)[d.cursor];
  const fail = (error: string) => ctx.dialogs.getState().update('node-picker', () => ({ error }));
  if (!choice) return fail(`no crm_mon snapshot of cluster ${d.cluster} yet`);
  if (choice.blocked) return fail(choice.node === null ? `cannot ban the current node: ${choice.reason}` : `${d.resource} cannot move to ${choice.node}: ${choice.reason}`);
  const name = `pacemaker.${d.verb}`;
  const argv = choice.node === null ? [d.resource] : [d.resource, choice.node];
  const pinned = d.verb === 'move' && d.pin;
  const options: Record<string, unknown> = { cluster: d.cluster, ...(pinned ? { pin: true } : {}), ...(pinned && d.lifetime !== '' ? { lifetime: d.lifetime } : {}) };
  try {
    // The action's own parser: the picker takes exactly what `baton act` takes.
    ctx.service?.actions().find((a) => a.name === name)?.parseArgs(argv, options);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message);
    throw err;
  }
  closeDialog(ctx);
  void planAndConfirm(ctx, name, argv, options);
}

/** Enter in the weight prompt: the action's parser judges the text; a bad one stays in the prompt with why. */
export function submitWeight(ctx: Ctx, d: Extract<Dialog, { kind: 'weight' }>): void {
  const argv = [d.server, d.input.trim()];
  try {
    ctx.service?.actions().find((a) => a.name === 'haproxy.weight')?.parseArgs(argv, {});
  } catch (err) {
    if (err instanceof UsageError) return ctx.dialogs.getState().update('weight', () => ({ error: err.message }));
    throw err;
  }
  closeDialog(ctx);
  void planAndConfirm(ctx, 'haproxy.weight', argv);
}

const OFFERING = new Set(['pacemaker.move', 'pacemaker.ban']);
/** Ended in a way that may leave a cli-prefer/cli-ban constraint (a refusal changed nothing). */
const LEAVES_CONSTRAINT = new Set(['ok', 'failed', 'unknown']);

/** The resource and cluster a finished move or ban may have left constraints on, if this is one. */
export function clearOffer(plan: Plan | undefined, progress: ActionProgress | undefined): { resource: string; cluster: string; pinned: boolean } | undefined {
  if (!plan || !progress || !OFFERING.has(plan.action) || !LEAVES_CONSTRAINT.has(progress.state)) return undefined;
  const { resource, cluster, pin } = plan.args as { resource?: unknown; cluster?: unknown; pin?: unknown };
  return typeof resource === 'string' && typeof cluster === 'string' ? { resource, cluster, pinned: pin === true } : undefined;
}

/** What the result says once a move or ban ends: C clears the constraints. */
export function clearOfferText(plan: Plan, progress: ActionProgress): string | undefined {
  const offer = clearOffer(plan, progress);
  if (!offer) return undefined;
  const head = progress.state === 'ok' ? `${plan.title}: verified` : `${plan.title}: ${progress.state}`;
  const what = plan.action === 'pacemaker.ban' ? 'lifts the ban' : offer.pinned ? 'removes the pin (cli-prefer)' : 'removes any cli-prefer/cli-ban left';
  return `${head} · C on it in Actions ${what} of ${offer.resource}`;
}

/** C on a finished move or ban in the Actions pane: plans pacemaker.clear of its resource. */
export function clearAfter(ctx: Ctx, actionId: string): void {
  const offer = clearOffer(ctx.service?.planOf(actionId), ctx.progress.getState().actions.find((a) => a.id === actionId));
  if (!offer) return ctx.ui.getState().showMessage('C clears constraints after a finished pacemaker.move or pacemaker.ban: put the cursor on one', 'warn');
  void planAndConfirm(ctx, 'pacemaker.clear', [offer.resource], { cluster: offer.cluster });
}
