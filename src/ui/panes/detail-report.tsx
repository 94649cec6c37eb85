// A full-screen detail as a scrolled report: an optional fixed part on top
// (a chart), then lines that j/k, PgUp/PgDn and g/G scroll when taller than
// the screen. Esc (a global key) goes back.
import { Box, useInput } from 'ink';
import { useState, type ReactNode } from 'react';
import { useConsole } from '../context.js';
import { actionFor, type Action } from '../keymap/keymap.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';

export interface DetailReportProps {
  title: string;
  info?: string;
  width: number;
  height: number;
  active: boolean;
  lines: readonly Line[];
  /** Drawn above the lines, `fixedRows` tall. */
  fixed?: ReactNode;
  fixedRows?: number;
}

export function DetailReport({ title, info, width, height, active, lines, fixed, fixedRows = 0 }: DetailReportProps) {
  const { keymap } = useConsole();
  const [top, setTop] = useState(0);
  const rows = Math.max(0, height - 2 - fixedRows);
  const maxTop = Math.max(0, lines.length - rows);
  const shownTop = Math.min(top, maxTop);

  useInput(
    (input, key) => {
      const page = Math.max(1, rows - 1);
      const moves: Partial<Record<Action, number>> = { down: 1, up: -1, pageDown: page, pageUp: -page, top: -maxTop, bottom: maxTop };
      const action = actionFor(keymap, input, key);
      const move = action && moves[action];
      if (move) setTop(Math.max(0, Math.min(maxTop, shownTop + move)));
    },
    { isActive: active },
  );

  const scroll = maxTop > 0 ? `${shownTop + 1}-${Math.min(lines.length, shownTop + rows)}/${lines.length}` : '';
  return (
    <PaneFrame title={title} info={[info, scroll].filter(Boolean).join(' · ')} width={width} height={height} focused>
      {fixed ? (
        <Box flexDirection="column" height={fixedRows}>
          {fixed}
        </Box>
      ) : null}
      <StyledLines lines={lines} top={shownTop} height={rows} />
    </PaneFrame>
  );
}
