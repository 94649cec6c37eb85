// `haproxy.drain|maint|ready|weight BACKEND/SERVER`: the action definitions,
// sharing one observe, planner and verify.
import { UsageError, type ActionDefinition } from '../../engine/registry.js';
import { positiveNumberOption } from '../../target-args.js';
import { observeHaproxy, type HaproxyFacts } from './haproxy-observe.js';
import { planHaproxy, type HaproxyArgs, type HaproxyOp } from './haproxy-plan.js';
import { verifyHaproxy } from './haproxy-verify.js';
import { parseWeightChange } from './haproxy-weight.js';

const STEP_TIMEOUT_SECONDS = 15;

function parser(op: HaproxyOp) {
  return (argv: string[], options: Record<string, unknown>): HaproxyArgs => {
    const [ref, weight, ...extra] = argv;
    const wants = op === 'weight' ? 'BACKEND/SERVER and a weight (N, N%, +N, -N or configured)' : 'BACKEND/SERVER';
    if (!ref || extra.length > 0 || (op === 'weight') !== (weight !== undefined)) throw new UsageError(`haproxy.${op} needs ${wants}`);
    const args: HaproxyArgs = { op, ref, timeoutMs: positiveNumberOption(options.timeout, STEP_TIMEOUT_SECONDS, 'timeout') * 1000 };
    if (op === 'weight') {
      const change = parseWeightChange(weight!);
      if (typeof change === 'string') throw new UsageError(change, 'a step down needs -- before it: baton act haproxy.weight app/web2 -- -10');
      args.weight = change;
    }
    if (options.waitSessions !== undefined) {
      if (op !== 'drain') throw new UsageError('--wait-sessions applies to haproxy.drain only');
      args.waitSessionsMs = positiveNumberOption(options.waitSessions, 0, 'wait-sessions') * 1000;
    }
    return args;
  };
}

function haproxyAction(op: HaproxyOp, summary: string, usage = 'BACKEND/SERVER'): ActionDefinition<HaproxyArgs, HaproxyFacts> {
  return { name: `haproxy.${op}`, summary, usage, scope: 'haproxy.server', parseArgs: parser(op), observe: observeHaproxy, plan: planHaproxy, verify: verifyHaproxy };
}

export const haproxyDrainAction = haproxyAction('drain', 'drain a server (no new sessions, current ones finish) on every LB that has it', 'BACKEND/SERVER [--wait-sessions SECONDS]');
export const haproxyMaintAction = haproxyAction('maint', 'put a server in maintenance (out of rotation, checks stopped) on every LB that has it');
export const haproxyReadyAction = haproxyAction('ready', 'put a drained or maintained server back in rotation on every LB that has it');
export const haproxyWeightAction = haproxyAction('weight', 'set a server\'s weight (absolute, % of configured, ±step, or configured) on every LB that has it', 'BACKEND/SERVER N|N%|+N|-N|configured');

export const haproxyActions = [haproxyDrainAction, haproxyMaintAction, haproxyReadyAction, haproxyWeightAction];
