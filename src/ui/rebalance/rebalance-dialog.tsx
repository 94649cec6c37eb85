// R on the Cluster load pane: strategy (the seed's four), levers, band, from
// the inventory's rebalance defaults, the queue lever's idle threshold and
// whether a HAProxy weight may go to 0. Enter plans `rebalance` with them into
// the confirm dialog (the load chart before → after and every change); Esc
// cancels. j/k move between fields, h/l or ←/→ change one, space a lever.
import { Text, useInput } from 'ink';
import { LEVERS } from '../../ops/rebalance/rebalance-args.js';
import { STRATEGIES } from '../../ops/rebalance/strategies.js';
import { closeDialog, planAndConfirm } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import type { Dialog } from '../actions/dialog-store.js';
import { useConsole, useTheme } from '../context.js';
import { actionFor } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { change, FIELDS, formOptions, moveField, toggleLever } from './rebalance-form.js';

type RebalanceDialogState = Extract<Dialog, { kind: 'rebalance' }>;

const WHAT: Record<(typeof STRATEGIES)[number], string> = {
  resource_based: 'weight ∝ spare capacity = capacity × (1 − load)',
  least_loaded: 'shift weight from the most to the least loaded host until the band holds',
  round_robin: 'equal weights',
  weighted_random: 'seeded weighted picks of capacity × 100 / (1 + load)',
};

/** The levers `pick` keeps, as checkboxes; the one under the cursor in focus (the levers wrap over two rows). */
function leverCells(d: RebalanceDialogState, pick: (l: (typeof LEVERS)[number]) => boolean): Line {
  return LEVERS.flatMap((l, i) => (pick(l) ? [{ text: `${d.form.levers.includes(l) ? '☑' : '☐'} ${l}`, token: d.form.field === 1 && d.form.lever === i ? ('focus' as const) : ('text' as const) }, { text: '  ', token: 'text' as const }] : []));
}

function formLines(d: RebalanceDialogState): Line[] {
  const mark = (i: number) => ({ text: d.form.field === i ? ' ▸ ' : '   ', token: 'focus' as const });
  return [
    [mark(0), { text: 'strategy  ', token: 'muted' }, ...STRATEGIES.flatMap((s) => [{ text: s === d.form.strategy ? `[${s}]` : ` ${s} `, token: s === d.form.strategy ? ('focus' as const) : ('text' as const) }, { text: ' ', token: 'text' as const }])],
    [{ text: `             ${WHAT[d.form.strategy]}`, token: 'muted' }],
    [mark(1), { text: 'levers    ', token: 'muted' }, ...leverCells(d, (l) => !l.startsWith('pacemaker'))],
    [{ text: '             ', token: 'muted' }, ...leverCells(d, (l) => l.startsWith('pacemaker'))],
    [{ text: '             haproxy: weights of the servers named after hosts (every LB) · etcd: the leader off an overloaded host', token: 'muted' }],
    [{ text: '             queues: idle Redis consumers\' pending entries to the live one with the fewest; RabbitMQ leaders spread', token: 'muted' }],
    [{ text: '             pacemaker: resources off an overloaded node, pinned, checked by crm_simulate · -balanced: utilization', token: 'muted' }],
    [{ text: '             and placement-strategy=balanced instead · -stale: old or orphaned cli-prefer/cli-ban constraints removed', token: 'muted' }],
    [mark(2), { text: 'band      ', token: 'muted' }, { text: `±${d.form.band} points`, token: d.form.field === 2 ? 'focus' : 'text' }, { text: '  (a host outside target ± band is out of balance)', token: 'muted' }],
    [mark(3), { text: 'idle      ', token: 'muted' }, { text: `${d.form.idleSeconds} s`, token: d.form.field === 3 ? 'focus' : 'text' }, { text: '  (queues: a consumer idle longer gives up its pending entries; not given back)', token: 'muted' }],
    [mark(4), { text: 'weight 0  ', token: 'muted' }, { text: d.form.allowZero ? '☑ allowed' : '☐ never', token: d.form.field === 4 ? 'focus' : 'text' }, { text: d.form.allowZero ? '  (a server on an overloaded host may leave rotation, never a backend\'s last; step up to 100 %)' : '  (every server in rotation keeps weight ≥ 1)', token: 'muted' }],
  ];
}

export function RebalanceDialog({ dialog: d, width, height }: { dialog: RebalanceDialogState; width: number; height: number }) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const ctx = { ...services, ...actionsUi };
  const update = (form: RebalanceDialogState['form']) => actionsUi.dialogs.getState().update('rebalance', () => ({ form, error: undefined }));
  useInput((ch, key) => {
    const move = actionFor(services.keymap, ch, key);
    if (move === 'down' || move === 'up') return update(moveField(d.form, move === 'down' ? 1 : -1));
    if (key.leftArrow || ch === 'h') return update(change(d.form, -1));
    if (key.rightArrow || ch === 'l') return update(change(d.form, 1));
    if (ch === ' ' && d.form.field === 1) return update(toggleLever(d.form));
    if (ch === ' ' && d.form.field === 4) return update(change(d.form, 1));
    if (ch === '-' && (d.form.field === 2 || d.form.field === 3)) return update(change(d.form, -1));
    if (ch === '+' && (d.form.field === 2 || d.form.field === 3)) return update(change(d.form, 1));
    if (key.escape) {
      closeDialog(ctx);
      return services.ui.getState().showMessage('cancelled: nothing ran');
    }
    if (key.return) {
      if (d.form.levers.length === 0) return actionsUi.dialogs.getState().update('rebalance', () => ({ error: 'pick at least one lever (space)' }));
      closeDialog(ctx);
      void planAndConfirm(ctx, 'rebalance', [], formOptions(d.form));
    }
  });
  const lines = formLines(d);
  return (
    <PaneFrame title="Rebalance" info={`${FIELDS.length} settings · from the inventory's rebalance: defaults`} width={width} height={height} focused>
      <Text wrap="truncate" {...theme.tokens.text}>{' Spread the load: the plan shows each host\'s load before → after and every change before anything runs.'}</Text>
      <Text> </Text>
      <StyledLines lines={lines} top={0} height={Math.min(lines.length, Math.max(1, height - 6))} />
      <Text> </Text>
      {d.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${d.error}`}</Text> : <Text> </Text>}
      <Text wrap="truncate" {...theme.tokens.muted}>{' ⏎ plan · j/k field · h/l or ←/→ change · space lever / weight 0 · esc cancel'}</Text>
    </PaneFrame>
  );
}
