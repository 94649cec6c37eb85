// Full-screen detail of one queue (or of the broker): the history of its
// depth and of its in/out rates as two blessed-contrib line charts, then the
// report (figures, consumers, alerts, events). The history is the console's
// queue book, kept since it started.
import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { ServiceState } from '../../store/services.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { fit } from '../format.js';
import { useNow } from '../hooks/use-now.js';
import type { ServiceDetail } from '../state/ui-store.js';
import { seriesStyle, type TextStyle } from '../theme/theme.js';
import { LineChart } from '../widgets/line-chart.js';
import { reportLines } from './detail-lines.js';
import { DetailReport } from './detail-report.js';
import { axisTop, queueChartData } from './queue-chart-data.js';
import { queueDetail } from './queue-detail-lines.js';
import { parseItem } from './service-items.js';
import { useQueueHistory } from './use-queue-history.js';

const MIN_CHART_ROWS = 5;
const MAX_CHART_ROWS = 12;
/** Two charts side by side from this many columns; below it, depth only. */
const SIDE_BY_SIDE = 60;

interface Props {
  service: ServiceState;
  detail: ServiceDetail;
  width: number;
  height: number;
  active: boolean;
}

export function QueueDetail({ service, detail, width, height, active }: Props) {
  const theme = useTheme();
  const { intervalMs, queueBook } = useConsole();
  const events = useBaton((s) => s.events);
  const now = useNow(intervalMs);
  const services = useMemo(() => [service], [service]);
  const queues = useQueueHistory(services).get(detail.serviceId) ?? [];
  const item = parseItem(detail.item);
  const name = item?.type === 'queue' ? item.name : undefined;

  const inner = width - 2;
  const innerRows = height - 2;
  const chartRows = name === undefined || innerRows < 14 ? 0 : Math.max(MIN_CHART_ROWS, Math.min(MAX_CHART_ROWS, Math.floor(innerRows * 0.4)));
  const split = inner >= SIDE_BY_SIDE;
  const chartWidth = split ? Math.floor(inner / 2) : inner;
  const points = Math.max(8, Math.min(120, chartWidth - 10));
  // The book hands out a new array per recorded poll: the chart redraws only then.
  const series = name === undefined ? undefined : queueBook.series(detail.serviceId, name);
  const chart = useMemo(() => (series ? queueChartData(series, points) : undefined), [series, points]);

  const kind = service.snapshot === undefined ? { title: name ? `queue ${name}` : 'broker', lines: [] } : queueDetail(service.snapshot, queues, detail.item);
  const lines = reportLines(service, kind, events, { now, intervalMs, width: inner });
  const style = (i: number): TextStyle => seriesStyle(theme, i);

  const fixed =
    chartRows === 0 ? undefined : !chart?.depth ? (
      <Text {...theme.tokens.muted}>{fit(` collecting history… (${series?.length ?? 0} poll so far, the chart needs 2)`, inner)}</Text>
    ) : (
      <>
        <Box flexDirection="row" height={chartRows}>
          <LineChart width={chartWidth} height={chartRows} series={[{ title: 'depth', values: chart.depth, style: style(0) }]} labels={chart.labels} maxY={axisTop(chart.maxDepth)} />
          {split && chart.rates.length > 0 ? (
            <LineChart width={chartWidth} height={chartRows} series={chart.rates.map((r, i) => ({ ...r, style: style(i + 1) }))} labels={chart.labels} maxY={axisTop(chart.maxRate)} />
          ) : null}
        </Box>
        <Text wrap="truncate">
          <Text {...style(0)}>{`━ depth (max ${chart.maxDepth})`}</Text>
          {split ? chart.rates.map((r, i) => <Text key={r.title} {...style(i + 1)}>{`  ━ ${r.title}`}</Text>) : null}
          {split && chart.rates.length > 0 ? <Text {...theme.tokens.muted}>{` (max ${chart.maxRate}/s)`}</Text> : null}
        </Text>
      </>
    );
  return (
    <DetailReport
      title={`Queues ${service.key} · ${kind.title}`}
      width={width}
      height={height}
      active={active}
      lines={lines}
      fixed={fixed}
      fixedRows={chartRows === 0 ? 0 : chart?.depth ? chartRows + 1 : 1}
    />
  );
}
