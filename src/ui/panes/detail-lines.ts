// Building blocks of the service details: labelled facts, section headings,
// who answered and how old the data is, and the alerts and events that
// concern the item shown. Pure.
import { STALE_AFTER_INTERVALS } from '../../store/selectors.js';
import type { Notice, ServiceState } from '../../store/services.js';
import type { BatonEvent } from '../../store/types.js';
import { formatAge, formatClock, MISSING } from '../format.js';
import type { Token } from '../theme/theme.js';
import type { Line, Part } from '../widgets/styled-lines.js';
import { SEVERITY_TOKEN } from './service-block.js';

export interface DetailContext {
  now: number;
  intervalMs: number;
  /** Columns inside the frame. */
  width: number;
}

/** What a kind's detail contributes: its title, its own lines, and the word events and alerts about the item contain. */
export interface KindDetail {
  title: string;
  lines: Line[];
  /** Undefined: the whole service (every alert and event). */
  subject?: string;
  /** The item's alerts when the kind knows them better than by name (queues); else the service's alerts that mention the subject. */
  alerts?: readonly Notice[];
}

const LABEL_WIDTH = 11;
const RECENT_EVENTS = 8;
const RAW_LINES = 6;

export const fact = (label: string, ...parts: Part[]): Line => [{ text: ` ${label.padEnd(LABEL_WIDTH)} `, token: 'muted' }, ...parts];
export const heading = (title: string): Line => [{ text: ` ${title}`, token: 'focus' }];
export const num = (v: number | null | undefined): string => (v === null || v === undefined ? MISSING : String(v));
export const yesNo = (v: boolean, badWhen: boolean, badToken: Token = 'warn'): Part => ({ text: v ? 'yes' : 'no', token: v === badWhen ? badToken : 'muted' });

/**
 * `name` as a whole word of `message`: "app" is not in "app/web1", "web1" is
 * in "app/web1 went DOWN", "jobs" is in "jobs: 700 waiting" but not in
 * "jobs:dead: 3 new" (queue names may hold colons).
 */
export function mentions(message: string, name: string): boolean {
  return mentionAt(message, name) >= 0;
}

/** Where `name` first stands as a whole word in `message` (as `mentions` reads it); -1 if nowhere. */
export function mentionAt(message: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = new RegExp(`(^|[\\s(,/>])${escaped}($|[\\s),]|:(\\s|$))`).exec(message);
  return found ? found.index + found[1]!.length : -1;
}

/** Who answered, how, and how old the data is; the last failure with its raw output. */
export function envelopeLines(s: ServiceState, ctx: DetailContext): Line[] {
  const lines: Line[] = [];
  if (s.answeredBy) lines.push(fact('answered by', { text: s.answeredBy }, { text: s.via ? ` via ${s.via}` : '', token: 'muted' }));
  lines.push(fact('asks', { text: s.candidates.join(', ') || 'no host', token: 'muted' }));
  if (s.updatedAt === undefined) lines.push(fact('data', { text: 'none yet', token: 'muted' }));
  else {
    const age = ctx.now - s.updatedAt;
    const stale = age > STALE_AFTER_INTERVALS * ctx.intervalMs;
    lines.push(fact('data', { text: `${formatAge(age)} old (${formatClock(s.updatedAt)})${stale ? ' STALE' : ''}`, token: stale ? 'warn' : 'muted' }));
  }
  if (s.error) {
    lines.push(fact('error', { text: `${formatClock(s.error.at)} ${s.error.message}`, token: 'crit' }));
    const raw = (s.error.raw ?? '').split('\n').filter((l) => l.trim() !== '');
    for (const l of raw.slice(0, RAW_LINES)) lines.push([{ text: `   ${l}`, token: 'muted' }]);
  }
  return lines;
}

/** The kind's alerts, else the service's current alerts about the subject (all without one), worst first. */
export function detailAlertLines(s: ServiceState, detail: KindDetail): Line[] {
  const rank = { crit: 0, warn: 1, info: 2 } as const;
  const subject = detail.subject;
  const about = [...(detail.alerts ?? s.alerts.filter((a) => subject === undefined || mentions(a.message, subject)))].sort((a, b) => rank[a.severity] - rank[b.severity]);
  return [heading('ALERTS'), ...(about.length === 0 ? [[{ text: '  none', token: 'ok' as Token }]] : about.map((a): Line => [{ text: `  ▲ ${a.message}`, token: SEVERITY_TOKEN[a.severity] }]))];
}

/** The service's newest events about `subject`, without the service-name prefix the poller adds. */
export function detailEventLines(s: ServiceState, events: readonly BatonEvent[], subject: string | undefined): Line[] {
  const prefix = `${s.key}: `;
  const own = events
    .filter((e) => e.source === s.kind && e.message.startsWith(prefix))
    .map((e) => ({ ...e, message: e.message.slice(prefix.length) }))
    .filter((e) => subject === undefined || mentions(e.message, subject))
    .slice(0, RECENT_EVENTS);
  return [
    heading('EVENTS'),
    ...(own.length === 0
      ? [[{ text: '  none since the console started', token: 'muted' as Token }]]
      : own.map((e): Line => [{ text: `  ${formatClock(e.at)} `, token: 'muted' }, { text: e.message, token: SEVERITY_TOKEN[e.severity] }])),
  ];
}

/** The whole report: who answered, the kind's own lines, then the alerts and events about the item. */
export function reportLines(s: ServiceState, detail: KindDetail, events: readonly BatonEvent[], ctx: DetailContext): Line[] {
  return [...envelopeLines(s, ctx), ...detail.lines, ...detailAlertLines(s, detail), ...detailEventLines(s, events, detail.subject)];
}
