// Running and recent actions: state, per-host progress, elapsed and ETA,
// and under the list the grouped output of the action under the cursor.
// Enter opens that output whole; p pauses or resumes; A asks how to abort.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { useConsole, useTheme } from '../context.js';
import { openDialog } from '../actions/action-flow.js';
import { useActionsUi, useProgress } from '../actions/actions-context.js';
import { useListCursor } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { actionRow, outputLines } from './actions-pane-lines.js';
import type { PaneProps } from './pane-props.js';

const KIND = 'actions';
/** At most this share of the pane lists actions; the rest shows output. */
const LIST_SHARE = 0.4;

export function ActionsPane({ spec, width, height, focused, active }: PaneProps) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const actions = useProgress((s) => s.actions);
  const running = actions.filter((a) => a.state === 'running' || a.state === 'paused').length;
  const now = useNow(1000);
  const ids = useMemo(() => actions.map((a) => a.id), [actions]);
  const inner = height - 2;
  const listRows = Math.max(1, Math.min(actions.length, Math.floor(inner * LIST_SHARE)));
  const cursor = useListCursor(KIND, ids, listRows);
  const current = actions[cursor.index];
  const ctx = { ...services, ...actionsUi };

  usePaneKeys(active, (action) => {
    if (cursor.navigate(action) || !current) return;
    const say = services.ui.getState().showMessage;
    const live = actionsUi.service?.isRunningAction(current.id) ?? false;
    if (action === 'open') openDialog(ctx, { kind: 'output', actionId: current.id });
    else if (action === 'pauseAction') {
      if (!actionsUi.service?.togglePause(current.id)) say(`${current.title} is not running`, 'warn');
    } else if (action === 'abortAction') {
      if (live) openDialog(ctx, { kind: 'abort', actionId: current.id, title: current.title });
      else say(`${current.title} is not running`, 'warn');
    }
  });

  const rows = actions.slice(cursor.top, cursor.top + listRows).map((a) => actionRow(a, now, width - 2));
  const output = current ? outputLines(actionsUi.service?.outputs(current.id) ?? [], 4) : [];
  const detail = current?.detail ? [[{ text: ` ${current.detail}`, token: 'muted' as const }]] : [];
  const info = `${running} running · ${actions.length} recent`;
  return (
    <PaneFrame title={spec.title ?? PANE_TITLES.actions} info={info} width={width} height={height} focused={focused}>
      {actions.length === 0 ? (
        <Text wrap="truncate" {...theme.tokens.muted}>
          {' no action yet: select hosts with space, then ! runs a command on them'}
        </Text>
      ) : (
        <Box flexDirection="column">
          <StyledLines lines={rows} top={0} height={rows.length} cursor={focused ? cursor.index - cursor.top : undefined} />
          <Text wrap="truncate" {...theme.tokens.border}>
            {'─'.repeat(Math.max(0, width - 2))}
          </Text>
          <StyledLines lines={[...detail, ...output]} top={0} height={Math.max(0, inner - rows.length - 1)} />
        </Box>
      )}
    </PaneFrame>
  );
}
