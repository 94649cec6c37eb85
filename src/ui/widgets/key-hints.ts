// The footer's key hints for the focused pane, from the live keymap.
import { keyLabel, type Action, type Keymap } from '../keymap/keymap.js';

const HINT: Partial<Record<Action, string>> = {
  down: 'move',
  select: 'select',
  open: 'detail',
  filter: 'filter',
  sortNext: 'sort',
  focusNext: 'pane',
  command: 'cmd',
  help: 'help',
  quit: 'quit',
  back: 'back',
  refresh: 'refresh',
};

function label(keymap: Keymap, action: Action): string {
  if (action === 'down') return `${keyLabel(keymap, 'down')}/${keyLabel(keymap, 'up')}`;
  if (action === 'sortNext') return `${keyLabel(keymap, 'sortNext')}/${keyLabel(keymap, 'sortReverse')}`;
  return keyLabel(keymap, action);
}

export function keyHints(keymap: Keymap, paneActions: readonly Action[], inDetail: boolean): string {
  const actions: Action[] = inDetail ? ['down', 'refresh', 'back', 'command', 'help', 'quit'] : [...paneActions, 'focusNext', 'command', 'help', 'quit'];
  return actions
    .map((a) => `${label(keymap, a)} ${inDetail && a === 'down' ? 'scroll log' : inDetail && a === 'refresh' ? 'reload log' : HINT[a] ?? a}`)
    .join('  ');
}
