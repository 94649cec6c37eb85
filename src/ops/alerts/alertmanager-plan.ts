// Pure planners of alertmanager.silence (matchers from an alert's labels,
// a duration, a comment naming the operator) and alertmanager.expire (a
// silence by id). A silence that would match no alert now, or an id that is
// unknown or already expired, is refused: a typo must not pass as done.
import type { ExternalAlert, Silence, SilenceMatcher } from '../../probes/alertmanager-json.js';
import { operatorLabel } from '../engine/operator.js';
import type { Plan, Step } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import { deleteSilenceCommand, postSilenceCommand, type SilenceBody } from './alertmanager-curl.js';
import type { AlertmanagerFacts } from './alerts-observe.js';

export type SilenceArgs = { op: 'silence'; matchers: { name: string; value: string }[]; durationMs: number; comment?: string };
export type ExpireArgs = { op: 'expire'; id: string };
export type AlertmanagerArgs = SilenceArgs | ExpireArgs;

const STEP_TIMEOUT_MS = 10_000;

export const matchesAlert = (matchers: readonly { name: string; value: string }[], alert: Pick<ExternalAlert, 'labels'>): boolean =>
  matchers.every((m) => alert.labels[m.name] === m.value);

const matcherText = (matchers: readonly { name: string; value: string }[]) => matchers.map((m) => `${m.name}="${m.value}"`).join(', ');

function base(ctx: PlanContext<AlertmanagerFacts>, args: AlertmanagerArgs, hostId: string, fields: Pick<Plan, 'title' | 'changes' | 'steps' | 'verify'> & Partial<Plan>): Plan {
  return {
    id: ctx.newId(),
    action: `alertmanager.${args.op}`,
    args: { ...args },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [hostId],
    locks: [`alertmanager:${hostId}:silences`],
    preconditions: [],
    risk: { clusters: [], reasons: [] },
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    ...fields,
  };
}

const step = (id: string, hostId: string, label: string, command: string): Step => ({ id, hostId, label, spec: { kind: 'command', command }, timeoutMs: STEP_TIMEOUT_MS, retries: 0 });

function planSilence(ctx: PlanContext<AlertmanagerFacts>, args: SilenceArgs, facts: Extract<AlertmanagerFacts, { url: string }>): Plan | Refusal {
  const matching = facts.alerts.filter((a) => matchesAlert(args.matchers, a));
  if (matching.length === 0) return { refused: true, reason: `no alert in Alertmanager matches ${matcherText(args.matchers)}`, hint: 'the Alerts pane lists the alerts and their labels (Enter)' };
  const who = operatorLabel(ctx.who);
  const body: SilenceBody = {
    matchers: args.matchers.map((m): SilenceMatcher => ({ name: m.name, value: m.value, isRegex: false, isEqual: true })),
    startsAt: new Date(ctx.now).toISOString(),
    endsAt: new Date(ctx.now + args.durationMs).toISOString(),
    createdBy: who,
    comment: `${args.comment ?? 'silenced from baton'} (${who})`,
  };
  const names = [...new Set(matching.map((a) => a.name))].join(', ');
  return base(ctx, args, facts.hostId, {
    title: `alertmanager silence ${names} for ${Math.round(args.durationMs / 60_000)} min`,
    changes: [{ target: facts.url, what: 'silences', before: `${matching.length} alert${matching.length === 1 ? '' : 's'} notified`, after: `silenced until ${body.endsAt} (${matcherText(args.matchers)})` }],
    steps: [step('silence', facts.hostId, `POST ${facts.url}/api/v2/silences`, postSilenceCommand(facts.url, body))],
    args: { ...args, body },
    verify: '/api/v2/silences (the probe) lists the silence, active',
  });
}

function planExpire(ctx: PlanContext<AlertmanagerFacts>, args: ExpireArgs, facts: Extract<AlertmanagerFacts, { url: string }>): Plan | Refusal {
  const silence: Silence | undefined = facts.silences.find((s) => s.id === args.id);
  if (!silence) return { refused: true, reason: `Alertmanager at ${facts.url} has no silence ${args.id}` };
  if (silence.state === 'expired') return { refused: true, reason: `silence ${args.id} has already expired` };
  const held = facts.alerts.filter((a) => a.silencedBy.includes(args.id)).length;
  return base(ctx, args, facts.hostId, {
    title: `alertmanager expire silence ${args.id.slice(0, 8)} (${silence.comment})`,
    changes: [{ target: facts.url, what: `silence ${args.id}`, before: `${silence.state} until ${silence.endsAt}, ${held} alert${held === 1 ? '' : 's'} held`, after: 'expired' }],
    steps: [step('expire', facts.hostId, `DELETE ${facts.url}/api/v2/silence/${args.id}`, deleteSilenceCommand(facts.url, args.id))],
    verify: '/api/v2/silences (the probe) says the silence expired',
  });
}

export function planAlertmanager(ctx: PlanContext<AlertmanagerFacts>, args: AlertmanagerArgs): Plan | Refusal {
  if ('error' in ctx.facts) return { refused: true, reason: ctx.facts.error };
  return args.op === 'silence' ? planSilence(ctx, args, ctx.facts) : planExpire(ctx, args, ctx.facts);
}
