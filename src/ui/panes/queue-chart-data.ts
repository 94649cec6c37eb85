// Turns a queue's recorded points into what the detail's two line charts
// draw: depth, and the in/out rates. A missing figure repeats the one before
// (blessed-contrib cannot leave gaps); a series never measured is left out.
import { formatDuration } from '../format.js';
import type { QueuePoint } from '../state/queue-book.js';
import { fillForward } from './cluster-chart-data.js';

export interface QueueChartData {
  labels: string[];
  depth: number[] | undefined;
  rates: { title: string; values: number[] }[];
  /** The largest values shown (for the legend), at least 1. */
  maxDepth: number;
  maxRate: number;
}

/** The y axis' top for a series peaking at `max`: blessed-contrib clips a line drawn on the top edge. */
export const axisTop = (max: number): number => Math.ceil(max * 1.1) + 1;

/** The newest `max` points; undefined with fewer than two (nothing to draw a line through). */
export function queueChartData(points: readonly QueuePoint[], max: number): QueueChartData | undefined {
  const shown = points.slice(-Math.max(2, max));
  if (shown.length < 2) return undefined;
  const last = shown[shown.length - 1]!.at;
  const labels = shown.map((p) => (p.at === last ? 'now' : `-${formatDuration((last - p.at) / 1000)}`));
  const depth = fillForward(shown.map((p) => p.depth));
  const rates = [
    { title: 'in/s', values: fillForward(shown.map((p) => p.inRate)) },
    { title: 'out/s', values: fillForward(shown.map((p) => p.outRate)) },
  ].filter((r): r is { title: string; values: number[] } => r.values !== undefined);
  const top = (values: readonly number[]) => Math.max(1, Math.ceil(Math.max(0, ...values)));
  return { labels, depth, rates, maxDepth: top(depth ?? []), maxRate: top(rates.flatMap((r) => r.values)) };
}
