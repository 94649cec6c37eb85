// A blessed-contrib bar chart drawn off screen. blessed-contrib paints every
// bar in one colour, so each bar's cells are re-coloured here from the bar's
// own token; bars become block characters so they survive without colour.
import bar from 'blessed-contrib/lib/widget/charts/bar.js';
import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { useTheme } from '../context.js';
import type { TextStyle, Token } from '../theme/theme.js';
import { CellRows, styleGrid } from './cell-rows.js';
import { renderOffscreen } from './offscreen.js';

export interface BarDatum {
  label: string;
  /** 0-100. */
  value: number;
  token: Token;
}

export interface BarChartProps {
  width: number;
  height: number;
  bars: readonly BarDatum[];
}

export const BAR_WIDTH = 4;
export const BAR_SPACING = 7;
const X_OFFSET = 1;
const BLANK_ROWS = 2;

/** How many bars fit in `width` columns. */
export function barsThatFit(width: number): number {
  return Math.max(0, Math.floor((width - X_OFFSET - BAR_WIDTH - 1) / BAR_SPACING) + 1);
}

function drawBars(width: number, height: number, bars: readonly BarDatum[]) {
  return renderOffscreen(
    width,
    height + BLANK_ROWS,
    (box) =>
      bar({
        ...box,
        barWidth: BAR_WIDTH,
        barSpacing: BAR_SPACING,
        xOffset: X_OFFSET,
        maxHeight: 100,
        barBgColor: 'blue',
        barFgColor: 'white',
        labelColor: 'white',
      }),
    (chart) =>
      chart.setData({
        titles: bars.map((b) => b.label.slice(0, BAR_SPACING - 2)),
        data: bars.map((b) => Math.max(0, Math.min(100, Math.round(b.value)))),
      }),
    height,
  );
}

export const BarChart = memo(function BarChart({ width, height, bars }: BarChartProps) {
  const theme = useTheme();
  const key = bars.map((b) => `${b.label}:${Math.round(b.value)}:${b.token}`).join('|');
  const grid = useMemo(() => drawBars(width, height, bars), [width, height, key]);
  const rows = useMemo(() => {
    const fills = new Map<Token, TextStyle>();
    const labels = new Map<Token, TextStyle>();
    const styleOf = (token: Token, inverse: boolean): TextStyle => {
      const cache = inverse ? labels : fills;
      let style = cache.get(token);
      if (!style) cache.set(token, (style = inverse ? { ...theme.tokens[token], inverse: true } : theme.tokens[token]));
      return style;
    };
    return styleGrid(grid, (cell, x) => {
      if (cell.bg === -1) return { ch: cell.ch, style: cell.fg === -1 ? undefined : theme.tokens.muted };
      const index = Math.floor((x - X_OFFSET) / BAR_SPACING);
      const token = bars[index]?.token ?? 'text';
      return cell.ch === ' ' ? { ch: '█', style: styleOf(token, false) } : { ch: cell.ch, style: styleOf(token, true) };
    });
  }, [grid, theme, bars]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <CellRows rows={rows} />
    </Box>
  );
});
