// The one-line status strip (`PCMK ok · HAP web2 DOWN · etcd ok · Q 1 alert`):
// one segment per configured service kind: its worst alert in its own few
// words, else its worst service named with a count. The
// severities are the service panes': an alert's own, a failed poll crit,
// stale data warn (as the pane header marks it), no data yet waiting. Pure,
// so the console and `--once` print the same words.
import { STALE_AFTER_INTERVALS } from '../../store/selectors.js';
import { SERVICE_KINDS, type ServiceKind, type ServicesState, type ServiceState } from '../../store/services.js';
import type { Severity } from '../../store/types.js';
import { visibleText } from '../visible-text.js';

/** Worst last: a kind shows the state of its worst service. */
export const STRIP_STATES = ['ok', 'waiting', 'warn', 'crit'] as const;
export type StripState = (typeof STRIP_STATES)[number];

export interface StripSegment {
  kind: ServiceKind;
  /** Short name of the kind: PCMK, HAP, etcd, NGINX, Q. */
  label: string;
  /** What follows the label: `ok`, `waiting`, or the worst service and its problems. */
  text: string;
  /** As `text` without the service's name, for a strip that would not fit otherwise. */
  short: string;
  state: StripState;
}

export const STRIP_LABELS: Record<ServiceKind, string> = { pacemaker: 'PCMK', haproxy: 'HAP', etcd: 'etcd', nginx: 'NGINX', queues: 'Q', alerts: 'ALRT', postgresql: 'PG', mysql: 'MY' };

const rank = (s: StripState): number => STRIP_STATES.indexOf(s);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

interface Judged {
  service: ServiceState;
  state: StripState;
  /** The worst alert's own few words (`web2 DOWN`), when it has them. */
  brief?: string;
  /** What is wrong, in the pane's words: failed poll, alerts, stale data. */
  problems: string[];
  /** Alerts, plus one for a failed poll and one for stale data: breaks ties between equally bad services. */
  count: number;
}

function judge(service: ServiceState, now: number, intervalMs: number): Judged {
  const problems: string[] = [];
  let state: StripState = service.snapshot === undefined && !service.error ? 'waiting' : 'ok';
  const worsen = (s: StripState) => {
    if (rank(s) > rank(state)) state = s;
  };
  if (service.error) {
    problems.push('poll failed');
    worsen('crit');
  }
  // Info notices are not problems: the pane draws them as plain text.
  const alerts = service.alerts.filter((a) => a.severity !== 'info');
  let brief: string | undefined;
  if (alerts.length > 0) {
    for (const a of alerts) worsen(a.severity as Exclude<Severity, 'info'>);
    const worst = alerts.find((a) => a.severity === state && a.brief) ?? alerts.find((a) => a.brief);
    brief = worst?.brief;
    problems.push(brief ? `${brief}${alerts.length > 1 ? ` +${plural(alerts.length - 1, 'alert')}` : ''}` : plural(alerts.length, 'alert'));
  }
  const stale = service.updatedAt !== undefined && now - service.updatedAt > STALE_AFTER_INTERVALS * intervalMs;
  if (stale) {
    problems.push('stale');
    worsen('warn');
  }
  return { service, state, brief, problems, count: alerts.length + (service.error ? 1 : 0) + (stale ? 1 : 0) };
}

function segmentOf(kind: ServiceKind, services: readonly ServiceState[], now: number, intervalMs: number): StripSegment {
  const judged = services.map((s) => judge(s, now, intervalMs));
  // The worst service; among equals the one with most problems, then inventory order.
  const worst = judged.reduce((a, b) => (rank(b.state) > rank(a.state) || (b.state === a.state && b.count > a.count) ? b : a));
  const label = STRIP_LABELS[kind];
  if (worst.problems.length === 0) {
    const word = worst.state === 'waiting' ? 'waiting' : 'ok';
    return { kind, label, text: word, short: word, state: worst.state };
  }
  const others = judged.filter((j) => j !== worst && j.problems.length > 0).length;
  const all = visibleText(`${worst.problems.join(', ')}${others > 0 ? ` +${others} more` : ''}`);
  // An alert's own words name what is wrong (`HAP web2 DOWN`, alone when space is short); without them, the service that has it.
  if (worst.brief) return { kind, label, text: all, short: visibleText(worst.brief), state: worst.state };
  return { kind, label, text: `${visibleText(worst.service.key)} ${all}`, short: all, state: worst.state };
}

/** A segment for each service kind the inventory configures, in SERVICE_KINDS order. */
export function stripSegments(services: ServicesState, now: number, intervalMs: number): StripSegment[] {
  const byKind = new Map<ServiceKind, ServiceState[]>();
  for (const s of Object.values(services)) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s]);
  return SERVICE_KINDS.filter((k) => byKind.has(k)).map((k) => segmentOf(k, byKind.get(k)!, now, intervalMs));
}

export const STRIP_SEPARATOR = ' · ';

/** The strip as plain text (`--once`); empty when no service is configured. `short` leaves the names out. */
export function stripText(segments: readonly StripSegment[], short = false): string {
  return segments.map((s) => `${s.label} ${short ? s.short : s.text}`).join(STRIP_SEPARATOR);
}
