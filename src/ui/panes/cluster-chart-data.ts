// Turns bucketed history into what the line chart draws. blessed-contrib
// cannot leave gaps, so the window starts at the first bucket with fleet
// data and a missing bucket repeats the previous value.
import type { FleetSeries } from '../../store/fleet-load.js';
import type { HistoryPoint } from '../../store/types.js';
import { formatDuration } from '../format.js';

export interface ChartData {
  labels: string[];
  series: { title: string; values: number[] }[];
}

/** Nulls repeat the value before them (leading ones the first value); undefined when all are null. */
export function fillForward(values: readonly (number | null)[]): number[] | undefined {
  const first = values.find((v) => v !== null);
  if (first === undefined || first === null) return undefined;
  let last = first;
  return values.map((v) => (v === null ? last : (last = v)));
}

export function clusterChartData(
  fleet: FleetSeries,
  bucketMs: number,
  host?: { id: string; points: readonly (HistoryPoint | null)[] },
): ChartData | undefined {
  const start = fleet.cpu.findIndex((v) => v !== null);
  if (start < 0 || fleet.cpu.length - start < 2) return undefined;
  const cpu = fillForward(fleet.cpu.slice(start))!;
  const load = fillForward(fleet.load.slice(start)) ?? cpu;
  const series = [
    { title: 'fleet cpu', values: cpu },
    { title: 'fleet load', values: load },
  ];
  const hostCpu = host && fillForward(host.points.slice(start).map((p) => p?.cpuPercent ?? null));
  if (host && hostCpu) series.push({ title: `${host.id} cpu`, values: hostCpu });
  const n = cpu.length;
  const labels = cpu.map((_, i) => (i === n - 1 ? 'now' : `-${formatDuration(((n - 1 - i) * bucketMs) / 1000)}`));
  return { labels, series };
}
