// What the confirm dialog says about a plan, as lines: title, targets
// folded as a nodeset, the blast radius, changes before -> after,
// preconditions, locks, how it runs, how it is verified, and its undo or
// "no undo". Pure, so it is tested without drawing.
import { foldNodeset } from '../../inventory/nodeset.js';
import { confirmLevel, confirmWord, TYPED_CONFIRM_ABOVE_HOSTS, type Plan } from '../../ops/engine/plan.js';
import type { Line } from './styled-lines.js';

const LABEL_WIDTH = 14;
const MAX_LISTED = 5;

function row(label: string, text: string, token: Line[number]['token'] = 'text'): Line {
  return [{ text: ` ${label.padEnd(LABEL_WIDTH)}`, token: 'muted' }, { text, token }];
}

/** Identical changes on several targets once, under their folded names. */
function changeLines(plan: Plan): Line[] {
  if (plan.changes.length === 0) return [row('changes', 'none named by the plan', 'muted')];
  const groups = new Map<string, { targets: string[]; what: string; before: string; after: string }>();
  for (const c of plan.changes) {
    const key = JSON.stringify([c.what, c.before, c.after]);
    const g = groups.get(key);
    if (g) g.targets.push(c.target);
    else groups.set(key, { targets: [c.target], what: c.what, before: c.before, after: c.after });
  }
  const all = [...groups.values()];
  const shown = all.slice(0, MAX_LISTED).map((g, i) => row(i === 0 ? 'changes' : '', `${foldNodeset(g.targets)}: ${g.what}: ${g.before} -> ${g.after}`));
  if (all.length > MAX_LISTED) shown.push(row('', `… ${all.length - MAX_LISTED} more changes`, 'muted'));
  return shown;
}

function preconditionLines(plan: Plan): Line[] {
  const failed = plan.preconditions.filter((p) => !p.ok);
  const ok = plan.preconditions.length - failed.length;
  if (plan.preconditions.length === 0) return [row('preconditions', 'none', 'muted')];
  const lines = failed.slice(0, MAX_LISTED).map((p, i) => row(i === 0 ? 'preconditions' : '', `✗ ${p.what}${p.detail ? ` (${p.detail})` : ''}`, 'warn'));
  if (failed.length > MAX_LISTED) lines.push(row('', `✗ … ${failed.length - MAX_LISTED} more not met`, 'warn'));
  if (ok > 0) lines.push(row(lines.length === 0 ? 'preconditions' : '', `✓ ${ok} met`, 'ok'));
  return lines;
}

function riskText(plan: Plan): { text: string; token: 'text' | 'warn' } {
  const parts = [`${plan.targets.length} host${plan.targets.length === 1 ? '' : 's'}`];
  if (plan.risk.clusters.length > 0) parts.push(`whole cluster ${plan.risk.clusters.join(', ')}`);
  parts.push(...plan.risk.reasons);
  const risky = confirmLevel(plan) === 'typed';
  return { text: parts.join(' · ') + (risky ? '' : ' · no risk named'), token: risky ? 'warn' : 'text' };
}

function undoText(plan: Plan): string {
  if (plan.undo.length === 0) return 'no undo';
  const labels = [...new Set(plan.undo.map((s) => s.label))];
  return `${labels.slice(0, 2).join('; ')} on ${foldNodeset(plan.undo.map((s) => s.hostId))}${plan.completion === 'all-or-nothing' ? ' (if any host fails, on the hosts that succeeded)' : ' (on roll back)'}`;
}

export function confirmLines(plan: Plan): Line[] {
  const risk = riskText(plan);
  const steps = plan.steps.length;
  const timeout = Math.max(0, ...plan.steps.map((s) => s.timeoutMs)) / 1000;
  return [
    [{ text: ` ${plan.title}`, token: 'focus' }],
    [],
    row('targets', `${foldNodeset(plan.targets)} (${plan.targets.length})`),
    row('blast radius', risk.text, risk.token),
    ...changeLines(plan),
    ...preconditionLines(plan),
    row('locks', plan.locks.length === 0 ? 'none' : foldNodeset(plan.locks)),
    row('runs', `${steps} step${steps === 1 ? '' : 's'} · ${plan.concurrency} at a time · timeout ${timeout} s · on failure: ${plan.failurePolicy} · strategy ${plan.completion}`),
    row('verified by', plan.verify),
    row('undo', undoText(plan), plan.undo.length === 0 ? 'muted' : 'text'),
    row('id', plan.id, 'muted'),
  ];
}

/** Why a typed confirmation is asked, for the prompt line. */
export function typedReason(plan: Plan): string {
  if (plan.risk.clusters.length > 0) return `touches the whole cluster ${plan.risk.clusters[0]}`;
  if (plan.risk.reasons.length > 0) return plan.risk.reasons[0]!;
  if (plan.targets.length > TYPED_CONFIRM_ABOVE_HOSTS) return `${plan.targets.length} hosts, more than ${TYPED_CONFIRM_ABOVE_HOSTS}`;
  return `the plan names ${confirmWord(plan)}`;
}
