// Promote from the Databases pane: planned like `:act`; when the guard
// refuses because another server of the set still answers as primary, this
// dialog shows why and offers the explicit choice "old primary is fenced"
// (f): the promote is planned again with --fenced SET, and its confirm
// dialog asks for the set's name typed. Any other refusal is shown as is.
import { Text, useInput } from 'ink';
import type { Refusal } from '../../ops/engine/registry.js';
import { useConsole, useTheme } from '../context.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { closeDialog, openDialog, planAndConfirm } from './action-flow.js';
import { useActionsUi } from './actions-context.js';
import type { Dialog } from './dialog-store.js';

type Ctx = Parameters<typeof planAndConfirm>[0];
export type FencedDialog = Extract<Dialog, { kind: 'fenced' }>;

/** True when the refusal is the two-primaries guard, the one --fenced SET lifts (the planners' hint names it). */
export const fencedRefusal = (r: Refusal, set: string): boolean => r.hint?.includes(`--fenced ${set}`) === true;

/** `action HOST` for a server of `set`; the two-primaries refusal opens the fenced choice. */
export function startPromote(ctx: Ctx, action: string, host: string, set: string): Promise<void> {
  return planAndConfirm(ctx, action, [host], {}, (r) => {
    if (!fencedRefusal(r, set)) return false;
    openDialog(ctx, { kind: 'fenced', action, host, set, reason: r.reason, hint: r.hint ?? '' });
    return true;
  });
}

export function FencedDialogView({ dialog, width, height }: { dialog: FencedDialog; width: number; height: number }) {
  const theme = useTheme();
  const ctx = { ...useConsole(), ...useActionsUi() };
  useInput((ch, key) => {
    if (ch === 'f') {
      closeDialog(ctx);
      void planAndConfirm(ctx, dialog.action, [dialog.host], { fenced: dialog.set });
    } else if (key.escape || ch === 'n') {
      closeDialog(ctx);
      ctx.ui.getState().showMessage('cancelled: nothing ran');
    }
  });
  return (
    <PaneFrame title={`Promote ${dialog.host}?`} info="refused as asked" width={width} height={height} focused>
      <Text wrap="wrap" {...theme.tokens.warn}>{` ${dialog.action} ${dialog.host}: ${dialog.reason}`}</Text>
      <Text wrap="wrap" {...theme.tokens.muted}>{` ${dialog.hint}`}</Text>
      <Text> </Text>
      <Text wrap="truncate">
        <Text {...theme.tokens.focus}>{' f'}</Text>
        <Text {...theme.tokens.text}>{` old primary is fenced (it can take no writes): plan with --fenced ${dialog.set}, then type ${dialog.set} to confirm`}</Text>
      </Text>
      <Text wrap="truncate">
        <Text {...theme.tokens.focus}>{' esc'}</Text>
        <Text {...theme.tokens.text}>{' cancel: nothing runs'}</Text>
      </Text>
    </PaneFrame>
  );
}
