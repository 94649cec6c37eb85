// The Cluster load pane's part of rebalance: R opens the dialog (refused at
// once in --read-only), and the hosts the last finished rebalance found out
// of balance that are back inside the band now.
import { useInput } from 'ink';
import { useMemo } from 'react';
import type { FleetLoad } from '../../store/fleet-load.js';
import { openDialog } from '../actions/action-flow.js';
import { useActionsUi, useProgress } from '../actions/actions-context.js';
import { useConsole } from '../context.js';
import { backInBand } from './back-in-band.js';
import { initialForm } from './rebalance-form.js';
import { REBALANCE_KEY } from './rebalance-keys.js';

export function useRebalance(active: boolean, load: FleetLoad): string[] {
  const services = useConsole();
  const actionsUi = useActionsUi();
  useInput(
    (input) => {
      if (input !== REBALANCE_KEY) return;
      // After this key's other handlers: the global ones clear the message line on every key.
      const say = (text: string) => queueMicrotask(() => services.ui.getState().showMessage(text, 'warn'));
      if (!actionsUi.service?.actions().some((a) => a.name === 'rebalance')) return say('rebalance is not available in this console');
      const refusal = actionsUi.service.refusal('rebalance');
      if (refusal) return say(refusal.reason);
      openDialog({ ...services, ...actionsUi }, { kind: 'rebalance', form: initialForm(services.store.getState().inventory) });
    },
    { isActive: active },
  );
  const lastId = useProgress((s) => s.actions.find((a) => a.action === 'rebalance' && a.state === 'ok')?.id);
  const plan = lastId ? actionsUi.service?.planOf(lastId) : undefined;
  return useMemo(() => backInBand(plan, load), [plan, load]);
}
