// Keys are bound to named actions; the operator can rebind them in
// keys.yaml. Pane actions act on the focused pane, global ones anywhere.
import type { Key } from 'ink';

export const ACTIONS = {
  down: { scope: 'pane', help: 'move down' },
  up: { scope: 'pane', help: 'move up' },
  top: { scope: 'pane', help: 'go to the first row' },
  bottom: { scope: 'pane', help: 'go to the last row' },
  pageDown: { scope: 'pane', help: 'page down' },
  pageUp: { scope: 'pane', help: 'page up' },
  open: { scope: 'pane', help: 'open the detail (host, server, node, member, queue, event)' },
  select: { scope: 'pane', help: 'select / unselect the host (multi-select)' },
  pauseAction: { scope: 'pane', help: 'pause / resume the action (Actions pane)' },
  abortAction: { scope: 'pane', help: 'abort the action: let running steps finish or kill them (Actions pane)' },
  sortNext: { scope: 'pane', help: 'sort by the next column' },
  sortReverse: { scope: 'pane', help: 'reverse the sort' },
  focusNext: { scope: 'global', help: 'focus the next pane' },
  focusPrev: { scope: 'global', help: 'focus the previous pane' },
  back: { scope: 'global', help: 'back / clear the filter' },
  filter: { scope: 'global', help: 'filter the focused pane' },
  command: { scope: 'global', help: 'command palette' },
  exec: { scope: 'global', help: 'run a command on the selected hosts (else the filtered ones)' },
  refresh: { scope: 'global', help: 'refresh now' },
  jumpPacemaker: { scope: 'global', help: 'jump to the Pacemaker pane (strip: PCMK)' },
  jumpHaproxy: { scope: 'global', help: 'jump to the HAProxy pane (strip: HAP)' },
  jumpEtcd: { scope: 'global', help: 'jump to the etcd pane (strip: etcd)' },
  jumpNginx: { scope: 'global', help: 'jump to the NGINX pane (strip: NGINX)' },
  jumpQueues: { scope: 'global', help: 'jump to the queues pane (strip: Q)' },
  jumpAlerts: { scope: 'global', help: 'jump to the Alerts pane (strip: ALRT)' },
  jumpDatabases: { scope: 'global', help: 'jump to the Databases pane (strip: PG)' },
  drill: { scope: 'global', help: 'run a failover drill: pick one, see its plan, confirm (a pane\'s own action on the key wins)' },
  help: { scope: 'global', help: 'this help' },
  quit: { scope: 'global', help: 'quit' },
} as const;

export type Action = keyof typeof ACTIONS;
export const ACTION_NAMES = Object.keys(ACTIONS) as Action[];

export const DEFAULT_BINDINGS: Record<Action, readonly string[]> = {
  down: ['j', 'down'],
  up: ['k', 'up'],
  top: ['g', 'home'],
  bottom: ['G', 'end'],
  pageDown: ['pagedown', 'ctrl+f'],
  pageUp: ['pageup', 'ctrl+b'],
  open: ['enter'],
  select: ['space'],
  pauseAction: ['p'],
  abortAction: ['A'],
  sortNext: ['s'],
  sortReverse: ['S'],
  focusNext: ['tab'],
  focusPrev: ['shift+tab'],
  back: ['escape'],
  filter: ['/'],
  command: [':'],
  exec: ['!'],
  refresh: ['r'],
  jumpPacemaker: ['P'],
  jumpHaproxy: ['H'],
  jumpEtcd: ['e'],
  jumpNginx: ['X'],
  jumpQueues: ['Q'],
  jumpAlerts: ['W'],
  jumpDatabases: ['B'],
  drill: ['D'],
  help: ['?'],
  quit: ['q', 'ctrl+c'],
};

/** Names a key may have in keys.yaml; digits 1-9 are kept for the views. */
export const KEY_NAME = /^(?:ctrl\+[a-z]|shift\+tab|up|down|left|right|pageup|pagedown|home|end|enter|escape|tab|space|backspace|[!-/:-~0])$/;

export interface Keymap {
  bindings: Record<Action, readonly string[]>;
  byKey: ReadonlyMap<string, Action>;
}

export function buildKeymap(bindings: Record<Action, readonly string[]>): Keymap {
  const byKey = new Map<string, Action>();
  for (const action of ACTION_NAMES) for (const key of bindings[action]) byKey.set(key, action);
  return { bindings, byKey };
}

export const DEFAULT_KEYMAP = buildKeymap(DEFAULT_BINDINGS);

/** The key's name as written in keys.yaml. */
export function keyName(input: string, key: Key): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && input.length === 1) return `ctrl+${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  return input;
}

export function actionFor(keymap: Keymap, input: string, key: Key): Action | undefined {
  return keymap.byKey.get(keyName(input, key));
}

/** First key of an action, as shown in hints. */
export function keyLabel(keymap: Keymap, action: Action): string {
  const key = keymap.bindings[action][0] ?? '';
  const short: Record<string, string> = { enter: '⏎', escape: 'esc', space: 'space', 'shift+tab': 'S-tab', pagedown: 'PgDn', pageup: 'PgUp' };
  return short[key] ?? key;
}
