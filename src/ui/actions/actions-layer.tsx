// Mounted once by <App>: `!` from any pane, and at start the dialog of the
// actions the journal says were interrupted.
import { useInput } from 'ink';
import { useEffect } from 'react';
import { useConsole, useUi } from '../context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { actionFor, keyName } from '../keymap/keymap.js';
import { execTargets, idsFilter, openDialog, startCustom, startExec } from './action-flow.js';
import { useActionsUi } from './actions-context.js';
import { customTarget, paneActionForKey } from './pane-action-keys.js';

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
      // A key the keymap leaves free may start an action on what the focused pane's cursor is on.
      const custom = action === undefined && focused ? paneActionForKey(actionsUi.service?.actions() ?? [], focused.pane, keyName(input, key)) : undefined;
      if (!custom || !focused) return;
      const ui = services.ui.getState();
      const t = customTarget(custom, focused.pane, ui, services.store.getState(), () => execTargets(ctx).filter, (id) => idsFilter([id]));
      if ('problem' in t) return ui.showMessage(t.problem, 'warn');
      void startCustom(ctx, custom.name, t.target);
    },
    { isActive: mode === 'normal' },
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
