// The pure planner: a deploy file, the inventory and what was read from the
// hosts -> an engine Plan. Batches in order; per batch the stages in DAG
// order; per stage the steps of each host (on the host itself, on every LB
// that lists it, or here); the undo switches `current` back.
import type { HostSpec, Inventory } from '../../inventory/types.js';
import type { Plan, Precondition, Step } from '../engine/plan.js';
import type { Refusal } from '../engine/registry.js';
import { commandHealthCommand, drainCommand, envLines, httpHealthCommand, linkCommand, mkdirCommand, pruneCommand, readyCommand, releasePath, type Layout } from './deploy-commands.js';
import type { DeploySpec, StageSpec } from './deploy-spec.js';
import { vetoSteps } from './analysis-vetoes.js';
import { switchCommand } from './blue-green.js';
import { canarySteps, canaryUndoCommand, type LbBackends } from './canary-steps.js';
import { batchesOf, batchSizes } from './serial-batches.js';
import { stageLevels } from './stage-order.js';

/** Where a step of the plan stands in the pipeline: the runner's map of it. */
export interface StepPlace {
  batch: number;
  /** The host it is for; '*' for a stage run once per batch. */
  target: string;
  stage: string;
  /**
   * A canary step's analysis (one per LB, run together): the step fails when
   * one fails, is inconclusive (exit 3: the deploy pauses) when all are, and
   * passes otherwise (an LB that carried no traffic has no say).
   */
  analysis?: string;
  /** In an analysis: a canary host's own reading, which can fail the step but never pass or pause it. */
  veto?: true;
}

export interface LbServer {
  lb: string;
  backend: string;
  server: string;
}

export interface DeployFacts {
  /** Per target: the release `current` names now ('' when none), or why it could not be read. */
  current: Record<string, { release: string } | { error: string }>;
  /** Per target: the servers of every LB that are this host. */
  lbServers: Record<string, LbServer[]>;
  lbBackends: LbBackends;
  /** blue-green: the pool out of rotation (it gets the release) and the one serving, or why it cannot be told. */
  blueGreen?: { idle: string[]; active: string[] } | { error: string };
  lbProblems: string[];
  /** release.from: the local base and its files (relative), with the directories they need. */
  release?: { base: string; files: string[]; dirs: string[] };
}

export interface DeployArgs {
  spec: DeploySpec;
  file: string;
  /** Stage indexes in DAG order. */
  order: number[];
  version: string;
  targets: string[];
  /** A rollback to a release already on the hosts: the release is not put there again. */
  rollback?: boolean;
}

/** What the runner needs beside the steps; journaled with the plan. */
export interface DeployMeta {
  file: string;
  name: string;
  version: string;
  deployTo: string;
  batches: string[][];
  stages: Array<{ name: string; runOn: StageSpec['run_on']; backoffMs: number; rollback?: string }>;
  /** Stage names by DAG level: a level's stages run at once (absent in plans journaled before: one stage at a time). */
  levels?: string[][];
  places: Record<string, StepPlace>;
  /** Per target: the release before this deploy ('' none). */
  previous: Record<string, string>;
  maxFail?: DeploySpec['max_fail'];
  maxUnavailable?: DeploySpec['max_unavailable'];
  onFailure: DeploySpec['on_failure'];
  rollback: DeploySpec['rollback'];
}

export const LOCAL_HOST = '@local';

/** deploy_to with `${vars.NAME}` read from the host, or why it cannot be. */
export function deployRoot(spec: Pick<DeploySpec, 'deploy_to'>, host: HostSpec): string | Refusal {
  let missing: string | undefined;
  const root = spec.deploy_to.replace(/\$\{vars\.([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const v = host.vars[name];
    if (typeof v !== 'string' && typeof v !== 'number') missing = name;
    return String(v ?? '');
  });
  if (missing) return { refused: true, reason: `${host.id}: deploy_to ${spec.deploy_to} needs the inventory var ${missing}, which the host does not have` };
  return root.replace(/\/+$/, '') || '/';
}

interface Ctx {
  args: DeployArgs;
  facts: DeployFacts;
  inventory: Inventory;
  runId: string;
  steps: Step[];
  places: Record<string, StepPlace>;
}

function add(ctx: Ctx, place: StepPlace, hostId: string, label: string, spec: Step['spec'], stage: Pick<StageSpec, 'timeout' | 'retries'>, n = 0): void {
  const id = `b${place.batch}/${place.target}/${place.stage}${n ? `/${n}` : ''}`;
  ctx.steps.push({ id, hostId, label, spec, timeoutMs: stage.timeout, retries: stage.retries, batch: place.batch });
  ctx.places[id] = place;
}

const lbRoleOf = (ctx: Ctx, lb: string) => ctx.inventory.hosts.find((h) => h.id === lb)!.roles.haproxy!;

/** Drain (and wait for sessions) or ready (and wait for UP) on every LB that lists the host. */
function lbStateSteps(ctx: Ctx, stage: StageSpec, place: StepPlace, host: string): void {
  (ctx.facts.lbServers[host] ?? []).forEach((s, i) => {
    const role = lbRoleOf(ctx, s.lb);
    const drain = stage.builtin === 'lb-drain';
    const command = drain ? drainCommand(role, s.backend, s.server, stage.drain_deadline) : readyCommand(role, s.backend, s.server, stage.drain_deadline);
    add(ctx, place, s.lb, `${drain ? 'drain' : 'ready'} ${s.backend}/${s.server} on ${s.lb}`, { kind: 'command', command }, stage, i + 1);
  });
}

/** The canary batch's lb-ready: ready, then the traffic steps with their analyses, then the weights back. */
function canaryStage(ctx: Ctx, stage: StageSpec, place: StepPlace, host: string, batchHosts: string[]): void {
  const { spec } = ctx.args;
  const analysis = spec.gates.analysis ?? { max_error_percent: 1, min_requests: 10 };
  const perLb = (ctx.facts.lbServers[host] ?? []).map((s) => ({
    lb: s.lb,
    steps: canarySteps(lbRoleOf(ctx, s.lb), s.lb, s.backend, ctx.facts.lbBackends[s.lb]?.[s.backend] ?? [], batchHosts, host, spec.strategy.steps!, spec.strategy.pause, analysis, stage.drain_deadline),
  }));
  // Step by step across the LBs: every LB's weights change before any analysis, and the analyses of a step run together.
  for (let k = 0; k < Math.max(0, ...perLb.map((l) => l.steps.length)); k++) {
    const kinds = new Set<string>();
    for (const { lb, steps } of perLb) {
      const c = steps[k];
      if (!c) continue;
      const id = `b${place.batch}/${host}/${stage.name}/${lb}-${c.kind}`;
      ctx.steps.push({ id, hostId: lb, label: c.label, spec: c.spec, timeoutMs: c.timeoutMs, retries: 0, batch: place.batch });
      ctx.places[id] = { ...place, ...(c.kind.startsWith('analysis') ? { analysis: c.kind } : {}) };
      if (c.kind.startsWith('analysis')) kinds.add(c.kind);
    }
    [...kinds].forEach((kind, i) => vetoSteps(ctx, stage, place, host, batchHosts, kind, analysis, i === 0));
  }
}


/** blue-green's lb-ready, once for the pool (at its first host): on each LB, the idle pool in and the active one drained in one call. */
function switchStage(ctx: Ctx, stage: StageSpec, place: StepPlace, host: string, pool: string[]): void {
  if (host !== pool[0]) return;
  const bg = ctx.facts.blueGreen as { idle: string[]; active: string[] };
  const servers = (hosts: string[]) => hosts.flatMap((h) => ctx.facts.lbServers[h] ?? []);
  for (const lb of [...new Set(servers(pool).map((s) => s.lb))]) {
    const on = (list: LbServer[]) => list.filter((s) => s.lb === lb);
    const command = switchCommand(lbRoleOf(ctx, lb), on(servers(pool)), on(servers(bg.active)), stage.drain_deadline);
    add(ctx, place, lb, `switch on ${lb}: ${pool.join(',')} in, ${bg.active.join(',')} drained`, { kind: 'command', command }, { ...stage, timeout: stage.drain_deadline * (pool.length + 1) }, 1 + ctx.steps.filter((x) => x.hostId === lb).length);
  }
}

function stageSteps(ctx: Ctx, stage: StageSpec, batch: number, host: HostSpec, layout: Layout, batchHosts: string[]): void {
  const { spec, version } = ctx.args;
  const place = { batch, target: host.id, stage: stage.name };
  const release = releasePath(layout, version);
  const env = envLines({ HOST: host.id, ADDRESS: host.address, VERSION: version, DEPLOY_TO: layout.root, RELEASE_DIR: release, HOSTS: batchHosts.join(' ') });
  switch (stage.builtin) {
    case 'upload': {
      if (ctx.args.rollback) return;
      if (spec.release.fetch !== undefined) return add(ctx, place, host.id, `fetch ${version}`, { kind: 'command', command: `${env}\nmkdir -p "$RELEASE_DIR" && cd "$RELEASE_DIR" && ${spec.release.fetch}` }, stage);
      const r = ctx.facts.release!;
      add(ctx, place, host.id, `mkdir ${release}`, { kind: 'command', command: mkdirCommand([release, ...r.dirs.map((d) => `${release}/${d}`)]) }, stage);
      r.files.forEach((f, i) => add(ctx, place, host.id, `upload ${f}`, { kind: 'upload', localPath: `${r.base}/${f}`, remotePath: `${release}/${f}` }, stage, i + 1));
      return;
    }
    case 'link':
      return add(ctx, place, host.id, `current -> ${spec.releases_dir}/${version}`, { kind: 'command', command: linkCommand(layout, version, ctx.runId) }, stage);
    case 'lb-ready':
      if (spec.strategy.kind === 'canary' && batch === 0) return canaryStage(ctx, stage, place, host.id, batchHosts);
      if (spec.strategy.kind === 'blue-green') return switchStage(ctx, stage, place, host.id, batchHosts);
      return lbStateSteps(ctx, stage, place, host.id);
    case 'lb-drain':
      // The idle pool takes no traffic: nothing to drain.
      if (spec.strategy.kind === 'blue-green') return;
      return lbStateSteps(ctx, stage, place, host.id);
    case 'health': {
      const h = stage.health ?? spec.gates.health!;
      if (h.url !== undefined) {
        const url = h.url.replaceAll('{address}', host.address).replaceAll('{host}', host.id);
        return add(ctx, place, LOCAL_HOST, `health ${url}`, { kind: 'command', command: httpHealthCommand(url, h, version) }, { ...stage, timeout: h.within + 5000 });
      }
      return add(ctx, place, host.id, `health: ${h.command}`, { kind: 'command', command: commandHealthCommand(h, env) }, { ...stage, timeout: h.within + 5000 });
    }
    case 'wait':
      return add(ctx, place, LOCAL_HOST, `wait ${stage.duration! / 1000} s`, { kind: 'command', command: `sleep ${stage.duration! / 1000}` }, { ...stage, timeout: stage.duration! + 5000 });
    default:
      return add(ctx, place, stage.run_on === 'local' ? LOCAL_HOST : host.id, stage.command!, { kind: 'command', command: `${env}\n${stage.command!}` }, stage);
  }
}

/**
 * A host's rollback, in order: `current` back to the previous release, the
 * stages' own rollback commands (last stage first), then ready on every LB.
 * The runner runs only those whose stage ran on the host.
 */
function undoSteps(ctx: Ctx, t: string, previous: string, layout: Layout, stages: StageSpec[]): Step[] {
  const host = ctx.inventory.hosts.find((h) => h.id === t)!;
  const out: Step[] = [];
  const push = (stage: string, hostId: string, label: string, command: string, n = 0) => {
    const id = `undo/${t}/${stage}${n ? `/${n}` : ''}`;
    out.push({ id, hostId, label, spec: { kind: 'command', command }, timeoutMs: 60_000, retries: 1 });
    ctx.places[id] = { batch: -1, target: t, stage };
  };
  const ready = stages.find((s) => s.builtin === 'lb-ready');
  const bg = ctx.facts.blueGreen;
  if (ready && bg && 'idle' in bg && t === ctx.args.targets[0]) {
    // The switch the other way: the old pool kept its release, it only needs its traffic back.
    const servers = (hosts: string[]) => hosts.flatMap((h) => ctx.facts.lbServers[h] ?? []);
    [...new Set(servers(bg.idle).map((s) => s.lb))].forEach((lb, i) => {
      const on = (list: LbServer[]) => list.filter((s) => s.lb === lb);
      push(ready.name, lb, `switch back on ${lb}: ${bg.active.join(',')} in, ${bg.idle.join(',')} drained`, switchCommand(lbRoleOf(ctx, lb), on(servers(bg.active)), on(servers(bg.idle)), ready.drain_deadline), i + 1);
    });
  }
  if (ready && ctx.args.spec.strategy.kind === 'canary') {
    // First of all: a bad canary's traffic goes back to the old servers at once.
    (ctx.facts.lbServers[t] ?? []).forEach((s, i) => push(ready.name, s.lb, `${s.backend}/${s.server} out of rotation, weights back on ${s.lb}`, canaryUndoCommand(lbRoleOf(ctx, s.lb), s.backend, ctx.facts.lbBackends[s.lb]?.[s.backend] ?? [], s.server), i + 1));
  }
  const link = stages.find((s) => s.builtin === 'link');
  if (previous && link) push(link.name, t, `current -> ${layout.releasesDir}/${previous}`, linkCommand(layout, previous, `${ctx.runId}-undo`));
  const env = envLines({ HOST: t, ADDRESS: host.address, VERSION: previous, DEPLOY_TO: layout.root, RELEASE_DIR: releasePath(layout, previous) });
  for (const s of [...stages].reverse()) if (s.rollback && s.run_on === 'each') push(s.name, t, `rollback ${s.name}: ${s.rollback}`, `${env}\n${s.rollback}`);
  const drain = stages.find((s) => s.builtin === 'lb-drain');
  if (drain) (ctx.facts.lbServers[t] ?? []).forEach((s, i) => push(drain.name, s.lb, `ready ${s.backend}/${s.server} on ${s.lb}`, readyCommand(lbRoleOf(ctx, s.lb), s.backend, s.server, drain.drain_deadline), i + 1));
  return out;
}

export function planDeploy(args: DeployArgs, facts: DeployFacts, inventory: Inventory, now: number, newId: () => string): Plan | Refusal {
  const { spec } = args;
  if (args.targets.length === 0) return { refused: true, reason: `targets ${spec.targets} selects no host` };
  const hosts = args.targets.map((id) => inventory.hosts.find((h) => h.id === id)!);
  const layouts = new Map<string, Layout>();
  for (const h of hosts) {
    const root = deployRoot(spec, h);
    if (typeof root !== 'string') return root;
    layouts.set(h.id, { root, releasesDir: spec.releases_dir });
  }
  const id = newId();
  const ctx: Ctx = { args, facts, inventory, runId: id, steps: [], places: {} };
  if (spec.strategy.kind === 'blue-green' && (!facts.blueGreen || 'error' in facts.blueGreen)) return { refused: true, reason: `blue-green: ${facts.blueGreen && 'error' in facts.blueGreen ? facts.blueGreen.error : 'the LBs could not be read'}` };
  // blue-green: the idle pool at once (it takes no traffic); the others by serial.
  const batches = spec.strategy.kind === 'blue-green' ? [args.targets] : batchesOf(args.targets, batchSizes(spec.strategy, args.targets.length, spec.max_unavailable));
  const stages = args.order.map((i) => spec.stages[i]!);
  batches.forEach((batch, b) => {
    for (const stage of stages) {
      if (stage.run_on === 'each' || stage.builtin) for (const h of hosts.filter((x) => batch.includes(x.id))) stageSteps(ctx, stage, b, h, layouts.get(h.id)!, batch);
      else {
        const first = hosts.find((x) => x.id === batch[0])!;
        const env = envLines({ VERSION: args.version, HOSTS: batch.join(' '), DEPLOY_TO: layouts.get(first.id)!.root });
        add(ctx, { batch: b, target: '*', stage: stage.name }, stage.run_on === 'local' ? LOCAL_HOST : first.id, `${stage.command!} (once)`, { kind: 'command', command: `${env}\n${stage.command!}` }, stage);
      }
    }
    for (const t of batch) {
      const prev = facts.current[t];
      add(ctx, { batch: b, target: t, stage: 'prune' }, t, `keep the last ${spec.keep} releases`, { kind: 'command', command: pruneCommand(layouts.get(t)!, spec.keep, prev && 'release' in prev ? prev.release : null) }, { timeout: 60_000, retries: 0 });
    }
  });

  const previous: Record<string, string> = {};
  const preconditions: Precondition[] = [];
  const undo: Step[] = [];
  for (const t of args.targets) {
    const c = facts.current[t];
    previous[t] = c && 'release' in c ? c.release : '';
    preconditions.push(c && 'release' in c ? { what: `${t}: current release read`, ok: true, detail: c.release || 'none yet' } : { what: `${t}: current release read`, ok: false, detail: c?.error ?? 'not read' });
    const servers = facts.lbServers[t] ?? [];
    if (stages.some((s) => s.builtin === 'lb-drain')) preconditions.push({ what: `${t}: in the load balancers`, ok: true, detail: servers.map((s) => `${s.lb} ${s.backend}/${s.server}`).join(', ') || 'no LB lists it: nothing to drain' });
    undo.push(...undoSteps(ctx, t, previous[t]!, layouts.get(t)!, stages));
  }
  const meta: DeployMeta = {
    file: args.file,
    name: spec.name,
    version: args.version,
    deployTo: spec.deploy_to,
    batches,
    stages: stages.map((s) => ({ name: s.name, runOn: s.run_on, backoffMs: s.backoff, rollback: s.rollback })),
    levels: stageLevels(stages),
    places: ctx.places,
    previous,
    maxFail: spec.max_fail,
    maxUnavailable: spec.max_unavailable,
    onFailure: spec.on_failure,
    rollback: spec.rollback,
  };
  const lbLocks = [...new Set(Object.values(facts.lbServers).flat().map((s) => `haproxy:${s.lb}:${s.backend}/${s.server}`))];
  return {
    id,
    action: 'deploy',
    title: `deploy ${spec.name} ${args.version}${args.rollback ? ' (rollback)' : ''} to ${args.targets.join(',')} in ${batches.length} batch${batches.length === 1 ? '' : 'es'}`,
    args: { deploy: meta },
    inventory: inventory.file ?? inventory.name,
    createdAt: now,
    targets: args.targets,
    locks: [...args.targets.map((t) => `host:${t}`), ...lbLocks],
    changes: args.targets.map((t) => ({ target: t, what: 'release', before: previous[t] || 'none', after: args.version })),
    preconditions,
    risk: { clusters: [], reasons: facts.lbProblems },
    steps: ctx.steps,
    undo,
    concurrency: Math.max(...batches.map((b) => b.length)),
    failurePolicy: spec.on_failure,
    completion: 'all',
    verify: `readlink current on every target names ${spec.releases_dir}/${args.version} (or the previous release where it was rolled back)`,
  };
}
