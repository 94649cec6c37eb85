// A drill's report: the JSON `--json` prints (and the file keeps, with the
// raw run), and the Markdown one with the figures table and the timeline.
import type { DrillFigures } from './drill-figures.js';
import type { DrillRun } from './drill-run.js';
import { renderTimeline } from './drill-timeline.js';

export interface DrillReportFile {
  version: 1;
  figures: DrillFigures;
  run: DrillRun;
}

const ms = (v: number | null) => (v === null ? 'never' : `${(v / 1000).toFixed(2)} s`);
const clock = (run: DrillRun, at: number) => `+${((at - run.startedAt) / 1000).toFixed(2)} s`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The figures `baton drill run --json` prints: the documented fields first. */
export function figuresJson(f: DrillFigures, reportPath?: string): Record<string, unknown> {
  return {
    drill: f.drill,
    id: f.id,
    passed: f.passed,
    detectionMs: f.detectionMs,
    rtoMs: f.rtoMs,
    longestOutageMs: f.longestOutageMs,
    requests: f.requests,
    conditions: f.conditions.map((c) => ({ name: c.name, metAtMs: c.metAtMs, withinMs: c.withinMs, after: c.after })),
    restored: f.restored,
    aborted: f.aborted,
    events: f.events,
    exceeded: f.exceeded,
    failures: f.failures,
    ...(reportPath ? { report: reportPath } : {}),
  };
}

export function renderMarkdown(f: DrillFigures, run: DrillRun): string {
  const budget = (figure: string) => f.exceeded.find((e) => e.figure === figure);
  const row = (name: string, value: string, figure?: string, limit?: number) => {
    const over = figure ? budget(figure) : undefined;
    return `| ${name} | ${value} | ${limit === undefined ? '' : figure?.startsWith('requests') ? String(limit) : ms(limit)} | ${over ? '**EXCEEDED**' : limit === undefined ? '' : 'ok'} |`;
  };
  const b = run.budget;
  const lines = [
    `# Drill ${f.drill}: ${f.passed ? 'PASSED' : 'FAILED'}`,
    '',
    `- id: \`${f.id}\``,
    `- file: \`${run.file}\``,
    `- inventory: ${run.inventory}`,
    `- started: ${new Date(run.startedAt).toISOString()}, ran ${((run.endedAt - run.startedAt) / 1000).toFixed(1)} s`,
    `- fault: ${run.inject ? `${run.inject.label} (${run.inject.outcome})` : 'not injected'}`,
    ...(Object.keys(run.placeholders).length ? [`- resolved: ${Object.entries(run.placeholders).map(([k, v]) => `\${${k}} = ${v}`).join(', ')}`] : []),
    ...(f.failures.length ? ['', '## Why it failed', '', ...f.failures.map((x) => `- ${x}`)] : []),
    '',
    '## Figures',
    '',
    '| figure | value | budget | |',
    '|---|---|---|---|',
    row('detection (fault to first baton event)', ms(f.detectionMs), 'detectionMs', b.detection),
    row(`RTO (fault to traffic back above ${b.recovered_above} %)`, ms(f.rtoMs), 'rtoMs', b.rto),
    row('longest outage (no request ok)', ms(f.longestOutageMs), 'longestOutageMs', b.longest_outage),
    row('requests ok', String(f.requests.ok)),
    row('requests failed', String(f.requests.fail), 'requests.fail', b.failed_requests),
    row('requests unknown (timed out)', String(f.requests.unknown), 'requests.unknown', b.unknown_requests),
    row('requests slow', String(f.requests.slow), 'requests.slow', b.slow_requests),
    row('events raised', String(f.events)),
    row('restored', f.restored ? 'yes' : 'NO'),
    '',
    '## Conditions',
    '',
    '| condition | met after | deadline |',
    '|---|---|---|',
    ...f.conditions.map((c) => `| ${cell(c.name)} | ${c.metAtMs === null ? '**not met**' : `${ms(c.metAtMs)}${c.after === 'restore' ? ' (from restore)' : ''}`} | ${ms(c.withinMs)} |`),
    '',
    '## Timeline',
    '',
    '```',
    renderTimeline(run, f),
    '```',
    '',
    '## Steps',
    '',
    ...[...(run.inject ? [run.inject] : []), ...run.restore].map((s) => `- ${clock(run, s.startAt)} ${s.label}: ${s.outcome} (${((s.endAt - s.startAt) / 1000).toFixed(2)} s) ${cell(s.detail.split('\n')[0] ?? '')}`),
    '',
    '## Events baton raised',
    '',
    ...(run.events.length ? run.events.map((e) => `- ${clock(run, e.at)} ${e.severity} ${e.source}: ${cell(e.message)}`) : ['none']),
    '',
  ];
  return lines.join('\n');
}
