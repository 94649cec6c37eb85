// Mounted once by <App>: `!` from any pane, the action keys of the focused
// pane (an action on the item under the cursor, or a key form: the node
// picker, the weight prompt, a weight step), C on a finished move or ban in
// the Actions pane, and at start the dialog of the actions the journal says
// were interrupted.
import { useInput } from 'ink';
import { useEffect } from 'react';
import { useConsole, useUi } from '../context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { actionFor, keyName } from '../keymap/keymap.js';
import { jumpKind } from '../status-strip/jump-target.js';
import { execTargets, idsFilter, openDialog, startCustom, startExec } from './action-flow.js';
import { useActionsUi } from './actions-context.js';
import { clearAfter, clearOfferText, startKeyForm } from './key-form-flow.js';
import { CLEAR_AFTER_KEY, cursorService, customTarget, paneActionForKey, paneKeyForms } from './pane-action-keys.js';

export function ActionsLayer() {
  const services = useConsole();
  const actionsUi = useActionsUi();
  const mode = useUi((s) => s.mode);
  const { focused } = useCurrentView();
  useInput(
    (input, key) => {
      const ctx = { ...services, ...actionsUi };
      const action = actionFor(services.keymap, input, key);
      if (action === 'exec') return startExec(ctx);
      // A jump key (P H e X Q) or the drill key (D) yields to an action key of the pane: their layers skip it then.
      if ((action !== undefined && !jumpKind(action) && action !== 'drill') || !focused) return;
      const name = keyName(input, key);
      const ui = services.ui.getState();
      if (focused.pane === 'actions' && name === CLEAR_AFTER_KEY) {
        // The pane's cursor, or its first row (the newest) before it ever moved.
        const listed = actionsUi.progress.getState().actions;
        const id = listed.find((a) => a.id === ui.cursors.actions?.id)?.id ?? listed[0]?.id;
        return id ? clearAfter(ctx, id) : undefined;
      }
      // A key the keymap leaves free may start an action on what the focused pane's cursor is on.
      const actions = actionsUi.service?.actions() ?? [];
      const custom = paneActionForKey(actions, focused.pane, name);
      const form = custom ? undefined : paneKeyForms(actions, focused.pane).find((f) => f.key === name);
      const def = custom ?? actions.find((a) => a.name === form?.action);
      if (!def) return;
      if (form?.whole) return startKeyForm(ctx, form, '', cursorService(focused.pane, ui) ?? '');
      const t = customTarget(def, focused.pane, ui, services.store.getState(), () => execTargets(ctx).filter, (id) => idsFilter([id]));
      if ('problem' in t) return ui.showMessage(t.problem, 'warn');
      if (form) return startKeyForm(ctx, form, t.target, cursorService(focused.pane, ui) ?? '');
      void startCustom(ctx, def.name, t.target);
    },
    { isActive: mode === 'normal' },
  );
  // A move or ban that ends says so, and that C clears its constraints (stale ones are a classic outage cause).
  useEffect(
    () =>
      actionsUi.progress.subscribe((now, before) => {
        for (const a of now.actions) {
          const was = before.actions.find((b) => b.id === a.id)?.state;
          if (a.state === was || (was !== 'running' && was !== 'paused')) continue;
          const plan = actionsUi.service?.planOf(a.id);
          const text = plan ? clearOfferText(plan, a) : undefined;
          if (text) services.ui.getState().showMessage(text, a.state === 'ok' ? 'info' : 'warn');
        }
      }),
    [],
  );
  useEffect(() => {
    let live = true;
    actionsUi.service?.interrupted().then(
      (items) => {
        if (live && items.length > 0) openDialog({ ...services, ...actionsUi }, { kind: 'interrupted', items, cursor: 0 });
      },
      (err: Error) => services.ui.getState().showMessage(`reading the action journal: ${err.message}`, 'warn'),
    );
    return () => {
      live = false;
    };
    // Once per console: the journal is read at start only.
  }, []);
  return null;
}
