// A pane's border with its title in the top edge. The focused pane gets a
// heavy top edge as well as the focus colour, so focus shows without colour.
// The sides keep one border style: Ink 6.8 re-applies only the style keys
// that changed, so switching borderStyle would bring back the top border
// hidden by borderTop={false} (an empty first line inside the pane).
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { useTheme } from '../context.js';
import { fit } from '../format.js';

export interface PaneFrameProps {
  title: string;
  /** Right side of the top edge: counts, filter, sort, age. */
  info?: string;
  width: number;
  height: number;
  focused: boolean;
  children?: ReactNode;
}

const ROUND = { tl: '╭', tr: '╮', h: '─' };
const HEAVY = { tl: '┏', tr: '┓', h: '━' };

export function PaneFrame({ title, info, width, height, focused, children }: PaneFrameProps) {
  const theme = useTheme();
  if (width < 4 || height < 2) return <Box width={width} height={height} />;
  const chars = focused ? HEAVY : ROUND;
  const border = focused ? theme.tokens.focus : theme.tokens.border;
  const inner = width - 2;
  const head = fit(` ${title} `, Math.max(0, inner - 1), 'left', false);
  const tail = info ? fit(` ${info} `, Math.max(0, inner - 1 - head.length - 1), 'left', false) : '';
  const fill = Math.max(0, inner - 1 - head.length - tail.length);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text {...border}>{chars.tl + chars.h}</Text>
        <Text {...(focused ? theme.tokens.focus : theme.tokens.text)} bold>
          {head}
        </Text>
        <Text {...border}>{chars.h.repeat(Math.max(0, fill - (tail ? 1 : 0)))}</Text>
        <Text {...theme.tokens.muted}>{tail}</Text>
        <Text {...border}>{(tail ? chars.h : '') + chars.tr}</Text>
      </Text>
      <Box
        flexDirection="column"
        width={width}
        height={height - 1}
        borderStyle="round"
        borderTop={false}
        borderColor={border.color}
        borderDimColor={border.dimColor}
        overflow="hidden"
      >
        {children}
      </Box>
    </Box>
  );
}
