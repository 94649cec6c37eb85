// The Actions pane's lines: one row per action (state, a per-host progress
// bar, hosts done, elapsed, ETA, title), and the grouped output of the
// action under the cursor (clush -b: identical output and exit status once,
// under a folded nodeset). Pure.
import { actionCounts, actionEtaMs, type ActionProgress, type ActionRunState, type HostRunState } from '../../store/actions.js';
import { exitSummary, groupOutputs, type HostOutput, type OutputGroup } from '../../ops/exec/output-groups.js';
import { fit, formatAge } from '../format.js';
import type { Token } from '../theme/theme.js';
import type { Line, Part } from '../widgets/styled-lines.js';

export const STATE_TOKEN: Record<ActionRunState, Token> = {
  running: 'focus',
  paused: 'warn',
  ok: 'ok',
  failed: 'crit',
  unknown: 'unknown',
  'rolled-back': 'warn',
  abandoned: 'muted',
  refused: 'warn',
};

const HOST_CELL: Record<HostRunState, { char: string; token: Token }> = {
  ok: { char: '█', token: 'ok' },
  failed: { char: '█', token: 'crit' },
  unknown: { char: '?', token: 'unknown' },
  cancelled: { char: '·', token: 'muted' },
  running: { char: '▒', token: 'focus' },
  pending: { char: '░', token: 'muted' },
};

/** Settled hosts first (by outcome), then running, then pending. */
const BAR_ORDER: HostRunState[] = ['ok', 'failed', 'unknown', 'cancelled', 'running', 'pending'];

/** One cell per host when they fit, else cells in proportion to each state's hosts. */
export function progressBar(a: ActionProgress, width: number): Part[] {
  const hosts = Object.values(a.hosts);
  const counts = new Map<HostRunState, number>(BAR_ORDER.map((s) => [s, 0]));
  for (const h of hosts) counts.set(h.state, (counts.get(h.state) ?? 0) + 1);
  const cells = Math.min(width, Math.max(1, hosts.length));
  const parts: Part[] = [];
  let used = 0;
  let seen = 0;
  for (const state of BAR_ORDER) {
    seen += counts.get(state) ?? 0;
    // Cumulative rounding: the cells always add up to the bar's width.
    const end = hosts.length === 0 ? 0 : Math.round((seen / hosts.length) * cells);
    if (end > used) parts.push({ text: HOST_CELL[state].char.repeat(end - used), token: HOST_CELL[state].token });
    used = Math.max(used, end);
  }
  if (width > used) parts.push({ text: ' '.repeat(width - used) });
  return parts;
}

export const BAR_WIDTH = 12;

export function actionRow(a: ActionProgress, now: number, width: number): Line {
  const { done, total } = actionCounts(a);
  const elapsed = formatAge((a.endedAt ?? now) - a.startedAt);
  const live = a.state === 'running' || a.state === 'paused';
  const eta = live ? actionEtaMs(a, now) : undefined;
  const etaText = live ? (eta === undefined ? 'eta –' : `eta ${formatAge(eta)}`) : '';
  const fixed = 1 + 11 + BAR_WIDTH + 1 + 10 + 7 + 9;
  return [
    { text: ` ${fit(a.state, 10)} `, token: STATE_TOKEN[a.state] },
    ...progressBar(a, BAR_WIDTH),
    { text: ` ${fit(`${done}/${total}`, 9)}`, token: 'text' },
    { text: fit(elapsed, 6, 'right') + ' ', token: 'muted' },
    { text: fit(etaText, 8) + ' ', token: 'muted' },
    { text: fit(a.title, Math.max(0, width - fixed), 'left', false), token: 'text' },
  ];
}

function groupHead(g: OutputGroup): Part[] {
  const what = g.outcome === 'ok' || g.outcome === 'failed' ? (g.rc === null ? g.error ?? g.outcome : `rc ${g.rc}`) : `${g.outcome}${g.error ? `: ${g.error}` : ''}`;
  const token: Token = g.outcome === 'ok' ? 'ok' : g.outcome === 'failed' ? 'crit' : g.outcome === 'unknown' ? 'unknown' : 'muted';
  return [
    { text: ` ${g.nodeset}`, token: 'focus' },
    { text: ` (${g.hosts.length}) `, token: 'muted' },
    { text: what, token },
  ];
}

const textLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/** Grouped output; at most `perGroup` lines of output under each group (Infinity: all). */
export function outputLines(outputs: readonly HostOutput[], perGroup = Infinity): Line[] {
  if (outputs.length === 0) return [[{ text: ' no host has finished yet', token: 'muted' }]];
  const lines: Line[] = [[{ text: ` ${exitSummary(outputs)}`, token: 'muted' }]];
  for (const g of groupOutputs(outputs)) {
    lines.push(groupHead(g));
    const body = [...textLines(g.stdout).map((t) => ({ t, token: 'text' as Token })), ...textLines(g.stderr).map((t) => ({ t, token: 'warn' as Token }))];
    for (const { t, token } of body.slice(0, perGroup)) lines.push([{ text: `   ${t}`, token }]);
    if (body.length > perGroup) lines.push([{ text: `   … ${body.length - perGroup} more lines (⏎ shows all)`, token: 'muted' }]);
  }
  return lines;
}
