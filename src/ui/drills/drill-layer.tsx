// Mounted once by <App>: D (unless the focused pane has an operator's own
// action on the key) opens the drill picker;
// ^C while a drill runs aborts it (the runner restores) instead of quitting;
// at start, the drills the journal says were cut off are offered for restore.
import { useInput } from 'ink';
import { useEffect } from 'react';
import { openDialog } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import type { Dialog } from '../actions/dialog-store.js';
import { useConsole, useUi } from '../context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { actionFor, keyName } from '../keymap/keymap.js';
import { paneActionOwnsKey } from '../status-strip/jump-target.js';
import { useDrills } from './drill-context.js';
import { abortDrill, openDrillPicker } from './drill-flow.js';

export function DrillLayer() {
  const services = useConsole();
  const actionsUi = useActionsUi();
  const drills = useDrills();
  const mode = useUi((s) => s.mode);
  const { focused } = useCurrentView();
  useInput(
    (input, key) => {
      const ctx = { ...services, ...actionsUi, drills };
      const name = keyName(input, key);
      if (name === 'ctrl+c' && drills?.isRunning()) {
        // The global keys took ^C as quit and asked; a running drill is aborted instead.
        services.ui.getState().setMode('normal');
        abortDrill(ctx, 'interrupted (^C)');
        return;
      }
      if (actionFor(services.keymap, input, key) !== 'drill') return;
      if (paneActionOwnsKey(actionsUi.service?.actions() ?? [], focused?.pane, name)) return;
      openDrillPicker(ctx);
    },
    { isActive: mode === 'normal' },
  );
  useEffect(() => {
    if (!drills) return;
    let live = true;
    let unsubscribe: (() => void) | undefined;
    const offer = (dialog: Dialog) => {
      if (!actionsUi.dialogs.getState().dialog) return openDialog({ ...services, ...actionsUi }, dialog);
      // Another dialog (the interrupted actions) is open: this one follows it.
      // Opened on the next turn: whoever closed that one sets the mode back to normal right after.
      unsubscribe = actionsUi.dialogs.subscribe((s) => {
        if (s.dialog || !live) return;
        unsubscribe?.();
        setTimeout(() => live && offer(dialog), 0);
      });
    };
    drills.interrupted().then(
      (items) => {
        if (live && items.length > 0) offer({ kind: 'drill', step: 'interrupted', items, cursor: 0 });
      },
      (err: Error) => services.ui.getState().showMessage(`reading the drill journals: ${err.message}`, 'warn'),
    );
    return () => {
      live = false;
      unsubscribe?.();
    };
    // Once per console: the journal is read at start only.
  }, []);
  return null;
}
