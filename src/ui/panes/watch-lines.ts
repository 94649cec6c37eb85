// What the Checks and Network panes share: the state mark, a latency
// sparkline with failed probes marked, percentages, and the line under an
// item saying why it failed. Pure.
import type { WatchState } from '../../store/watches.js';
import { fit, formatClock } from '../format.js';
import type { Token } from '../theme/theme.js';
import { sparkline } from '../widgets/sparkline.js';
import type { Line } from '../widgets/styled-lines.js';

export type WatchMark = { text: string; token: Token };

/** ✓/● up, ✖/○ down, ? not probed (its host down, no tool there) or not yet. */
export function watchMark(w: WatchState, upText: string, downText: string): WatchMark {
  if (w.error || !w.summary) return { text: '?', token: 'unknown' };
  return w.summary.up ? { text: upText, token: 'ok' } : { text: downText, token: 'crit' };
}

/** Latencies as blocks, `×` where a probe failed, right-aligned in `width`. */
export function latencySparkline(values: readonly (number | null)[], width: number): string {
  const shown = values.slice(-Math.max(0, width));
  const blocks = sparkline(shown.map((v) => v ?? 0), width);
  return [...blocks].map((c, i) => (shown[i] === null ? '×' : c)).join('').padStart(width);
}

export const formatPct = (p: number | null | undefined): string => (p === null || p === undefined ? '–' : p === 100 ? '100%' : `${p.toFixed(1)}%`);
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  // Loopback and LAN round trips are fractions of a millisecond.
  return ms < 1 ? `${ms.toFixed(2)}ms` : ms < 10 ? `${ms.toFixed(1)}ms` : `${Math.round(ms)}ms`;
}

export function availabilityToken(p: number | undefined): Token {
  if (p === undefined) return 'muted';
  return p >= 99.9 ? 'ok' : p >= 99 ? 'warn' : 'crit';
}

/** The line under an item: why it cannot be probed, why it fails now, or (muted) its last failure. */
export function reasonLine(w: WatchState, width: number): Line | undefined {
  const indent = '    ';
  if (w.error) return [{ text: fit(`${indent}? ${w.error.message}`, width), token: 'unknown' }];
  const s = w.summary;
  if (!s?.lastFailure) return undefined;
  if (!s.up) return [{ text: fit(`${indent}✖ ${s.lastFailure.reason}`, width), token: 'crit' }];
  return [{ text: fit(`${indent}last failure ${formatClock(s.lastFailure.at)}: ${s.lastFailure.reason}`, width), token: 'muted' }];
}
