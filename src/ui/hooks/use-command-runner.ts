// What each `:` command does, and what the palette completes from.
import { useMemo } from 'react';
import type { CompletionSources } from '../commands.js';
import { parseCommand } from '../commands.js';
import { planAndConfirm, startExec } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import { useBaton, useConsole, useUi, type ConsoleServices } from '../context.js';
import { PANES } from '../panes/pane-registry.js';
import { EVENT_COLUMNS, HOST_COLUMNS } from '../views/pane-kinds.js';
import { findView, focusedPane } from './use-current-view.js';

export function requestQuit(services: ConsoleServices): void {
  if (services.isActionRunning()) services.ui.getState().setMode('confirm-quit');
  else services.quit();
}

/** `--pin` -> ['pin', true]; `--wait-sessions=5` -> ['waitSessions', '5'] (commander's camelCase). */
function optionOf(word: string): [string, string | boolean] {
  const [name, value] = word.slice(2).split(/=(.*)/s);
  return [name!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value === undefined ? true : value];
}

export function useCommandRunner(): { run(input: string): void; sources: CompletionSources } {
  const services = useConsole();
  const { ui, views, themes } = services;
  const actionsUi = useActionsUi();
  const order = useBaton((s) => s.order);
  const viewName = useUi((s) => s.view);
  const focus = useUi((s) => s.focus);
  const sources = useMemo<CompletionSources>(() => {
    const pane = focusedPane(findView(views, viewName), focus);
    const columns = pane?.pane === 'hosts' ? HOST_COLUMNS : pane?.pane === 'events' ? EVENT_COLUMNS : [];
    const actions = actionsUi.service?.actionNames() ?? [];
    return { views: views.map((v) => v.name), themes: [...themes.keys()].sort(), hosts: order, columns, actions };
  }, [views, themes, order, viewName, focus, actionsUi.service]);

  const run = (input: string) => {
    const parsed = parseCommand(input);
    const s = ui.getState();
    s.setMode('normal');
    if (!parsed) return;
    const [arg] = parsed.args;
    const pane = focusedPane(findView(views, s.view), s.focus);
    const fail = (text: string) => s.showMessage(text, 'warn');
    switch (parsed.name) {
      case 'view':
        if (arg && views.some((v) => v.name === arg)) s.setView(arg);
        else fail(`unknown view "${arg ?? ''}" — views: ${sources.views.join(', ')}`);
        return;
      case 'theme':
        if (arg && themes.has(arg)) s.setTheme(arg);
        else fail(`unknown theme "${arg ?? ''}" — themes: ${sources.themes.join(', ')}`);
        return;
      case 'host':
        if (arg && order.includes(arg)) s.openDetail(arg);
        else fail(`no host "${arg ?? ''}" in the inventory`);
        return;
      case 'sort':
        if (!pane || !arg || !sources.columns.includes(arg)) fail(`cannot sort this pane by "${arg ?? ''}"`);
        else s.setSort(pane.pane, { column: arg, desc: parsed.args[1] === '-' });
        return;
      case 'filter':
        if (pane && PANES[pane.pane].filterable) s.setFilter(pane.pane, parsed.args.join(' '));
        else fail('the focused pane has no filter');
        return;
      case 'exec':
        // The command as typed, spaces and quotes kept.
        return startExec({ ...services, ...actionsUi }, input.trim().slice(parsed.name.length).trim());
      case 'act': {
        // Words as typed; `--name` and `--name=value` become the action's options, as on the command line.
        const words = parsed.args.slice(1);
        const options = Object.fromEntries(words.filter((w) => w.startsWith('--')).map((w) => optionOf(w)));
        if (!arg) return fail(`:act needs an action — ${sources.actions?.join(', ') ?? 'none'}`);
        return void planAndConfirm({ ...services, ...actionsUi }, arg, words.filter((w) => !w.startsWith('--')), options);
      }
      case 'refresh':
        services.refreshNow();
        s.showMessage('refresh requested');
        return;
      case 'help':
        s.setMode('help');
        return;
      case 'quit':
      case 'q':
        requestQuit(services);
        return;
      default:
        fail(`unknown command "${parsed.name}" — try :help`);
    }
  };
  return { run, sources };
}
