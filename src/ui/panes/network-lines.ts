// The Network pane's lines: one per device (reachable, name, type, address,
// probe, round trip, loss over the last probes, availability since start
// and over the last hour, last state change, where it is probed from),
// then the reason it is unreachable under it. Narrow panes drop the least
// needed columns first. Pure.
import type { DeviceProbeResult } from '../../probes/device-probe.js';
import { LOSS_WINDOW } from '../../probes/availability.js';
import type { WatchState } from '../../store/watches.js';
import { fit, formatClock } from '../format.js';
import type { Part } from '../widgets/styled-lines.js';
import type { ItemLines } from './checks-lines.js';
import { availabilityToken, formatMs, formatPct, reasonLine, watchMark } from './watch-lines.js';

type DeviceView = DeviceProbeResult & { type: string; address: string; probe: string };

interface Column {
  title: string;
  width: number;
  right?: boolean;
  /** Dropped first when the pane is narrow (higher drops earlier). */
  drop: number;
  value(w: WatchState, r: DeviceView | undefined): Part;
}

const COLUMNS: Column[] = [
  { title: 'DEVICE', width: 13, drop: 0, value: (w) => ({ text: w.name }) },
  { title: 'TYPE', width: 8, drop: 3, value: (_w, r) => ({ text: r?.type ?? '', token: 'muted' }) },
  { title: 'ADDRESS', width: 15, drop: 2, value: (_w, r) => ({ text: r?.address ?? '' }) },
  { title: 'PROBE', width: 9, drop: 5, value: (_w, r) => ({ text: r?.probe ?? '', token: 'muted' }) },
  { title: 'RTT', width: 7, right: true, drop: 0, value: (_w, r) => ({ text: formatMs(r?.rttMs) }) },
  { title: 'LOSS', width: 5, right: true, drop: 0, value: (w) => ({ text: w.summary ? `${Math.round(w.summary.lossPct)}%` : '–', token: w.summary && w.summary.lossPct > 0 ? 'warn' : 'text' }) },
  { title: 'AVAIL', width: 6, right: true, drop: 1, value: (w) => ({ text: formatPct(w.summary?.availabilityPct), token: availabilityToken(w.summary?.availabilityPct) }) },
  { title: '1H', width: 6, right: true, drop: 0, value: (w) => ({ text: formatPct(w.summary?.availabilityHourPct), token: availabilityToken(w.summary?.availabilityHourPct) }) },
  { title: 'CHANGED', width: 8, right: true, drop: 1, value: (w) => ({ text: w.summary ? formatClock(w.summary.since) : '–', token: 'muted' }) },
  { title: 'FROM', width: 10, drop: 4, value: (w) => ({ text: w.from, token: 'muted' }) },
];

/** The columns that fit `width` (2 for the mark, 1 between columns). */
export function networkColumns(width: number): Column[] {
  let shown = COLUMNS;
  const need = (cols: Column[]) => 2 + cols.reduce((n, c) => n + c.width + 1, 0);
  for (const level of [5, 4, 3, 2, 1]) {
    if (need(shown) <= width) break;
    shown = shown.filter((c) => c.drop !== level);
  }
  return shown;
}

const cell = (c: Column, text: string) => `${fit(text, c.width, c.right ? 'right' : 'left')} `;

export function networkHeader(width: number): Part[] {
  return [{ text: fit(`  ${networkColumns(width).map((c) => cell(c, c.title)).join('')}`, width), token: 'muted' }];
}

export function deviceLines(w: WatchState, width: number): ItemLines {
  const r = w.error ? undefined : (w.result as DeviceView | undefined);
  const mark = watchMark(w, '●', '○');
  const parts: Part[] = [{ text: `${mark.text} `, token: mark.token }];
  for (const c of networkColumns(width)) {
    const p = c.value(w, r);
    parts.push({ text: cell(c, p.text), token: p.token });
  }
  const reason = reasonLine(w, width);
  return { id: w.name, lines: reason ? [parts, reason] : [parts] };
}

/** What the pane's title says: how many are up, and over how many probes loss counts. */
export function networkInfo(devices: readonly WatchState[]): string {
  const up = devices.filter((d) => d.summary?.up === true && !d.error).length;
  return `${up}/${devices.length} up · loss over ${LOSS_WINDOW} probes`;
}
