// The steps between D and the runner: the read-only gate, the picker of
// drill files, the plan in the confirm dialog (y on the lab; anywhere else
// the inventory's name typed, as `baton drill run` asks), the start, and the
// drill view on screen while it runs. A or ^C aborts: the runner restores.
import type { DrillLoad } from '../../ops/drills/load-drill.js';
import { closeDialog, openDialog } from '../actions/action-flow.js';
import type { ActionsUi } from '../actions/actions-context.js';
import type { Dialog } from '../actions/dialog-store.js';
import type { ConsoleServices } from '../context.js';
import { viewPanes } from '../layout.js';
import type { DrillService } from './drill-service.js';

export type DrillCtx = Pick<ConsoleServices, 'ui' | 'store' | 'views' | 'clock' | 'intervalMs'> & ActionsUi & { drills?: DrillService };

type Confirm = Extract<Dialog, { kind: 'drill'; step: 'confirm' }>;

export function openDrillPicker(ctx: DrillCtx): void {
  const say = ctx.ui.getState().showMessage;
  if (!ctx.drills) return say('drills are not available in this console', 'warn');
  const refusal = ctx.drills.refusal();
  if (refusal) return say(refusal, 'warn');
  const drills = ctx.drills.list();
  if (drills.length === 0) return say('no drill files: put one in ~/.config/baton/drills/ (see the README, Drills)', 'warn');
  openDialog(ctx, { kind: 'drill', step: 'pick', drills, cursor: 0 });
}

/** Enter on a drill in the picker: its plan, read from the store now. */
export async function pickDrill(ctx: DrillCtx, load: DrillLoad): Promise<void> {
  if (!ctx.drills) return;
  if (!load.ok) {
    ctx.dialogs.getState().update('drill', () => ({ error: `not valid: ${load.errors[0]?.describe() ?? load.file}` }));
    return;
  }
  const lab = await ctx.drills.isLab();
  if (ctx.dialogs.getState().dialog?.kind !== 'drill') return; // closed meanwhile
  const preview = ctx.drills.preview(load.drill);
  openDialog(ctx, { kind: 'drill', step: 'confirm', spec: load.drill, file: load.file, preview, lab, inventory: ctx.drills.inventoryName(), typed: '' });
}

/** y (lab) or Enter (typed): the checks the runner would make up front, then the start. */
export function confirmDrill(ctx: DrillCtx, dialog: Confirm): void {
  if (!ctx.drills) return;
  const error = (text: string) => ctx.dialogs.getState().update('drill', () => ({ error: text }));
  if (!dialog.lab && dialog.typed !== dialog.inventory) return error(`type ${dialog.inventory} exactly to run it on this inventory`);
  if (dialog.preview.problem) return error(`cannot start now: ${dialog.preview.problem}`);
  const refusal = ctx.drills.refusal();
  if (refusal) return error(refusal);
  closeDialog(ctx);
  ctx.drills.start(dialog.spec, dialog.file);
  showDrillView(ctx);
}

/** The first view (number-key order) with the drill pane, its pane focused. */
export function showDrillView(ctx: Pick<DrillCtx, 'ui' | 'views'>): void {
  for (const view of ctx.views) {
    const focus = viewPanes(view).findIndex((p) => p.pane === 'drill');
    if (focus >= 0) return ctx.ui.setState({ view: view.name, focus, detail: undefined });
  }
}

/** A or ^C: the fault window ends, the runner restores. */
export function abortDrill(ctx: Pick<DrillCtx, 'ui' | 'drills'>, why: string): boolean {
  if (!ctx.drills?.abort(why)) return false;
  ctx.ui.getState().showMessage('aborting the drill: restoring now', 'warn');
  return true;
}
