// A blessed-contrib line chart (braille dots) drawn off screen and shown as
// Ink text in theme colours. Series colours are drawn as palette markers
// (red, green, ...) and mapped back to the theme's series styles.
import line from 'blessed-contrib/lib/widget/charts/line.js';
import { Box } from 'ink';
import { memo, useMemo } from 'react';
import { useTheme } from '../context.js';
import type { TextStyle } from '../theme/theme.js';
import { CellRows, styleGrid } from './cell-rows.js';
import { renderOffscreen } from './offscreen.js';

export interface ChartSeries {
  title: string;
  values: readonly number[];
  style: TextStyle;
}

export interface LineChartProps {
  width: number;
  height: number;
  series: readonly ChartSeries[];
  /** One per point; a few are drawn under the axis. */
  labels: readonly string[];
  maxY: number;
}

const MARKERS = ['red', 'green', 'yellow', 'blue', 'magenta', 'cyan'];
const TEXT_INDEX = 7;
const AXIS_INDEX = 0;

/** The widget's canvas stops 2 rows short and its x labels sit one row above that: draw taller, keep `height`. */
const BLANK_ROWS = 3;

function drawLine(width: number, height: number, series: readonly ChartSeries[], labels: readonly string[], maxY: number) {
  return renderOffscreen(
    width,
    height + BLANK_ROWS,
    (box) =>
      line({
        ...box,
        minY: 0,
        maxY,
        numYLabels: height >= 10 ? 4 : 2,
        wholeNumbersOnly: true,
        xLabelPadding: 3,
        xPadding: 4,
        showLegend: false,
        style: { line: MARKERS[0], text: 'white', baseline: 'black' },
      }),
    (chart) =>
      chart.setData(
        series.map((s, i) => ({ title: s.title, x: [...labels], y: [...s.values], style: { line: MARKERS[i % MARKERS.length] } })),
      ),
    height,
  );
}

export const LineChart = memo(function LineChart({ width, height, series, labels, maxY }: LineChartProps) {
  const theme = useTheme();
  // Keyed on the values, not the arrays: an unchanged fleet never re-draws.
  const key = series.map((s) => s.values.map((v) => v.toFixed(1)).join(',')).join('|');
  const grid = useMemo(
    () => drawLine(width, height, series, labels, maxY),
    [width, height, key, labels.join(','), maxY],
  );
  const rows = useMemo(() => {
    const seriesStyles = MARKERS.map((_, i) => series[i]?.style);
    return styleGrid(grid, (cell) => {
      if (cell.fg === TEXT_INDEX) return { ch: cell.ch, style: theme.tokens.muted };
      if (cell.fg === AXIS_INDEX) return { ch: cell.ch, style: theme.tokens.border };
      const marker = cell.fg - 1;
      return { ch: cell.ch, style: marker >= 0 ? seriesStyles[marker] : undefined };
    });
  }, [grid, theme, series]);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <CellRows rows={rows} />
    </Box>
  );
});
