// The Pacemaker node picker (M move, b ban on a resource): every node of the
// cluster, those the resource cannot run on marked with why, live from the
// pane's snapshot; for a move also "no node" (ban the current one), p for
// move and pin, t to type the pin's lifetime. Enter plans; Esc cancels.
import { Text, useInput } from 'ink';
import { useMemo } from 'react';
import { nodesOf } from '../../ops/failover/pacemaker/resolve-change.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { fit } from '../format.js';
import { actionFor } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { closeDialog } from './action-flow.js';
import { useActionsUi } from './actions-context.js';
import type { Dialog } from './dialog-store.js';
import { choosePickedNode, pickerChoices } from './key-form-flow.js';
import type { NodeChoice } from './node-choices.js';

type Picker = Extract<Dialog, { kind: 'node-picker' }>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

function choiceLine(c: NodeChoice, width: number): Line {
  return [
    { text: `  ${fit(c.label, width)}`, token: c.blocked ? 'muted' : 'text' },
    ...(c.reason ? [{ text: `  ${c.reason}`, token: c.blocked ? ('warn' as const) : ('muted' as const) }] : []),
  ];
}

function pinLine(d: Picker): Line {
  const lifetime = d.typingLifetime ? `${d.lifetime}_` : d.lifetime || 'none';
  return [
    { text: ' pin ', token: 'muted' },
    { text: d.pin ? 'on' : 'off', token: d.pin ? 'warn' : 'text' },
    { text: d.pin ? ' (move and pin: the cli-prefer constraint stays)' : ' (the constraint is removed once it runs there and stays)', token: 'muted' },
    { text: '  lifetime ', token: 'muted' },
    { text: lifetime, token: d.typingLifetime ? 'focus' : d.pin ? 'text' : 'muted' },
    { text: d.typingLifetime ? '  ISO 8601, e.g. PT10M · ⏎ done' : '', token: 'muted' },
  ];
}

export function NodePicker({ dialog: d, width, height }: { dialog: Picker; width: number; height: number }) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const ctx = { ...services, ...actionsUi };
  const snapshot = useBaton((s) => s.services[`pacemaker:${d.cluster}`]?.snapshot as PacemakerSnapshot | undefined);
  const choices = useMemo(() => pickerChoices(snapshot, d), [snapshot, d.resource, d.verb]);
  const update = (change: Partial<Picker>) => actionsUi.dialogs.getState().update('node-picker', () => ({ ...change, error: undefined }));

  useInput((ch, key) => {
    if (d.typingLifetime) {
      if (key.return || key.escape) update({ typingLifetime: false });
      else if (key.backspace || key.delete) update({ lifetime: d.lifetime.slice(0, -1) });
      else if (!key.ctrl && !key.meta && ch) update({ lifetime: d.lifetime + ch.replace(CONTROL, '') });
      return;
    }
    const move = actionFor(services.keymap, ch, key);
    if (move === 'down' || move === 'up') return update({ cursor: Math.max(0, Math.min(choices.length - 1, d.cursor + (move === 'down' ? 1 : -1))) });
    if (key.escape) {
      closeDialog(ctx);
      return services.ui.getState().showMessage('cancelled: nothing ran');
    }
    if (key.return) return choosePickedNode(ctx, d);
    if (d.verb !== 'move') return;
    if (ch === 'p') update({ pin: !d.pin });
    // A lifetime is for a pin only: typing one pins.
    else if (ch === 't') update({ typingLifetime: true, pin: true });
  });

  const running = snapshot ? nodesOf(snapshot, d.resource) : [];
  const labelWidth = Math.min(30, Math.max(8, ...choices.map((c) => c.label.length)));
  const lines = choices.map((c) => choiceLine(c, labelWidth));
  const listHeight = Math.max(1, Math.min(lines.length, height - 7));
  const whole = d.member ? ` (${d.member} is in it: a member moves with its group or clone)` : '';
  const what = d.verb === 'move' ? `Pick the node to move ${d.resource} to${whole}` : `Pick the node to keep ${d.resource} off${whole}`;
  const keys = d.verb === 'move' ? ' ⏎ plan (the plan shows what the scheduler predicts) · j/k move · p pin · t lifetime · esc cancel' : ' ⏎ plan (the plan shows what the scheduler predicts) · j/k move · esc cancel';
  const info = `cluster ${d.cluster} · runs on ${running.length > 0 ? running.join(', ') : 'no node'}`;
  return (
    <PaneFrame title={`${d.verb === 'move' ? 'Move' : 'Ban'} ${d.resource}`} info={info} width={width} height={height} focused>
      <Text wrap="truncate" {...theme.tokens.text}>{` ${what}:`}</Text>
      {snapshot ? null : <Text wrap="truncate" {...theme.tokens.warn}>{` no crm_mon snapshot of cluster ${d.cluster} yet`}</Text>}
      <StyledLines lines={lines} top={Math.max(0, d.cursor - listHeight + 1)} height={listHeight} cursor={d.cursor} />
      <Text> </Text>
      {d.verb === 'move' ? <StyledLines lines={[pinLine(d)]} top={0} height={1} /> : null}
      {d.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${d.error}`}</Text> : <Text> </Text>}
      <Text wrap="truncate" {...theme.tokens.muted}>{keys}</Text>
    </PaneFrame>
  );
}
