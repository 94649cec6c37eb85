// Verify re-reads /api/v2/silences with the probe: a new silence is listed
// active with the matchers, author and end the plan sent; an expired one
// says expired. Alertmanager applies both at once; polled to a short deadline.
import type { Silence } from '../../probes/alertmanager-json.js';
import { sleep } from '../failover/host-command.js';
import type { Outcome, Plan } from '../engine/plan.js';
import type { LiveContext, VerifyResult } from '../engine/registry.js';
import type { SilenceBody } from './alertmanager-curl.js';
import type { AlertmanagerArgs } from './alertmanager-plan.js';
import { observeAlertmanager } from './alerts-observe.js';

const DEADLINE_MS = 5_000;
const POLL_MS = 200;

type VerifyArgs = AlertmanagerArgs & { body?: SilenceBody };

const sameMatchers = (s: Silence, body: SilenceBody) =>
  s.matchers.length === body.matchers.length && body.matchers.every((m) => s.matchers.some((x) => x.name === m.name && x.value === m.value && x.isEqual && !x.isRegex));

function judge(silences: readonly Silence[], args: VerifyArgs): { outcome: Outcome; detail: string } {
  if (args.op === 'expire') {
    const s = silences.find((x) => x.id === args.id);
    if (!s) return { outcome: 'ok', detail: `silence ${args.id} is gone` };
    return s.state === 'expired' ? { outcome: 'ok', detail: `silence ${args.id} expired` } : { outcome: 'failed', detail: `silence ${args.id} is ${s.state}` };
  }
  const body = args.body;
  if (!body) return { outcome: 'unknown', detail: 'the plan holds no silence body' };
  const found = silences.find((s) => s.state === 'active' && s.createdBy === body.createdBy && s.comment === body.comment && Date.parse(s.endsAt) === Date.parse(body.endsAt) && sameMatchers(s, body));
  return found ? { outcome: 'ok', detail: `silence ${found.id} active until ${found.endsAt}` } : { outcome: 'failed', detail: 'no such active silence listed' };
}

export async function verifyAlertmanager(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as VerifyArgs;
  const started = Date.now();
  let last = { outcome: 'unknown' as Outcome, detail: 'not read' };
  while (Date.now() - started < DEADLINE_MS) {
    const facts = await observeAlertmanager(ctx);
    last = 'error' in facts ? { outcome: 'unknown', detail: facts.error } : judge(facts.silences, args);
    if (last.outcome === 'ok') break;
    await sleep(POLL_MS);
  }
  return { outcome: last.outcome, detail: `${last.detail} (after ${((Date.now() - started) / 1000).toFixed(1)} s)` };
}
