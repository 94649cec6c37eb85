// Cluster load: the capacity-aware target with its ±10-point band and the
// hosts outside it, a line chart of fleet CPU and load (plus the host under
// the hosts cursor) and per-group load bars, both drawn by blessed-contrib.
// R opens the rebalance dialog.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { bucketHistory, fleetLoad, fleetSeries, groupLoads } from '../../store/fleet-load.js';
import { newestUpdate } from '../../store/selectors.js';
import { useBaton, useConsole, useTheme, useUi } from '../context.js';
import { fit } from '../format.js';
import { useSettled } from '../hooks/use-settled.js';
import { seriesStyle } from '../theme/theme.js';
import { levelOf } from '../thresholds.js';
import { BarChart, barsThatFit, type BarDatum } from '../widgets/bar-chart.js';
import { LineChart } from '../widgets/line-chart.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { clusterChartData } from './cluster-chart-data.js';
import { useRebalance } from '../rebalance/use-rebalance.js';
import { LoadSummary } from './load-summary.js';
import type { PaneProps } from './pane-props.js';

const SUMMARY_ROWS = 3;
const CURSOR_SETTLE_MS = 250;
const MIN_CHART_ROWS = 5;
const MIN_CHART_WIDTH = 20;

export function ClusterLoadPane({ spec, width, height, focused, active }: PaneProps) {
  const theme = useTheme();
  const { intervalMs, thresholds } = useConsole();
  const hosts = useBaton((s) => s.hosts);
  const order = useBaton((s) => s.order);
  const inventory = useBaton((s) => s.inventory);
  // Redrawing the chart is the costly part of a frame: wait for the cursor to rest.
  const cursorHost = useSettled(useUi((s) => s.cursorHost), CURSOR_SETTLE_MS);

  const innerWidth = width - 2;
  const rest = height - 2 - SUMMARY_ROWS;
  const barRows = rest >= 14 && innerWidth >= MIN_CHART_WIDTH ? Math.min(9, Math.floor(rest * 0.4)) : 0;
  const chartRows = rest - barRows - 1;
  const points = Math.max(8, Math.min(120, innerWidth - 10));

  const load = useMemo(() => fleetLoad({ hosts, order }), [hosts, order]);
  // R: the rebalance dialog; after one, the hosts it brought back into the band.
  const backInBand = useRebalance(active, load);
  // The newest data, not the clock, ends the window: a still fleet draws a still chart.
  const end = useMemo(() => newestUpdate({ hosts, order }), [hosts, order]);
  const fleet = useMemo(
    () => (end === undefined ? undefined : fleetSeries({ hosts, order }, { end, bucketMs: intervalMs, buckets: points })),
    [hosts, order, end, intervalMs, points],
  );
  const selected = cursorHost ? hosts[cursorHost] : undefined;
  const chart = useMemo(() => {
    if (!fleet || end === undefined) return undefined;
    const host = selected && { id: selected.spec.id, points: bucketHistory(selected.history.items, { end, bucketMs: intervalMs, buckets: points }) };
    const data = clusterChartData(fleet, intervalMs, host);
    return data && { labels: data.labels, series: data.series.map((s, i) => ({ ...s, style: seriesStyle(theme, i) })) };
  }, [fleet, selected, end, intervalMs, points, theme]);

  const bars = useMemo((): BarDatum[] => {
    const groups = groupLoads({ hosts, order, inventory });
    const entries = groups.length > 0 ? groups.map((g) => ({ label: g.name, value: g.load })) : load.hosts.map((h) => ({ label: h.id, value: h.load }));
    const known = entries.filter((e): e is { label: string; value: number } => e.value !== null);
    const fitting = barsThatFit(innerWidth);
    const shown = known.length > fitting ? [...known].sort((a, b) => b.value - a.value).slice(0, fitting) : known;
    return shown.map((e) => {
      const level = levelOf(e.value, thresholds.cpu);
      return { label: e.label, value: e.value, token: level === 'text' ? 'ok' : level };
    });
  }, [hosts, order, inventory, load, innerWidth, thresholds]);

  const showChart = chart !== undefined && chartRows >= MIN_CHART_ROWS && innerWidth >= MIN_CHART_WIDTH;
  return (
    <PaneFrame title={spec.title ?? 'Cluster load'} width={width} height={height} focused={focused}>
      <LoadSummary load={load} backInBand={backInBand} />
      {showChart ? (
        <>
          <LineChart width={innerWidth} height={chartRows} series={chart.series} labels={chart.labels} maxY={100} />
          <Text wrap="truncate">
            {chart.series.map((s, i) => (
              <Text key={s.title} {...s.style}>
                {`${i > 0 ? '  ' : ''}━ ${s.title}`}
              </Text>
            ))}
          </Text>
        </>
      ) : (
        <Box height={Math.max(0, chartRows + 1)}>
          <Text {...theme.tokens.muted}>{fit(chartRows < MIN_CHART_ROWS ? ' (no room for the chart)' : ' collecting history…', innerWidth)}</Text>
        </Box>
      )}
      {barRows > 0 && bars.length > 0 ? <BarChart width={innerWidth} height={barRows} bars={bars} /> : null}
    </PaneFrame>
  );
}
