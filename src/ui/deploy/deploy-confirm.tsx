// The confirm dialog of a deploy: above the usual plan (changes,
// preconditions, locks, undo), the batches in order with what each host
// runs at each stage, scrolled with ↑/↓ when it is longer than its room.
import { Box, Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import { useTheme } from '../context.js';
import { ConfirmDialog, type ConfirmDialogProps } from '../widgets/confirm-dialog.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { deployPlanLines } from './deploy-plan-lines.js';

/** Rows the usual confirm dialog keeps below the plan. */
const CONFIRM_ROWS = 16;

export function DeployConfirm(props: ConfirmDialogProps) {
  const theme = useTheme();
  const lines = useMemo(() => deployPlanLines(props.plan), [props.plan]);
  const room = Math.max(0, props.height - CONFIRM_ROWS - 1);
  const [top, setTop] = useState(0);
  const maxTop = Math.max(0, lines.length - room);
  useInput(
    (_ch, key) => {
      if (key.downArrow) setTop((t) => Math.min(maxTop, t + 1));
      else if (key.upArrow) setTop((t) => Math.max(0, t - 1));
      else if (key.pageDown) setTop((t) => Math.min(maxTop, t + room));
      else if (key.pageUp) setTop((t) => Math.max(0, t - room));
    },
    { isActive: props.active && maxTop > 0 },
  );
  if (room < 3) return <ConfirmDialog {...props} />;
  const shown = Math.min(room, lines.length);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        <Text {...theme.tokens.focus}>{' the deploy, batch by batch'}</Text>
        <Text {...theme.tokens.muted}>{maxTop > 0 ? ` · lines ${top + 1}-${top + shown} of ${lines.length}, ↑/↓ scroll` : ''}</Text>
      </Text>
      <StyledLines lines={lines} top={top} height={shown} />
      <ConfirmDialog {...props} height={props.height - shown - 1} />
    </Box>
  );
}
