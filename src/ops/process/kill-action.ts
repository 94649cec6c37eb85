// `kill PATTERN`: like pnuke, but shown before it happens. The plan lists the
// processes whose command line matches PATTERN on each host (pgrep -f); the
// step signals exactly those that still match; verify: they are gone.
import { quote } from 'shell-quote';
import { foldNodeset } from '../../inventory/nodeset.js';
import type { Outcome, Plan, Step } from '../engine/plan.js';
import { UsageError, type ActionDefinition, type LiveContext, type PlanContext, type Refusal, type VerifyResult } from '../engine/registry.js';
import { checkCommandText } from '../command-text.js';
import { selectHosts } from '../select-hosts.js';
import { hostActionOptions } from '../target-args.js';

export interface KillArgs {
  target: string;
  pattern: string;
  signal: string;
  parallel: number;
  timeoutMs: number;
}

export interface ProcessLine {
  pid: number;
  command: string;
}

/** Per host: the matching processes, or why they could not be listed. */
export type KillFacts = Record<string, { processes: ProcessLine[] } | { error: string }>;

const VERIFY_WAIT_MS = 5000;

/**
 * Lists `pid command` of processes matching the pattern, without this shell:
 * its own command line holds the pattern. pgrep writes to a file rather than
 * a pipe or $(...), which would fork copies of this shell that match too.
 */
export function listCommand(pattern: string): string {
  return [
    `bt_pat=${quote([pattern])}; bt_tmp=$(mktemp) || exit 1`,
    'pgrep -a -f -- "$bt_pat" >"$bt_tmp"; bt_rc=$?',
    'while read -r bt_pid bt_cmd; do [ "$bt_pid" = "$$" ] || printf \'%s %s\\n\' "$bt_pid" "$bt_cmd"; done <"$bt_tmp"',
    'rm -f "$bt_tmp"; [ "$bt_rc" -le 1 ]',
  ].join('\n');
}

/** Signals those of `pids` that still match the pattern (a reused pid does not). */
export function signalCommand(pattern: string, pids: readonly number[], signal: string): string {
  return [
    'bt_list=$(mktemp) || exit 1',
    `{ ${listCommand(pattern)}\n} >"$bt_list" || { rm -f "$bt_list"; exit 2; }`,
    `bt_sig=''; for bt_p in ${pids.join(' ')}; do grep -q "^$bt_p " "$bt_list" && bt_sig="$bt_sig $bt_p"; done; rm -f "$bt_list"`,
    `[ -z "$bt_sig" ] || kill -s ${quote([signal])} $bt_sig`,
  ].join('\n');
}

export function parseProcessList(stdout: string): ProcessLine[] {
  return stdout
    .split('\n')
    .map((l) => /^(\d+) (.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), command: m[2]! }));
}

export function normaliseSignal(value: unknown): string {
  const text = String(value ?? 'TERM').toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= 64) return text;
  if (/^[A-Z][A-Z0-9+-]{0,15}$/.test(text)) return text;
  throw new UsageError(`--signal expects a signal name or number (TERM, KILL, HUP, 9), got "${String(value)}"`);
}

export function parseKillArgs(argv: string[], options: Record<string, unknown>): KillArgs {
  const [target, pattern, ...extra] = argv;
  if (!target || pattern === undefined || extra.length > 0) throw new UsageError('kill needs TARGET PATTERN (quote a pattern with spaces)');
  return { target, pattern: checkCommandText(pattern, 'the pattern'), signal: normaliseSignal(options.signal), ...hostActionOptions(options, { parallel: 32, timeoutSeconds: 30 }) };
}

async function listOn(ctx: LiveContext, host: string, pattern: string): Promise<{ processes: ProcessLine[] } | { error: string }> {
  const t = ctx.transports.get(host);
  if (!t || ctx.state.hosts[host]?.conn !== 'up') return { error: 'not connected' };
  try {
    const r = await t.exec(listCommand(pattern), { timeoutMs: 15_000 });
    if (r.code !== 0) return { error: (r.stderr.trim() || `pgrep exit ${r.code}`).split('\n')[0]! };
    return { processes: parseProcessList(r.stdout) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

async function observeKill(ctx: LiveContext, args: KillArgs): Promise<KillFacts> {
  const facts: KillFacts = {};
  await Promise.all(selectHosts(ctx.state, args.target, ctx.now()).map(async (h) => (facts[h] = await listOn(ctx, h, args.pattern))));
  return facts;
}

export function planKill(ctx: PlanContext<KillFacts>, args: KillArgs): Plan | Refusal {
  const hosts = selectHosts(ctx.state, args.target, ctx.now);
  if (hosts.length === 0) return { refused: true, reason: `no host matches "${args.target}"` };
  const found = (h: string) => {
    const f = ctx.facts[h];
    return f && 'processes' in f ? f.processes : [];
  };
  const withProcesses = hosts.filter((h) => found(h).length > 0);
  if (withProcesses.length === 0) {
    const errors = hosts.filter((h) => ctx.facts[h] && 'error' in ctx.facts[h]!);
    return { refused: true, reason: `no process matches ${JSON.stringify(args.pattern)} on ${foldNodeset(hosts)}${errors.length ? ` (not listed on ${foldNodeset(errors)})` : ''}` };
  }
  const steps: Step[] = withProcesses.map((h) => {
    const pids = found(h).map((p) => p.pid);
    return { id: `kill:${h}`, hostId: h, label: `kill -${args.signal} ${pids.join(' ')}`, spec: { kind: 'command', command: signalCommand(args.pattern, pids, args.signal) }, timeoutMs: args.timeoutMs, retries: 0 };
  });
  return {
    id: ctx.newId(),
    action: 'kill',
    title: `kill -${args.signal} ${JSON.stringify(args.pattern)} on ${foldNodeset(withProcesses)}`,
    args: { ...args, pids: Object.fromEntries(withProcesses.map((h) => [h, found(h).map((p) => p.pid)])) },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: withProcesses,
    locks: withProcesses.map((h) => `host:${h}`),
    changes: withProcesses.flatMap((h) => found(h).map((p) => ({ target: h, what: `pid ${p.pid}`, before: p.command, after: `SIG${args.signal.replace(/^(\d+)$/, ' $1')}` }))),
    preconditions: hosts.map((h) => {
      const f = ctx.facts[h];
      return { what: `${h} processes listed`, ok: f !== undefined && 'processes' in f, detail: f && 'error' in f ? f.error : `${found(h).length} match` };
    }),
    risk: { clusters: [], reasons: [] },
    steps,
    undo: [],
    concurrency: args.parallel,
    failurePolicy: 'continue',
    completion: 'all',
    verify: 'pgrep again: every signalled process is gone (waits up to 5 s)',
  };
}

async function verifyKill(ctx: LiveContext, plan: Plan): Promise<VerifyResult> {
  const args = plan.args as unknown as KillArgs & { pids: Record<string, number[]> };
  const hosts: Record<string, Outcome> = {};
  const notes: string[] = [];
  await Promise.all(
    plan.targets.map(async (h) => {
      const wanted = new Set(args.pids[h] ?? []);
      const deadline = Date.now() + VERIFY_WAIT_MS;
      for (;;) {
        const listed = await listOn(ctx, h, args.pattern);
        if ('error' in listed) {
          hosts[h] = 'unknown';
          notes.push(`${h}: ${listed.error}`);
          return;
        }
        const left = listed.processes.filter((p) => wanted.has(p.pid));
        if (left.length === 0) {
          hosts[h] = 'ok';
          return;
        }
        if (Date.now() >= deadline) {
          hosts[h] = 'failed';
          notes.push(`${h}: still running: ${left.map((p) => p.pid).join(' ')}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }),
  );
  const values = Object.values(hosts);
  const outcome: Outcome = values.includes('failed') ? 'failed' : values.includes('unknown') ? 'unknown' : 'ok';
  return { outcome, detail: `${values.filter((v) => v === 'ok').length}/${plan.targets.length} hosts: signalled processes gone${notes.length ? '; ' + notes.sort().join('; ') : ''}`, hosts };
}

export const killAction: ActionDefinition<KillArgs, KillFacts> = {
  name: 'kill',
  summary: 'signal the processes matching PATTERN on the target hosts (listed in the plan first, like pnuke shown before it happens)',
  usage: 'TARGET PATTERN [--signal TERM|KILL|HUP|N] [--parallel N]',
  scope: 'selection',
  parseArgs: parseKillArgs,
  observe: observeKill,
  plan: planKill,
  verify: verifyKill,
};
