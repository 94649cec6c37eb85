// The footer's key hints for the focused pane or the open detail, from the
// live keymap.
import { keyLabel, type Action, type Keymap } from '../keymap/keymap.js';

const HINT: Partial<Record<Action, string>> = {
  down: 'move',
  select: 'select',
  open: 'detail',
  filter: 'filter',
  sortNext: 'sort',
  focusNext: 'pane',
  command: 'cmd',
  exec: 'exec',
  pauseAction: 'pause',
  abortAction: 'abort',
  drill: 'drill',
  help: 'help',
  quit: 'quit',
  back: 'back',
  refresh: 'refresh',
};

/** A host detail scrolls and reloads its log; a service detail scrolls its report. */
export type DetailHints = 'host' | 'service';

const DETAIL_WORDS: Record<DetailHints, Partial<Record<Action, string>>> = {
  host: { down: 'scroll log', refresh: 'reload log' },
  service: { down: 'scroll' },
};

const DETAIL_ACTIONS: Record<DetailHints, Action[]> = {
  host: ['down', 'refresh', 'back', 'command', 'help', 'quit'],
  service: ['down', 'back', 'command', 'help', 'quit'],
};

function label(keymap: Keymap, action: Action): string {
  if (action === 'down') return `${keyLabel(keymap, 'down')}/${keyLabel(keymap, 'up')}`;
  if (action === 'sortNext') return `${keyLabel(keymap, 'sortNext')}/${keyLabel(keymap, 'sortReverse')}`;
  return keyLabel(keymap, action);
}

/** `custom`: the operator's own actions that fit the pane, as `key name`, after the pane's own keys. */
export function keyHints(keymap: Keymap, paneActions: readonly Action[], detail?: DetailHints, custom: readonly string[] = []): string {
  const words = detail ? DETAIL_WORDS[detail] : {};
  const hint = (a: Action) => `${label(keymap, a)} ${words[a] ?? HINT[a] ?? a}`;
  if (detail) return DETAIL_ACTIONS[detail].map(hint).join('  ');
  return [...paneActions.map(hint), ...custom, ...(['focusNext', 'command', 'help', 'quit'] as const).map(hint)].join('  ');
}
