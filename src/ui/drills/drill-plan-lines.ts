// What the drill confirm dialog says, in the confirm dialog's style: the
// traffic, the fault, the expects, the restore, abort_if, the budget, the
// blast radius (the lock keys, the inventory, lab or not). Pure.
import { foldNodeset } from '../../inventory/nodeset.js';
import type { DrillPreview } from '../../ops/drills/drill-preview.js';
import { conditionName, type DrillSpec } from '../../ops/drills/drill-spec.js';
import type { Line } from '../widgets/styled-lines.js';

const LABEL_WIDTH = 14;

function row(label: string, text: string, token: Line[number]['token'] = 'text'): Line {
  return [{ text: ` ${label.padEnd(LABEL_WIDTH)}`, token: 'muted' }, { text, token }];
}

const rows = (label: string, items: readonly string[], none: string): Line[] => (items.length === 0 ? [row(label, none, 'muted')] : items.map((text, i) => row(i === 0 ? label : '', text)));
const s = (ms: number) => `${ms / 1000} s`;

/** The budget as two lines: the times, then the request counts. */
export function budgetTexts(spec: DrillSpec): [string, string] {
  const b = spec.budget;
  const join = (parts: (string | false)[]) => parts.filter((p): p is string => typeof p === 'string').join(' · ');
  const times = join([b.detection !== undefined && `detection ${s(b.detection)}`, b.rto !== undefined && `RTO ${s(b.rto)} (traffic back above ${b.recovered_above} %)`, b.longest_outage !== undefined && `longest outage ${s(b.longest_outage)}`]);
  const counts = join([b.failed_requests !== undefined && `failed ${b.failed_requests}`, b.unknown_requests !== undefined && `unknown ${b.unknown_requests}`, b.slow_requests !== undefined && `slow ${b.slow_requests}`]);
  return [times || `no time budget (traffic back above ${b.recovered_above} % for the RTO)`, counts ? `requests: ${counts}` : 'no request budget'];
}

export function drillPlanLines(spec: DrillSpec, file: string, preview: DrillPreview, inventory: string, lab: boolean): Line[] {
  const traffic = spec.traffic.map((t) => `${t.name}: ${t.http ?? t.tcp ?? t.redis ?? `etcd put loop on ${t.etcd_put!.endpoints.length} endpoints`}${t.from ? ` from ${t.from}` : ''} · ${t.rate}/s · timeout ${s(t.timeout)}`);
  const expects = spec.expect.map((c) => `${conditionName(c)} · within ${s(c.within ?? 0)}${c.after === 'restore' ? ' after restore' : ''}`);
  const aborts = spec.abort_if.map((c) => `${conditionName(c)}${c.for ? ` for ${s(c.for)}` : ''}`);
  const placeholders = Object.entries(preview.placeholders).map(([k, v]) => `\${${k}} = ${v}`);
  return [
    [{ text: ` drill ${spec.name}`, token: 'focus' }, ...(spec.description ? [{ text: `: ${spec.description}`, token: 'text' as const }] : [])],
    [],
    row('injects', `${preview.inject} · after ${s(spec.inject.settle)} of traffic`, 'warn'),
    ...rows('traffic', traffic, 'none'),
    ...rows('expects', expects, 'none: the figures only'),
    ...rows('restore', preview.restore, 'none'),
    ...rows('abort if', aborts, 'none'),
    ...budgetTexts(spec).map((text, i) => row(i === 0 ? 'budget' : '', text)),
    row('blast radius', `${inventory}${lab ? ' (the lab)' : ' (NOT the lab: a real cluster)'} · locks ${foldNodeset(preview.locks)}`, lab ? 'text' : 'warn'),
    ...(placeholders.length > 0 ? [row('read now', placeholders.join(' · '), 'muted')] : []),
    row('file', file, 'muted'),
    ...(preview.problem ? [[], row('cannot start', preview.problem, 'crit')] : []),
  ];
}
