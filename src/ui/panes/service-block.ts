// The envelope of one service in a pane: who answered, how, how old the
// data is (stale marked as in the hosts pane), its alerts, and its state
// when there is no snapshot yet or the last poll failed. Pure.
import { STALE_AFTER_INTERVALS } from '../../store/selectors.js';
import type { ServiceState } from '../../store/services.js';
import type { Severity } from '../../store/types.js';
import { formatAge } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line } from '../widgets/styled-lines.js';
import { SERVICE_ITEM } from './service-items.js';

export interface BlockContext {
  now: number;
  intervalMs: number;
  /** Columns inside the pane border. */
  width: number;
}

/** Data younger than this many poll intervals shows its age as "now" (as the hosts pane does). */
const FRESH_INTERVALS = 2;
const RAW_LINES = 3;

export const SEVERITY_TOKEN: Record<Severity, Token> = { info: 'text', warn: 'warn', crit: 'crit' };

function headerLine(s: ServiceState, ctx: BlockContext): Line {
  const line = itemLine(SERVICE_ITEM, [{ text: ` ${s.key}`, token: 'focus' }]);
  if (s.answeredBy && s.answeredBy !== s.key) line.push({ text: ` @${s.answeredBy}`, token: 'text' });
  if (s.via) line.push({ text: ` via ${s.via}`, token: 'muted' });
  if (s.updatedAt !== undefined) {
    const age = ctx.now - s.updatedAt;
    const stale = age > STALE_AFTER_INTERVALS * ctx.intervalMs;
    const text = age < FRESH_INTERVALS * ctx.intervalMs ? 'now' : `${formatAge(age)} ago`;
    line.push({ text: ` · ${text}${stale ? ' STALE' : ''}`, token: stale ? 'warn' : 'muted' });
  }
  return line;
}

/** Alerts worst first, so a crit never scrolls below a warn. */
export function alertLines(s: ServiceState): Line[] {
  const rank: Record<Severity, number> = { crit: 0, warn: 1, info: 2 };
  return [...s.alerts].sort((a, b) => rank[a.severity] - rank[b.severity]).map((a) => itemLine(SERVICE_ITEM, [{ text: ` ▲ ${a.message}`, token: SEVERITY_TOKEN[a.severity] }]));
}

export function statusLines(s: ServiceState): Line[] {
  const lines: Line[] = [];
  if (s.error) {
    lines.push(itemLine(SERVICE_ITEM, [{ text: ` ✖ ${s.error.message}`, token: 'crit' }]));
    const raw = (s.error.raw ?? '').split('\n').filter((l) => l.trim() !== '');
    for (const l of raw.slice(0, RAW_LINES)) lines.push([{ text: `   ${l}`, token: 'muted' }]);
  }
  if (s.snapshot === undefined && !s.error) lines.push(itemLine(SERVICE_ITEM, [{ text: ` waiting for ${s.candidates.join(', ') || 'a host'}`, token: 'muted' }]));
  return lines;
}

/** The compact form (the incident view): header, alerts, error or waiting; `ok` when none of these has a word to say. */
export function compactServiceBlock(s: ServiceState, ctx: BlockContext): Line[] {
  const alerts = alertLines(s);
  const status = statusLines(s);
  const ok = alerts.length === 0 && status.length === 0 ? [itemLine(SERVICE_ITEM, [{ text: ' ✓ no alerts', token: 'ok' }])] : [];
  return [headerLine(s, ctx), ...alerts, ...status, ...ok];
}

/** A whole block: header, alerts, error or waiting, then the probe's own lines. */
export function serviceBlock(s: ServiceState, ctx: BlockContext, body: (snapshot: unknown, s: ServiceState) => Line[]): Line[] {
  return [headerLine(s, ctx), ...alertLines(s), ...statusLines(s), ...(s.snapshot === undefined ? [] : body(s.snapshot, s))];
}
