// `alertmanager.silence NAME=VALUE... [--duration 2h] [--comment TEXT]` and
// `alertmanager.expire SILENCE_ID`.
import { UsageError, type ActionDefinition } from '../engine/registry.js';
import { observeAlertmanager, type AlertmanagerFacts } from './alerts-observe.js';
import { planAlertmanager, type AlertmanagerArgs } from './alertmanager-plan.js';
import { verifyAlertmanager } from './alertmanager-verify.js';

export const DEFAULT_SILENCE = '2h';
const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** 30m, 2h, 1d: a silence lasts at least a minute and at most 30 days. */
export function parseSilenceDuration(text: string): number {
  const m = /^(\d+)([mhd])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
  if (!(ms >= 60_000 && ms <= 30 * 86_400_000)) throw new UsageError(`--duration expects 1m to 30d, such as 30m, 2h or 1d; got "${text}"`);
  return ms;
}

const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)=(.*)$/s;

function parseSilence(argv: string[], options: Record<string, unknown>): AlertmanagerArgs {
  if (argv.length === 0) throw new UsageError('alertmanager.silence needs the alert\'s labels as NAME=VALUE (alertname=... instance=...)');
  const matchers = argv.map((a) => {
    const m = LABEL.exec(a);
    if (!m) throw new UsageError(`expected a label as NAME=VALUE, got "${a}"`);
    return { name: m[1]!, value: m[2]! };
  });
  const comment = typeof options.comment === 'string' && options.comment.trim() !== '' ? options.comment.trim() : undefined;
  return { op: 'silence', matchers, durationMs: parseSilenceDuration(String(options.duration ?? DEFAULT_SILENCE)), ...(comment ? { comment } : {}) };
}

function parseExpire(argv: string[]): AlertmanagerArgs {
  if (argv.length !== 1 || !/^[0-9a-fA-F-]{1,64}$/.test(argv[0]!)) throw new UsageError('alertmanager.expire needs one silence id (the Alerts pane\'s detail lists them)');
  return { op: 'expire', id: argv[0]! };
}

export const alertmanagerActions: ActionDefinition<AlertmanagerArgs, AlertmanagerFacts>[] = [
  {
    name: 'alertmanager.silence',
    summary: 'silence the alerts matching NAME=VALUE labels in Alertmanager (--duration, default 2h; --comment; your name is added)',
    usage: 'NAME=VALUE...',
    scope: 'alertmanager.alert',
    parseArgs: parseSilence,
    observe: observeAlertmanager,
    plan: planAlertmanager,
    verify: verifyAlertmanager,
  },
  {
    name: 'alertmanager.expire',
    summary: 'expire an Alertmanager silence now',
    usage: 'SILENCE_ID',
    scope: 'alertmanager.silence',
    parseArgs: parseExpire,
    observe: observeAlertmanager,
    plan: planAlertmanager,
    verify: verifyAlertmanager,
  },
];
