// The Checks pane's lines: one per HTTP check (state, name, HTTP status,
// latency now and as a sparkline, availability since start, where it runs
// from), then the reason of a failure under it. Pure.
import type { HttpCheckResult } from '../../probes/http-check.js';
import type { WatchState } from '../../store/watches.js';
import { fit } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { availabilityToken, formatMs, formatPct, latencySparkline, reasonLine, watchMark } from './watch-lines.js';

const NAME = 16;
const STATUS = 4;
const LATENCY = 7;
const AVAIL = 6;
const FROM = 10;
const MIN_SPARK = 6;
const MAX_SPARK = 30;

export interface ItemLines {
  id: string;
  lines: Line[];
}

export function checkHeader(width: number): Line {
  const spark = sparkWidth(width);
  return [{ text: fit(`  ${'CHECK'.padEnd(NAME)} ${'HTTP'.padStart(STATUS)} ${'LAT'.padStart(LATENCY)} ${'HISTORY'.padEnd(spark)} ${'AVAIL'.padStart(AVAIL)} FROM`, width), token: 'muted' }];
}

function sparkWidth(width: number): number {
  const fixed = 2 + NAME + 1 + STATUS + 1 + LATENCY + 1 + 1 + AVAIL + 1 + FROM;
  return Math.max(MIN_SPARK, Math.min(MAX_SPARK, width - fixed));
}

export function checkLines(w: WatchState, width: number): ItemLines {
  const r = w.error ? undefined : (w.result as HttpCheckResult | undefined);
  const mark = watchMark(w, '✓', '✖');
  const spark = sparkWidth(width);
  const s = w.summary;
  const line: Line = [
    { text: `${mark.text} `, token: mark.token },
    { text: fit(w.name, NAME), token: 'text' },
    { text: ` ${(r?.status === null || r === undefined ? '–' : String(r.status)).padStart(STATUS)}`, token: r && !r.ok ? 'crit' : 'text' },
    { text: ` ${formatMs(r?.latencyMs).padStart(LATENCY)}` },
    { text: ` ${latencySparkline(s?.latencyMs ?? [], spark)}`, token: 'focus' },
    { text: ` ${formatPct(s?.availabilityPct).padStart(AVAIL)}`, token: availabilityToken(s?.availabilityPct) },
    { text: ` ${fit(w.from, FROM)}`, token: 'muted' },
  ];
  const reason = reasonLine(w, width);
  return { id: w.name, lines: reason ? [line, reason] : [line] };
}
