// The pure planner of every Pacemaker action: the cluster and change resolved
// against crm_mon, the exact commands as steps on one node, the constraint a
// move or ban creates, the scheduler's prediction as changes before -> after,
// and a risk entry (typed confirmation) when the prediction stops a running
// resource everywhere.
import type { Change, Plan, Step } from '../../engine/plan.js';
import { isRefusal, type PlanContext, type Refusal } from '../../engine/registry.js';
import type { ClusterRead } from './cluster-reading.js';
import { clearIfItStaysCommand, waitCommand } from './move-steps.js';
import { changeCommands, constraintId, type CibChange } from './pacemaker-commands.js';
import type { PacemakerArgs } from './pacemaker-args.js';
import { currentNode, pickCluster, resolveChange, type PickedCluster } from './resolve-change.js';
import { describeAction, type Prediction, type PredictionOutput } from './scheduler-prediction.js';

export interface PacemakerFacts {
  clusters: Record<string, string[]>;
  reads: Record<string, ClusterRead>;
  /** Absent for cleanup (it changes no configuration) or when the change could not be resolved. */
  prediction?: PredictionOutput;
}

/** What verify needs, journaled with the plan. */
export interface PacemakerPlanArgs extends PacemakerArgs {
  cluster: string;
  host: string;
  candidates: string[];
  change: CibChange;
  /** A move with no node: the node it leaves. */
  from: string | null;
}

const STEP_TIMEOUT_MS = 30_000;

export function lockKeys(cluster: string, change: CibChange): string[] {
  const resource = (id: string) => `pacemaker:${cluster}:resource:${id}`;
  const node = (name: string) => `pacemaker:${cluster}:node:${name}`;
  switch (change.kind) {
    case 'standby':
      return [node(change.node)];
    case 'maintenance':
      return change.scope.kind === 'cluster' ? [`pacemaker:${cluster}`] : change.scope.kind === 'node' ? [node(change.scope.node)] : [resource(change.scope.resource)];
    default:
      return [resource(change.resource)];
  }
}

const place = (nodes: readonly string[] | undefined) => (nodes && nodes.length > 0 ? [...nodes].sort().join(', ') : 'stopped');

/** Resources whose placement the scheduler changes, before -> after. */
export function placementChanges(p: Prediction): Change[] {
  const ids = [...new Set([...Object.keys(p.before), ...Object.keys(p.after)])].sort();
  return ids
    .filter((id) => place(p.before[id]) !== place(p.after[id]))
    .map((id) => ({ target: id, what: 'runs on (scheduler prediction)', before: place(p.before[id]), after: place(p.after[id]) }));
}

/** Resources running now that the prediction leaves on no node. */
export function stoppedEverywhere(p: Prediction): string[] {
  return Object.keys(p.before).filter((id) => (p.before[id]?.length ?? 0) > 0 && (p.after[id]?.length ?? 0) === 0).sort();
}

function constraintChange(change: CibChange, from: string | null): Change[] {
  if (change.kind !== 'move' && change.kind !== 'ban') return [];
  const id = constraintId(change, from ?? undefined)!;
  if (change.kind === 'move' && change.node !== null) {
    const until = change.lifetime ? `, for ${change.lifetime}` : '';
    return [{ target: id, what: 'location constraint', before: 'none', after: `${change.resource} prefers ${change.node} (score INFINITY${until})` }];
  }
  const node = change.kind === 'ban' ? change.node : from;
  return [{ target: id, what: 'location constraint', before: 'none', after: `${change.resource} banned from ${node} (score -INFINITY; applies even if ${node} is the last node that can run it)` }];
}

function step(host: string, id: string, label: string, command: string, timeoutMs = STEP_TIMEOUT_MS): Step {
  return { id, hostId: host, label, spec: { kind: 'command', command }, timeoutMs, retries: 0 };
}

/** A move without --pin: place, wait until it runs there, remove the constraint if the scheduler says it stays. */
function moveSteps(host: string, change: CibChange & { kind: 'move' }, from: string | null, deadlineMs: number): Step[] {
  const [placeCommand] = changeCommands(change);
  const constraint = constraintId(change, from ?? undefined)!;
  const clearNode = change.node ?? from!;
  const target = change.node !== null ? { node: change.node } : { awayFrom: from! };
  return [
    step(host, 'place', placeCommand!, placeCommand!),
    step(host, 'wait', `wait until ${change.resource} runs ${change.node !== null ? `on ${change.node}` : `away from ${from}`}`, waitCommand(change.resource, target, deadlineMs / 1000), deadlineMs + STEP_TIMEOUT_MS),
    step(host, 'clear', `remove ${constraint} if the scheduler says ${change.resource} stays`, clearIfItStaysCommand({ kind: 'clear', resource: change.resource, node: clearNode }, constraint)),
  ];
}

function verifyText(args: PacemakerArgs, change: CibChange, from: string | null): string {
  const within = `polls crm_mon (up to ${Math.round(args.deadlineMs / 1000)} s)`;
  switch (change.kind) {
    case 'move':
      return `${within} until ${change.resource} runs ${change.node !== null ? `on ${change.node}` : `away from ${from}`} and ${args.pin ? 'the constraint is in the CIB' : 'the move constraint is gone'}`;
    case 'ban':
      return `${within} until ${change.resource} no longer runs on ${change.node} and the ban is in the CIB`;
    case 'clear':
      return `${within} until ${change.resource} has no cli-prefer/cli-ban constraint`;
    case 'standby':
      return `${within} until ${change.node} is ${change.on ? 'in standby with no resource running on it' : 'online and out of standby'}`;
    case 'maintenance':
      return `${within} until ${change.scope.kind === 'cluster' ? 'the cluster' : change.scope.kind === 'node' ? change.scope.node : change.scope.resource} is ${change.on ? 'in' : 'out of'} maintenance`;
    case 'cleanup':
      return `${within} until ${change.resource} has no failed action or fail count${change.node ? ` on ${change.node}` : ''}`;
    case 'target-role':
      return `${within} until ${change.resource} ${change.stopped ? 'runs nowhere' : 'runs'}`;
  }
}

function titleOf(args: PacemakerArgs, change: CibChange, cluster: string): string {
  const words = [`pacemaker.${args.verb}`, ...[args.on === null ? null : args.on ? 'on' : 'off', args.resource, args.node, args.target].filter((x): x is string => x !== null).map((x) => (/^[\w.:@-]+$/.test(x) ? x : JSON.stringify(x)))];
  const pin = change.kind === 'move' && args.pin ? ` --pin${args.lifetime ? ` --lifetime ${args.lifetime}` : ''}` : '';
  return `${words.join(' ')}${pin} (cluster ${cluster})`;
}

export function planPacemaker(ctx: PlanContext<PacemakerFacts>, args: PacemakerArgs): Plan | Refusal {
  const picked = pickCluster(args, new Map(Object.entries(ctx.facts.clusters)), ctx.facts.reads);
  if (isRefusal(picked)) return picked;
  const change = resolveChange(args, picked);
  if (isRefusal(change)) return change;
  return buildPlan(ctx, args, picked, change);
}

function buildPlan(ctx: PlanContext<PacemakerFacts>, args: PacemakerArgs, picked: PickedCluster, change: CibChange): Plan | Refusal {
  const from = change.kind === 'move' && change.node === null ? (currentNode(picked.snapshot, change.resource) ?? null) : null;
  const host = picked.host;
  const auto = change.kind === 'move' && !args.pin;
  const steps = auto ? moveSteps(host, change, from, args.deadlineMs) : changeCommands(change).map((c, i) => step(host, `change-${i + 1}`, c, c));
  const reasons: string[] = [];
  const preconditions = [{ what: `cluster ${picked.cluster} read`, ok: true, detail: `crm_mon on ${host}` }];
  const changes: Change[] = [...steps.filter((s) => s.id !== 'wait').map((s) => ({ target: host, what: 'runs', before: '-', after: s.label })), ...constraintChange(change, from)];
  const prediction = ctx.facts.prediction;
  if (change.kind !== 'cleanup') {
    if (!prediction || !prediction.change.ok) {
      const why = prediction && !prediction.change.ok ? prediction.change.error : 'not run';
      preconditions.push({ what: 'scheduler prediction', ok: false, detail: why });
      reasons.push(`the scheduler's prediction could not be made (${why}): what moves is unknown`);
    } else {
      const p = prediction.change.prediction;
      changes.push(...placementChanges(p));
      preconditions.push({ what: 'scheduler prediction', ok: true, detail: p.actions.length > 0 ? p.actions.map(describeAction).join('; ') : 'no resource moves, starts or stops' });
      const stopped = stoppedEverywhere(p);
      if (stopped.length > 0) reasons.push(`the scheduler predicts ${stopped.join(', ')} will stop and run nowhere`);
    }
    if (auto && prediction?.change.ok && prediction.cleared) {
      if (!prediction.cleared.ok) {
        preconditions.push({ what: 'prediction after removing the constraint', ok: false, detail: prediction.cleared.error });
      } else if (prediction.cleared.prediction.actions.length > 0) {
        const back = prediction.cleared.prediction.actions.map(describeAction).join('; ');
        return { refused: true, reason: `once ${constraintId(change, from ?? undefined)} is removed after the move, the scheduler would act again (${back}): the resource would not stay`, hint: 'move with --pin to keep the constraint' };
      } else {
        preconditions.push({ what: 'prediction after removing the constraint', ok: true, detail: `${change.resource} stays: no action` });
      }
    }
  }
  return {
    id: ctx.newId(),
    action: `pacemaker.${args.verb}`,
    title: titleOf(args, change, picked.cluster),
    args: { ...args, cluster: picked.cluster, host, candidates: picked.candidates, change, from } satisfies PacemakerPlanArgs as unknown as Record<string, unknown>,
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [host],
    locks: lockKeys(picked.cluster, change),
    changes,
    preconditions,
    risk: { clusters: change.kind === 'maintenance' && change.scope.kind === 'cluster' ? [picked.cluster] : [], reasons },
    steps,
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    verify: verifyText(args, change, from),
  };
}
