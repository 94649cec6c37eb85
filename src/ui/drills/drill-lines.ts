// The drill view as lines: the big stopwatch, what phase the drill is in,
// the traffic now, the timeline with times, the events baton raised, and
// at the end the verdict and the report's path. Pure.
import type { DrillPhase } from '../../ops/drills/drill-runner.js';
import type { Token } from '../theme/theme.js';
import type { Line } from '../widgets/styled-lines.js';
import { bigScale, bigText, stopwatchText } from './big-digits.js';
import type { DrillSnapshot, MarkState } from './drill-snapshot.js';

export interface DrillOutcome {
  passed: boolean;
  failures: string[];
  /** The Markdown report's path. */
  report: string;
}

const PHASE_WORDS: Record<DrillPhase, string> = {
  settling: 'settling: traffic runs before the fault (the baseline)',
  injecting: 'injecting the fault',
  watching: 'fault in place: watching for detection and recovery',
  restoring: 'restoring',
  checking: 'restored: checking what needs the restore',
  observing: 'recovered: traffic runs on a little',
  done: 'over',
};

const MARK: Record<MarkState, { sign: string; token: Token }> = {
  done: { sign: '✓', token: 'ok' },
  waiting: { sign: '…', token: 'muted' },
  missed: { sign: '✗', token: 'crit' },
  failed: { sign: '✗', token: 'crit' },
};

const seconds = (ms: number | null) => (ms === null ? '-' : `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(1)} s`);
const millis = (ms: number | null) => (ms === null ? '-' : ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`);

function stopwatchToken(s: DrillSnapshot, outcome: DrillOutcome | undefined): Token {
  if (outcome) return outcome.passed ? 'ok' : 'crit';
  return s.elapsedMs === null ? 'muted' : 'warn';
}

export function stopwatchLines(s: DrillSnapshot, width: number, outcome?: DrillOutcome): Line[] {
  const text = stopwatchText(s.elapsedMs ?? 0);
  const token = stopwatchToken(s, outcome);
  return bigText(text, bigScale(text, width - 2)).map((row) => [{ text: ` ${row}`, token }]);
}

export function trafficLines(s: DrillSnapshot): Line[] {
  const t = s.traffic;
  const pct = t.okPercent === null ? '-' : `${t.okPercent.toFixed(1)} %`;
  const token: Token = t.okPercent === null ? 'muted' : t.okPercent >= 99 ? 'ok' : t.okPercent >= 50 ? 'warn' : 'crit';
  return [
    [
      { text: ' traffic   ', token: 'muted' },
      { text: `ok ${pct}`, token },
      { text: ` (last 2 s) · p50 ${millis(t.p50Ms)} · p95 ${millis(t.p95Ms)} · longest gap ${millis(t.longestGapMs)}`, token: 'text' },
    ],
    [
      { text: ' requests  ', token: 'muted' },
      { text: `ok ${t.ok}`, token: 'ok' },
      { text: ` · fail ${t.fail}`, token: t.fail > 0 ? 'crit' : 'muted' },
      { text: ` · unknown ${t.unknown}`, token: t.unknown > 0 ? 'warn' : 'muted' },
      { text: ' (timed out: may have been served)', token: 'muted' },
    ],
  ];
}

export function timelineLines(s: DrillSnapshot): Line[] {
  const labelWidth = Math.min(34, Math.max(...s.timeline.map((m) => m.label.length)));
  return s.timeline.map((m) => {
    const { sign, token } = MARK[m.state];
    const when = m.state === 'done' ? seconds(m.atMs) : m.state === 'waiting' ? 'waiting' : m.state === 'failed' ? 'failed' : 'not met';
    return [
      { text: `  ${sign} `, token },
      { text: when.padEnd(9), token: m.state === 'done' ? 'text' : token },
      { text: ` ${m.label.padEnd(labelWidth)}`, token: m.state === 'waiting' ? 'muted' : 'text' },
      ...(m.detail ? [{ text: `  ${m.detail}`, token: 'muted' as const }] : []),
    ];
  });
}

export function eventLines(s: DrillSnapshot, max: number): Line[] {
  if (s.events.length === 0) return [[{ text: '  none yet', token: 'muted' }]];
  const shown = s.events.slice(-max);
  return shown.map((e) => [
    { text: `  ${seconds(e.atMs).padEnd(9)} `, token: 'muted' },
    { text: e.severity.padEnd(5), token: e.severity === 'crit' ? 'crit' : e.severity === 'warn' ? 'warn' : 'muted' },
    { text: ` ${e.source}${e.hostId ? ` ${e.hostId}` : ''}: ${e.message}`, token: 'text' },
  ]);
}

export function outcomeLines(outcome: DrillOutcome): Line[] {
  return [
    [{ text: ` ${outcome.passed ? 'PASSED' : 'FAILED'}`, token: outcome.passed ? 'ok' : 'crit' }, { text: ` · report ${outcome.report}`, token: 'text' }],
    ...outcome.failures.map((f): Line => [{ text: `   ${f}`, token: 'crit' }]),
  ];
}

/** The whole drill view, `height` rows at most (events get what is left). */
export function drillLines(drill: string, s: DrillSnapshot, width: number, height: number, outcome?: DrillOutcome): Line[] {
  const head: Line[] = [
    ...stopwatchLines(s, width, outcome),
    [{ text: ` ${drill}`, token: 'focus' }, { text: ` · ${s.elapsedMs === null ? 'the stopwatch starts at the fault' : 'since the fault'} · ${PHASE_WORDS[s.phase]}`, token: 'muted' }],
    [],
    ...trafficLines(s),
    [],
    [{ text: ' timeline', token: 'focus' }],
    ...timelineLines(s),
  ];
  const tail = outcome ? [[], ...outcomeLines(outcome)] : [];
  // What is left after the blank line and the heading: the newest events.
  const room = height - head.length - tail.length - 2;
  const events: Line[] = room >= 1 ? [[], [{ text: ` events baton raised (${s.events.length})`, token: 'focus' }], ...eventLines(s, room)] : [];
  return [...head, ...events, ...tail];
}
