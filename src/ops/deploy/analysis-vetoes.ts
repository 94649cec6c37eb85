// A canary step's vetoes: beside the LBs' analyses of the step, in its
// group, what can fail it but never pass or pause it: each canary host's own
// CPU and memory, and each Redis broker's backlog, read over the same pause.
// Pure: steps and their places, as the deploy planner adds its own.
import type { Inventory } from '../../inventory/types.js';
import type { Step } from '../engine/plan.js';
import { backlogAnalysisCommand, hostAnalysisCommand } from './deploy-commands.js';
import type { AnalysisSpec, StageSpec } from './deploy-spec.js';
import type { DeployArgs, StepPlace } from './plan-deploy.js';

export interface VetoContext {
  args: Pick<DeployArgs, 'spec'>;
  inventory: Inventory;
  steps: Step[];
  places: Record<string, StepPlace>;
}

/** `withBacklog`: the brokers are read once per traffic step, in its first group. */
export function vetoSteps(ctx: VetoContext, stage: StageSpec, place: StepPlace, host: string, batchHosts: string[], kind: string, analysis: AnalysisSpec, withBacklog: boolean): void {
  const pause = ctx.args.spec.strategy.pause;
  const push = (on: string, what: string, label: string, command: string) => {
    const id = `b${place.batch}/${host}/${stage.name}/${on}-${what}-${kind}`;
    ctx.steps.push({ id, hostId: on, label, spec: { kind: 'command', command }, timeoutMs: pause + 15_000, retries: 0, batch: place.batch });
    ctx.places[id] = { ...place, analysis: kind, veto: true };
  };
  if (analysis.max_cpu_percent !== undefined || analysis.max_mem_percent !== undefined) {
    // `analysis-N` when the canary is one server; `analysis-N-SERVER` (the host's name) for each of several.
    for (const canary of batchHosts.filter((h) => kind === `analysis-${kind.split('-')[1]}` || kind.endsWith(`-${h}`))) {
      push(canary, 'host', `${canary}'s cpu and memory over ${pause / 1000} s`, hostAnalysisCommand(canary, pause, analysis));
    }
  }
  if (analysis.max_backlog_growth !== undefined && withBacklog) {
    for (const broker of ctx.inventory.hosts.filter((h) => h.roles?.redis && (h.roles.redis.lists?.length || h.roles.redis.streams?.length))) {
      push(broker.id, 'backlog', `${broker.id}'s queue backlog over ${pause / 1000} s`, backlogAnalysisCommand(broker.id, broker.roles!.redis!, pause, analysis.max_backlog_growth));
    }
  }
}
