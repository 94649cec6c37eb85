// The bottom line: the filter/command input, the quit question, a message,
// or the key hints of the focused pane.
import { Text, useInput } from 'ink';
import { DialogFooter } from '../actions/action-dialog.js';
import { useActionsUi } from '../actions/actions-context.js';
import { paneKeyHints } from '../actions/pane-action-keys.js';
import { useConsole, useTheme, useUi } from '../context.js';
import { useCurrentView } from '../hooks/use-current-view.js';
import { PANES } from '../panes/pane-registry.js';
import { CommandBar } from './command-bar.js';
import { keyHints } from './key-hints.js';

function QuitQuestion() {
  const theme = useTheme();
  const { ui, quit } = useConsole();
  useInput((ch) => {
    if (ch === 'y' || ch === 'Y') quit();
    else ui.getState().setMode('normal');
  });
  return <Text {...theme.tokens.warn}>An action is still running. Quit anyway? [y/N]</Text>;
}

export function Footer({ width }: { width: number }) {
  const theme = useTheme();
  const { keymap } = useConsole();
  const mode = useUi((s) => s.mode);
  const message = useUi((s) => s.message);
  const detail = useUi((s) => (s.detail === undefined ? undefined : s.detail.kind === 'host' ? 'host' : 'service'));
  const { focused } = useCurrentView();
  const { service } = useActionsUi();
  if (mode === 'filter' || mode === 'command') return <CommandBar width={width} />;
  if (mode === 'confirm-quit') return <QuitQuestion />;
  if (mode === 'dialog') return <DialogFooter />;
  if (message) {
    const token = message.severity === 'info' ? 'text' : message.severity;
    return (
      <Text wrap="truncate" {...theme.tokens[token]}>
        {message.text}
      </Text>
    );
  }
  const custom = paneKeyHints(service?.actions() ?? [], focused?.pane);
  const hints = keyHints(keymap, focused ? PANES[focused.pane].hints : [], detail, custom);
  return (
    <Text wrap="truncate" {...theme.tokens.muted}>
      {hints}
    </Text>
  );
}
