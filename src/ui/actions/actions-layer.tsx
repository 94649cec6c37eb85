// Mounted once by <App>: `!` from any pane, and at start the dialog of the
// actions the journal says were interrupted.
import { useInput } from 'ink';
import { useEffect } from 'react';
import { useConsole, useUi } from '../context.js';
import { actionFor } from '../keymap/keymap.js';
import { openDialog, startExec } from './action-flow.js';
import { useActionsUi } from './actions-context.js';

export function ActionsLayer() {
  const services = useConsole();
  const actionsUi = useActionsUi();
  const mode = useUi((s) => s.mode);
  useInput(
    (input, key) => {
      if (actionFor(services.keymap, input, key) === 'exec') startExec({ ...services, ...actionsUi });
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
