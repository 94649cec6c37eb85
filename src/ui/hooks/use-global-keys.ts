// Keys that work whatever pane has focus: views, focus, modes, refresh, quit.
// Also where the console takes each key of a burst apart (useKeyBursts).
import { useInput } from 'ink';
import { useConsole, useUi } from '../context.js';
import { useActionsUi } from '../actions/actions-context.js';
import { ACTIONS, actionFor, keyName } from '../keymap/keymap.js';
import { viewPanes } from '../layout.js';
import { PANES } from '../panes/pane-registry.js';
import { jumpKind, jumpTarget, paneActionOwnsKey } from '../status-strip/jump-target.js';
import { requestQuit } from './use-command-runner.js';
import { findView, focusedPane } from './use-current-view.js';
import { useKeyBursts } from './use-key-bursts.js';

export function useGlobalKeys(): void {
  const services = useConsole();
  const { ui, keymap, views } = services;
  const actionsUi = useActionsUi();
  const mode = useUi((s) => s.mode);
  useKeyBursts();
  useInput(
    (input, key) => {
      const s = ui.getState();
      s.clearMessage();
      if (/^[1-9]$/.test(input) && !key.ctrl && !key.meta) {
        const target = views[Number(input) - 1];
        if (target) s.setView(target.name);
        return;
      }
      const action = actionFor(keymap, input, key);
      if (!action || ACTIONS[action].scope !== 'global') return;
      const jump = jumpKind(action);
      if (jump) {
        const focused = focusedPane(findView(views, s.view), s.focus);
        if (paneActionOwnsKey(actionsUi.service?.actions() ?? [], focused?.pane, keyName(input, key))) return;
        const target = jumpTarget(views, s.view, jump);
        if (target) ui.setState({ view: target.view, focus: target.focus, detail: undefined });
        else s.showMessage(`no view has the ${jump} pane`, 'warn');
        return;
      }
      const panes = viewPanes(findView(views, s.view));
      const pane = panes.length > 0 ? panes[s.focus % panes.length] : undefined;
      switch (action) {
        case 'quit':
          return requestQuit(services);
        case 'help':
          return s.setMode('help');
        case 'command':
          return s.setMode('command');
        case 'filter':
          if (!s.detail && pane && PANES[pane.pane].filterable) s.startFilter(pane.pane);
          else s.showMessage('nothing to filter here', 'warn');
          return;
        case 'refresh':
          services.refreshNow();
          return s.showMessage('refresh requested');
        case 'focusNext':
        case 'focusPrev':
          if (!s.detail) s.focusBy(action === 'focusNext' ? 1 : -1, panes.length);
          return;
        case 'back':
          if (s.detail) s.closeDetail();
          else if (pane && s.filters[pane.pane]) s.setFilter(pane.pane, '');
          return;
      }
    },
    { isActive: mode === 'normal' },
  );
}
