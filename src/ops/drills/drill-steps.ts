// The drill's inject and restore steps: a lab fault through the lab's control
// socket, or a registered engine action (planned, locked, run, verified and
// journaled by the engine like any other: a standby, a maint, a kill by
// pattern, a command). Each step is journaled in the drill's own journal too.
import { quote } from 'shell-quote';
import { askLab } from '../../lab/control-socket.js';
import type { BatonStore } from '../../store/store.js';
import type { Transport } from '../../transport/types.js';
import { executeAction } from '../engine/execute.js';
import type { StepResult } from '../engine/runner.js';
import type { JournalSink } from '../engine/journal.js';
import type { LockManager } from '../engine/locks/lock-types.js';
import type { Operator } from '../engine/operator.js';
import { newActionId } from '../engine/plan.js';
import { isRefusal, type ActionRegistry, type LiveContext } from '../engine/registry.js';
import { etcdHostOf, etcdLeader } from './drill-placeholders.js';
import type { StepRecord } from './drill-run.js';
import type { InjectSpec, RestoreSpec } from './drill-spec.js';
import { iptablesRule } from './implicit-restore.js';

export interface StepDeps {
  store: BatonStore;
  transports: ReadonlyMap<string, Transport>;
  registry: ActionRegistry;
  locks: LockManager;
  journalDir: string;
  who: Operator;
  journal: JournalSink;
  /** The lab supervisor's control socket, when the inventory is the lab. */
  labSocket?: string;
}

/** One engine action or one lab request: what the drill does at a step. */
export type StepOp = { kind: 'lab'; cmd: 'fail' | 'heal'; target: string } | { kind: 'action'; name: string; argv: string[]; options: Record<string, unknown> };

const nowMs = () => performance.timeOrigin + performance.now();

export function labelOf(op: StepOp): string {
  return op.kind === 'lab' ? `lab ${op.cmd} ${op.target}` : `${op.name} ${op.argv.join(' ')}`.trim();
}

/** What an inject spec does, as a step (the leader kill needs the leader baton sees now). */
export function injectOp(inject: InjectSpec, deps: { store: Pick<BatonStore, 'getState'> }): StepOp | { error: string } {
  if (inject.lab_fail !== undefined) return { kind: 'lab', cmd: 'fail', target: inject.lab_fail };
  if (inject.action) return { kind: 'action', name: inject.action.name, argv: inject.action.args, options: inject.action.options };
  if (inject.pacemaker_standby !== undefined) return { kind: 'action', name: 'pacemaker.standby', argv: [inject.pacemaker_standby], options: {} };
  if (inject.haproxy_maint !== undefined) return { kind: 'action', name: 'haproxy.maint', argv: [inject.haproxy_maint], options: {} };
  if (inject.systemctl_stop) return { kind: 'action', name: 'exec', argv: [`host=${inject.systemctl_stop.host}`, quote(['systemctl', 'stop', inject.systemctl_stop.unit])], options: {} };
  if (inject.kill) return { kind: 'action', name: 'kill', argv: [`host=${inject.kill.host}`, inject.kill.pattern], options: { signal: inject.kill.signal } };
  if (inject.iptables_block) {
    const { host, port, protocol } = inject.iptables_block;
    return { kind: 'action', name: 'exec', argv: [`host=${host}`, quote(['iptables', '-I', ...iptablesRule(port, protocol)])], options: {} };
  }
  const state = deps.store.getState();
  const leader = etcdLeader(state);
  if (!leader) return { error: 'etcd_leader_kill: baton sees no etcd leader' };
  const host = etcdHostOf(state.inventory, leader.endpoint);
  if (!host) return { error: `etcd_leader_kill: no inventory host has the leader's endpoint ${leader.endpoint ?? '(none)'}` };
  // The leader's own process: etcd started with --name NAME (the name etcd reports).
  const pattern = inject.etcd_leader_kill?.pattern ?? `(^|/)etcd .*--name[= ]${leader.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`;
  return { kind: 'action', name: 'kill', argv: [`host=${host}`, pattern], options: { signal: 'KILL' } };
}

export function restoreOp(step: RestoreSpec): StepOp {
  if (step.lab_heal !== undefined) return { kind: 'lab', cmd: 'heal', target: step.lab_heal };
  if (step.action) return { kind: 'action', name: step.action.name, argv: step.action.args, options: step.action.options };
  return { kind: 'action', name: 'exec', argv: [`host=${step.command!.host}`, step.command!.run], options: {} };
}

/**
 * Runs one step, journaled before it is sent and after it ends. Resolves with
 * its record; `effectiveAt` is when the fault took effect (the lab's own
 * time, or when the action's first command was sent).
 */
export async function runStep(op: StepOp, id: string, deps: StepDeps): Promise<StepRecord & { effectiveAt: number | null }> {
  const label = labelOf(op);
  const startAt = nowMs();
  await deps.journal.append({ t: 'step-start', at: Date.now(), step: id, host: op.kind === 'lab' ? 'lab' : 'drill', attempt: 1 });
  let outcome: StepRecord['outcome'] = 'failed';
  let detail = '';
  let effectiveAt: number | null = null;
  try {
    if (op.kind === 'lab') {
      if (!deps.labSocket) throw new Error('lab faults need the lab inventory (its control socket is beside it)');
      const reply = await askLab(deps.labSocket, { cmd: op.cmd, target: op.target }, 120_000);
      if (reply.ok) {
        outcome = 'ok';
        detail = reply.message ?? 'done';
        effectiveAt = reply.effectiveAt ?? null;
      } else detail = reply.error;
    } else {
      const r = await runAction(op, deps, (at) => (effectiveAt ??= at));
      outcome = r.outcome;
      detail = r.detail;
    }
  } catch (err) {
    detail = (err as Error).message;
  }
  const endAt = nowMs();
  if (outcome === 'ok') effectiveAt ??= startAt;
  else effectiveAt = null;
  await deps.journal.append({ t: 'step-end', at: Date.now(), step: id, host: op.kind === 'lab' ? 'lab' : 'drill', attempt: 1, outcome, rc: null, durationMs: Math.round(endAt - startAt), stdout: detail.slice(-4096), stderr: '' });
  return { label, outcome, detail, startAt, endAt, effectiveAt };
}

/** A registered action the way `baton act --yes` runs it, with the drill's locks passed through. */
async function runAction(op: Extract<StepOp, { kind: 'action' }>, deps: StepDeps, sent: (at: number) => void): Promise<{ outcome: StepRecord['outcome']; detail: string }> {
  const def = deps.registry.get(op.name);
  if (!def) return { outcome: 'failed', detail: `no action ${op.name}` };
  const state = deps.store.getState();
  const live: LiveContext = { state, inventory: state.inventory, transports: deps.transports, now: Date.now };
  const args: unknown = def.parseArgs(op.argv, op.options);
  const facts: unknown = def.observe ? await def.observe(live, args) : undefined;
  const now = Date.now();
  const plan = def.plan({ state: deps.store.getState(), inventory: state.inventory, now, who: deps.who, newId: () => newActionId(now), facts }, args);
  if (isRefusal(plan)) return { outcome: 'failed', detail: `refused: ${plan.reason}` };
  const result = await executeAction(plan, def, { live: { ...live, state: deps.store.getState() }, locks: deps.locks, journalDir: deps.journalDir, who: deps.who }, { hooks: { onStepStart: () => sent(nowMs()) } });
  if (isRefusal(result)) return { outcome: 'failed', detail: `refused: ${result.reason}` };
  await deps.journal.append({ t: 'note', at: Date.now(), message: `${plan.title}: action ${plan.id} ${result.state}` });
  const outcome = result.state === 'ok' ? 'ok' : result.state === 'unknown' ? 'unknown' : 'failed';
  return { outcome, detail: `${plan.title}: ${result.verify.detail} (action ${plan.id})${outcome === 'ok' ? '' : whyFailed(result.run.results)}` };
}

/** The first failed step's own words (a tool's stderr), so the report says why, not only that. */
function whyFailed(results: readonly StepResult[]): string {
  const failed = results.find((r) => r.outcome !== 'ok');
  const words = failed && (failed.stderr.trim() || failed.stdout.trim() || failed.error);
  return words ? `: ${failed.hostId}: ${words.split('\n').slice(-3).join(' ').slice(0, 300)}` : '';
}
