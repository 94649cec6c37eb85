// n on the Deploy pane: pick a deploy (↑/↓) and its release (typed, or tab
// through the ones found beside release.from), ⏎ plans it into the confirm
// dialog (batches in order, each host's steps), esc cancels.
import { Text, useInput } from 'ink';
import { closeDialog } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import type { Dialog } from '../actions/dialog-store.js';
import { useConsole, useTheme } from '../context.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { planPicked } from './deploy-flow.js';
import { defaultRelease, nextRelease, pickLines } from './deploy-pick.js';

type PickDialog = Extract<Dialog, { kind: 'deploy-pick' }>;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/g;

export function DeployPickDialog({ dialog, width, height }: { dialog: PickDialog; width: number; height: number }) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const ctx = { ...services, ...actionsUi };
  const update = (change: Partial<PickDialog>) => actionsUi.dialogs.getState().update('deploy-pick', () => ({ error: undefined, ...change }));
  useInput((ch, key) => {
    if (key.escape) return closeDialog(ctx);
    if (key.upArrow || key.downArrow) {
      const cursor = Math.max(0, Math.min(dialog.items.length - 1, dialog.cursor + (key.downArrow ? 1 : -1)));
      return update({ cursor, version: defaultRelease(dialog.items[cursor]) });
    }
    if (key.tab) return update({ version: nextRelease(dialog) });
    if (key.return) return planPicked(ctx, dialog);
    if (key.backspace || key.delete) return update({ version: dialog.version.slice(0, -1) });
    if (key.ctrl && ch === 'u') return update({ version: '' });
    if (!key.ctrl && !key.meta && ch) update({ version: dialog.version + ch.replace(CONTROL, '') });
  });
  return (
    <PaneFrame title="New deploy" info={`${dialog.items.length} deploy${dialog.items.length === 1 ? '' : 's'}`} width={width} height={height} focused>
      <Text wrap="truncate">{' Pick a deploy and its release; the plan comes next, nothing runs before you confirm it.'}</Text>
      <Text> </Text>
      <StyledLines lines={pickLines(dialog)} top={0} height={Math.max(1, height - 6)} />
      {dialog.error ? <Text wrap="truncate" {...theme.tokens.crit}>{` ${dialog.error}`}</Text> : null}
      <Text wrap="truncate">{' ↑/↓ deploy · type the release (tab: the next one found) · ⏎ plan · esc cancel'}</Text>
    </PaneFrame>
  );
}
