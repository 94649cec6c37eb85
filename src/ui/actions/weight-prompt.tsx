// `w` on an HAProxy server: a one-line prompt in the footer for
// `haproxy.weight BACKEND/SERVER N|N%|+N|-N|configured`, with the weight
// this LB shows now; the view stays visible above it. Enter plans (the
// action's parser judges the text first); Esc cancels.
import { Text, useInput } from 'ink';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { closeDialog } from './action-flow.js';
import { useActionsUi, useDialog } from './actions-context.js';
import { submitWeight } from './key-form-flow.js';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

/** The weight `show stat` gives the server on the pane's LB, if it has one. */
function weightNow(snapshot: HaproxySnapshot | undefined, ref: string): number | null | undefined {
  const at = ref.indexOf('/');
  const backend = snapshot?.backends.find((b) => b.name === ref.slice(0, at));
  return backend?.servers.find((s) => s.name === ref.slice(at + 1))?.weight;
}

export function WeightPrompt() {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const d = useDialog((s) => (s.dialog?.kind === 'weight' ? s.dialog : undefined));
  const now = useBaton((s) => (d ? weightNow(s.services[d.service]?.snapshot as HaproxySnapshot | undefined, d.server) : undefined));
  useInput((ch, key) => {
    if (!d) return;
    const set = (input: string) => actionsUi.dialogs.getState().update('weight', () => ({ input, error: undefined }));
    if (key.escape) {
      closeDialog({ ...services, ...actionsUi });
      services.ui.getState().showMessage('cancelled: nothing ran');
    } else if (key.return) {
      if (d.input.trim() !== '') submitWeight({ ...services, ...actionsUi }, d);
    } else if (key.backspace || key.delete) set(d.input.slice(0, -1));
    else if (key.ctrl && ch === 'u') set('');
    else if (!key.ctrl && !key.meta && ch) set(d.input + ch.replace(CONTROL, ''));
  });
  if (!d) return null;
  const shown = now === undefined || now === null ? '' : ` (now ${now})`;
  return (
    <Text wrap="truncate">
      <Text {...theme.tokens.focus}>{`weight ${d.server}${shown}: `}</Text>
      <Text {...theme.tokens.text}>{d.input}</Text>
      <Text inverse> </Text>
      {d.error ? <Text {...theme.tokens.crit}>{`  ${d.error}`}</Text> : <Text {...theme.tokens.muted}>{'  N, N% (of configured), +N, -N or configured · ⏎ plan · esc cancel'}</Text>}
    </Text>
  );
}
