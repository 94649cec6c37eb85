// The Pacemaker actions (`baton act pacemaker.move ...`): one definition per
// verb over the shared parts: observe reads the cluster (crm_mon on the first
// node that answers) and asks the scheduler what the change would do on a
// copy of the CIB; the planner is pure; verify polls crm_mon.
import type { ActionDefinition, LiveContext } from '../../engine/registry.js';
import { isRefusal } from '../../engine/registry.js';
import { pacemakerClusters, readCluster, runOn, type ClusterRead } from './cluster-reading.js';
import { changeCommands } from './pacemaker-commands.js';
import { PACEMAKER_VERBS, parsePacemakerArgs, USAGE, type PacemakerArgs, type PacemakerVerb } from './pacemaker-args.js';
import { planPacemaker, type PacemakerFacts } from './pacemaker-plan.js';
import { verifyPacemaker } from './pacemaker-verify.js';
import { currentNode, pickCluster, resolveChange } from './resolve-change.js';
import { parsePredictionOutput, predictionScript } from './scheduler-prediction.js';

const PREDICTION_TIMEOUT_MS = 30_000;

export async function observePacemaker(ctx: LiveContext, args: PacemakerArgs): Promise<PacemakerFacts> {
  const clusters = pacemakerClusters(ctx.inventory);
  const asked = args.cluster !== null ? [...clusters].filter(([name]) => name === args.cluster) : [...clusters];
  const reads: Record<string, ClusterRead> = {};
  await Promise.all(asked.map(async ([name, hosts]) => (reads[name] = await readCluster(ctx.transports, hosts))));
  const facts: PacemakerFacts = { clusters: Object.fromEntries(clusters), reads };
  const picked = pickCluster(args, clusters, reads);
  if (isRefusal(picked)) return facts;
  const change = resolveChange(args, picked);
  if (isRefusal(change) || change.kind === 'cleanup') return facts;
  // pcs's default move removes the constraint afterwards: predict that too.
  const clearNode = change.kind === 'move' ? (change.node ?? currentNode(picked.snapshot, change.resource)) : undefined;
  const cleared = change.kind === 'move' && !args.pin && clearNode !== undefined ? changeCommands({ kind: 'clear', resource: change.resource, node: clearNode }) : undefined;
  try {
    const r = await runOn(ctx.transports, picked.host, predictionScript(changeCommands(change), cleared), PREDICTION_TIMEOUT_MS);
    facts.prediction = parsePredictionOutput(r.stdout, cleared !== undefined);
  } catch (err) {
    facts.prediction = { change: { ok: false, error: `on ${picked.host}: ${(err as Error).message.split('\n')[0]}` } };
  }
  return facts;
}

const SUMMARIES: Record<PacemakerVerb, string> = {
  move: 'move a resource or group to NODE (no NODE: ban the node it runs on); the constraint is removed once it runs there and the scheduler says it stays, or kept with --pin',
  ban: 'keep a resource off NODE (cli-ban constraint)',
  clear: 'remove the cli-prefer/cli-ban constraints of a resource (stale move constraints are a classic outage cause)',
  standby: 'put a node in standby: its resources move away',
  online: 'take a node out of standby',
  maintenance: 'maintenance on/off for the whole cluster, a node or a resource (Pacemaker stops managing it)',
  cleanup: "clear a resource's failed actions and fail counts (on NODE, or everywhere)",
  disable: 'stop a resource everywhere (target-role=Stopped)',
  enable: 'let a disabled resource run again (target-role removed)',
};

function definition(verb: PacemakerVerb): ActionDefinition<PacemakerArgs, PacemakerFacts> {
  const nodeScoped = verb === 'standby' || verb === 'online';
  return {
    name: `pacemaker.${verb}`,
    summary: SUMMARIES[verb],
    usage: USAGE[verb],
    scope: nodeScoped ? 'pacemaker.node' : verb === 'maintenance' ? 'pacemaker.cluster' : 'pacemaker.resource',
    parseArgs: (argv, options) => parsePacemakerArgs(verb, argv, options),
    observe: observePacemaker,
    plan: planPacemaker,
    verify: (ctx, plan, run) => verifyPacemaker(ctx, plan, run),
  };
}

export const pacemakerActions: ReadonlyArray<ActionDefinition<PacemakerArgs, PacemakerFacts>> = PACEMAKER_VERBS.map(definition);
