// Verify: poll crm_mon (the HA pane's probe command and parser) until the
// cluster is in the state the action asked for, with a deadline; report what
// was seen and after how long. Pacemaker's own --wait is not used: baton
// reports what it saw, not what a tool claimed.
import type { PacemakerSnapshot } from '../../../probes/pacemaker.js';
import type { Outcome, Plan } from '../../engine/plan.js';
import type { LiveContext, VerifyResult } from '../../engine/registry.js';
import type { RunResult } from '../../engine/runner.js';
import { readCluster } from './cluster-reading.js';
import type { CibChange } from './pacemaker-commands.js';
import type { PacemakerPlanArgs } from './pacemaker-plan.js';
import { membersOf, nodesOf } from './resolve-change.js';

export const VERIFY_POLL_MS = 200;

export interface Seen {
  done: boolean;
  /** What the cluster shows, in words: "web-group runs on node3". */
  detail: string;
}

function cliConstraints(s: PacemakerSnapshot, resource: string): string[] | undefined {
  return s.constraints.kind === 'read' ? s.constraints.list.filter((c) => c.resource === resource).map((c) => c.id) : undefined;
}

/** Whether a snapshot shows the state a plan asked for. Pure. */
export function inAskedState(s: PacemakerSnapshot, args: Pick<PacemakerPlanArgs, 'change' | 'pin' | 'from'>): Seen {
  const change: CibChange = args.change;
  const where = (id: string) => nodesOf(s, id);
  const runs = (id: string) => `${id} runs on ${where(id).join(', ') || 'no node'}`;
  const constraints = (id: string) => cliConstraints(s, id);
  switch (change.kind) {
    case 'move': {
      const members = membersOf(s, change.resource);
      const placed =
        change.node !== null
          ? members.length > 0 && members.every((m) => m.active && m.nodes.length > 0 && m.nodes.every((n) => n === change.node))
          : where(change.resource).length > 0 && !where(change.resource).includes(args.from ?? '');
      const list = constraints(change.resource);
      const prefer = change.node !== null ? `cli-prefer-${change.resource}` : `cli-ban-${change.resource}-on-${args.from}`;
      const constraintOk = list !== undefined && list.includes(prefer) === args.pin;
      const said = list === undefined ? 'constraints not readable' : list.includes(prefer) ? `${prefer} in place` : `${prefer} removed`;
      return { done: placed && constraintOk, detail: `${runs(change.resource)}; ${said}` };
    }
    case 'ban': {
      const list = constraints(change.resource);
      const id = `cli-ban-${change.resource}-on-${change.node}`;
      const done = !where(change.resource).includes(change.node) && list?.includes(id) === true;
      return { done, detail: `${runs(change.resource)}; ${list?.includes(id) ? `${id} in place` : `${id} not in the CIB`}` };
    }
    case 'clear': {
      const list = constraints(change.resource);
      return { done: list !== undefined && list.length === 0, detail: list === undefined ? 'constraints not readable' : list.length === 0 ? `${change.resource} has no cli constraint; ${runs(change.resource)}` : `still: ${list.join(', ')}` };
    }
    case 'standby': {
      const node = s.nodes.find((n) => n.name === change.node);
      if (!node) return { done: false, detail: `${change.node} not in crm_mon` };
      const running = s.resources.filter((r) => r.active && r.nodes.includes(change.node)).map((r) => r.id);
      const done = change.on ? node.standby && running.length === 0 : !node.standby && node.online;
      return { done, detail: `${change.node} is ${node.state}${running.length > 0 ? `, running ${running.join(', ')}` : ', running nothing'}` };
    }
    case 'maintenance': {
      const sc = change.scope;
      if (sc.kind === 'cluster') return { done: s.maintenanceMode === change.on, detail: `cluster maintenance-mode ${s.maintenanceMode}` };
      if (sc.kind === 'node') {
        const node = s.nodes.find((n) => n.name === sc.node);
        return { done: node?.maintenance === change.on, detail: `${sc.node} is ${node?.state ?? 'not in crm_mon'}` };
      }
      const members = membersOf(s, sc.resource);
      const done = members.length > 0 && members.every((m) => m.managed === !change.on);
      return { done, detail: `${sc.resource}: ${members.map((m) => `${m.id} ${m.managed ? 'managed' : 'unmanaged'}`).join(', ') || 'not in crm_mon'}` };
    }
    case 'cleanup': {
      const ids = new Set(membersOf(s, change.resource).map((m) => m.id).concat(change.resource));
      const onNode = (node: string) => change.node === null || node === change.node;
      const failures = s.failures.filter((f) => ids.has(f.resource) && onNode(f.node));
      const counts = membersOf(s, change.resource).flatMap((m) => m.failCounts.filter((c) => onNode(c.node)));
      return { done: failures.length === 0 && counts.length === 0, detail: `${failures.length} failed action(s), ${counts.length} fail count(s) left` };
    }
    case 'target-role': {
      const members = membersOf(s, change.resource);
      const done = change.stopped ? where(change.resource).length === 0 : members.length > 0 && members.every((m) => m.active);
      return { done, detail: runs(change.resource) };
    }
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function verifyPacemaker(ctx: LiveContext, plan: Plan, run: RunResult, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<VerifyResult> {
  const args = plan.args as unknown as PacemakerPlanArgs;
  const stepsMs = run.results.reduce((sum, r) => sum + r.durationMs, 0);
  const started = ctx.now();
  const hosts = [args.host, ...args.candidates.filter((h) => h !== args.host)];
  // A step that failed outright changed nothing more to wait for: one look, then the verdict.
  const deadlineMs = run.results.some((r) => r.outcome === 'failed' || r.outcome === 'cancelled') ? 0 : args.deadlineMs;
  let last: Seen | undefined;
  let lastError = '';
  for (;;) {
    const read = await readCluster(ctx.transports, hosts);
    const elapsed = ctx.now() - started;
    if (read.ok) {
      last = inAskedState(read.snapshot, args);
      if (last.done) return { outcome: 'ok', detail: `${last.detail} (crm_mon on ${read.host}; seen ${seconds(elapsed)} after the steps, which took ${seconds(stepsMs)})`, hosts: { [args.host]: 'ok' } };
    } else lastError = read.error;
    if (elapsed >= deadlineMs) {
      const outcome: Outcome = last ? 'failed' : 'unknown';
      const detail = last ? `not in the asked state after ${seconds(elapsed)}: ${last.detail}` : `crm_mon could not be read for ${seconds(elapsed)}: ${lastError}`;
      return { outcome, detail, hosts: { [args.host]: outcome } };
    }
    await sleep(VERIFY_POLL_MS);
  }
}
