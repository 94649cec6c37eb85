// The steps between a key and the engine: `!` (or `:exec CMD`) -> targets ->
// prompt -> plan -> confirm dialog -> run, each refusal or error on screen.
// Plain functions over the console's stores, so keys, the palette and the
// start-up dialog share them.
import { foldNodeset } from '../../inventory/nodeset.js';
import { confirmLevel, confirmWord } from '../../ops/engine/plan.js';
import type { Refusal } from '../../ops/engine/registry.js';
import { selectHosts } from '../../ops/select-hosts.js';
import type { ConsoleServices } from '../context.js';
import { findView } from '../hooks/use-current-view.js';
import { viewPanes } from '../layout.js';
import type { ActionsUi } from './actions-context.js';
import type { Dialog, ExecTargets } from './dialog-store.js';

type Ctx = Pick<ConsoleServices, 'ui' | 'store' | 'views' | 'clock' | 'intervalMs'> & ActionsUi;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A filter that matches exactly these host ids (a host's search text starts with its id and a space). */
export function idsFilter(ids: readonly string[]): string {
  return `^(?:${ids.map(escapeRegExp).join('|')})\\s`;
}

/** The selected hosts (space), else the hosts pane's filtered set, else every host. */
export function execTargets(ctx: Ctx): ExecTargets {
  const s = ctx.ui.getState();
  const state = ctx.store.getState();
  if (s.selected.size > 0) {
    const hosts = state.order.filter((id) => s.selected.has(id));
    return { filter: idsFilter(hosts), hosts, how: `${hosts.length} selected` };
  }
  const filter = (s.filters.hosts ?? '').trim();
  const hosts = selectHosts(state, filter === '' ? 'all' : filter, ctx.clock(), ctx.intervalMs);
  return { filter: filter === '' ? 'all' : filter, hosts, how: filter === '' ? `all ${hosts.length}` : `${hosts.length} matching /${filter}` };
}

export function openDialog(ctx: Ctx, dialog: Dialog): void {
  ctx.dialogs.getState().open(dialog);
  ctx.ui.getState().setMode('dialog');
}

export function closeDialog(ctx: Ctx): void {
  ctx.dialogs.getState().close();
  ctx.ui.getState().setMode('normal');
}

/** `!` and `:exec`: refused at once in --read-only; with a command it goes straight to the plan. */
export function startExec(ctx: Ctx, command?: string): void {
  const s = ctx.ui.getState();
  if (!ctx.service) return s.showMessage('actions are not available in this console', 'warn');
  const refusal = ctx.service.refusal('exec');
  if (refusal) return s.showMessage(refusal.reason, 'warn');
  let targets: ExecTargets;
  try {
    targets = execTargets(ctx);
  } catch (err) {
    return s.showMessage((err as Error).message, 'warn');
  }
  if (targets.hosts.length === 0) return s.showMessage('no host to run on: select hosts with space, or change the hosts filter', 'warn');
  if (command === undefined || command.trim() === '') return openDialog(ctx, { kind: 'prompt', targets, input: command ?? '' });
  void planExec(ctx, targets, command);
}

/**
 * An operator's own action on what the cursor is on: planned, then the
 * confirm dialog, or run at once when the action says `confirm: false`.
 */
export function startCustom(ctx: Ctx, name: string, target: string): Promise<void> {
  return planAndConfirm(ctx, name, [target]);
}

/**
 * Any action by name (`:act`, a custom key): read-only gate, plan, then the dialog or, for `confirm: false`, the run.
 * A planner's refusal is shown, unless `onRefused` takes it (and offers a way on) and says so.
 */
export async function planAndConfirm(ctx: Ctx, name: string, argv: string[], options: Record<string, unknown> = {}, onRefused?: (r: Refusal) => boolean): Promise<void> {
  const s = ctx.ui.getState();
  if (!ctx.service) return s.showMessage('actions are not available in this console', 'warn');
  const refusal = ctx.service.refusal(name);
  if (refusal) return s.showMessage(refusal.reason, 'warn');
  s.showMessage(`planning ${name} ${argv.join(' ')}…`);
  const planned = await ctx.service.plan(name, argv, options);
  if ('error' in planned) return s.showMessage(planned.hint ? `${planned.error} (${planned.hint})` : planned.error, 'warn');
  if ('refused' in planned) {
    if (onRefused?.(planned.refused)) return s.clearMessage();
    return s.showMessage(planned.refused.hint ? `${planned.refused.reason} (${planned.refused.hint})` : planned.refused.reason, 'warn');
  }
  if (planned.def.custom?.confirm === false) {
    ctx.service.start(planned.plan, planned.def);
    showActionsPane(ctx);
    return s.showMessage(`started ${planned.plan.title} (${planned.plan.id})`);
  }
  s.clearMessage();
  openDialog(ctx, { kind: 'confirm', plan: planned.plan, def: planned.def, typed: '' });
}

/** Plans the command on the targets; the confirm dialog shows the plan, or the prompt shows why not. */
export async function planExec(ctx: Ctx, targets: ExecTargets, command: string): Promise<void> {
  if (!ctx.service) return;
  const planned = await ctx.service.plan('exec', [targets.filter, command]);
  const fail = (text: string) => {
    if (ctx.dialogs.getState().dialog?.kind === 'prompt') ctx.dialogs.getState().update('prompt', () => ({ error: text }));
    else ctx.ui.getState().showMessage(text, 'warn');
  };
  if ('error' in planned) return fail(planned.hint ? `${planned.error} (${planned.hint})` : planned.error);
  if ('refused' in planned) {
    closeDialog(ctx);
    return ctx.ui.getState().showMessage(planned.refused.reason, 'warn');
  }
  const drift = planned.plan.targets.join(' ') !== targets.hosts.join(' ');
  if (drift) return fail(`the hosts changed while planning: ${foldNodeset(planned.plan.targets)} instead of ${foldNodeset(targets.hosts)}; try again`);
  openDialog(ctx, { kind: 'confirm', plan: planned.plan, def: planned.def, typed: '' });
}

/** y, or the typed word and Enter: runs the plan and shows it in the Actions pane. */
export function confirmPlan(ctx: Ctx): void {
  const d = ctx.dialogs.getState().dialog;
  if (d?.kind !== 'confirm' || !ctx.service) return;
  if (confirmLevel(d.plan) === 'typed' && d.typed !== confirmWord(d.plan)) {
    ctx.dialogs.getState().update('confirm', () => ({ error: `type ${confirmWord(d.plan)} exactly to confirm` }));
    return;
  }
  closeDialog(ctx);
  ctx.service.start(d.plan, d.def);
  // A deploy confirmed on the Deploy view stays there: its pane follows the run.
  if (!(d.plan.action === 'deploy' && viewPanes(findView(ctx.views, ctx.ui.getState().view)).some((p) => p.pane === 'deploy'))) showActionsPane(ctx);
  ctx.ui.getState().showMessage(`started ${d.plan.title} (${d.plan.id})`);
}

/** Focuses an Actions pane: the current view's, else the `actions` view's. */
export function showActionsPane(ctx: Ctx): void {
  const s = ctx.ui.getState();
  let view = findView(ctx.views, s.view);
  if (!viewPanes(view).some((p) => p.pane === 'actions')) {
    const other = ctx.views.find((v) => viewPanes(v).some((p) => p.pane === 'actions'));
    if (!other) return;
    s.setView(other.name);
    view = other;
  }
  ctx.ui.setState({ focus: viewPanes(view).findIndex((p) => p.pane === 'actions') });
}
