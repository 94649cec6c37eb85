// Pane-scoped keys (navigation, open, select, sort) for the focused pane.
// Global keys are handled once, by useGlobalKeys.
import { useInput } from 'ink';
import { useConsole } from '../context.js';
import { ACTIONS, actionFor, type Action } from '../keymap/keymap.js';

export function usePaneKeys(active: boolean, onAction: (action: Action) => void): void {
  const { keymap } = useConsole();
  useInput(
    (input, key) => {
      const action = actionFor(keymap, input, key);
      if (action && ACTIONS[action].scope === 'pane') onAction(action);
    },
    { isActive: active },
  );
}
