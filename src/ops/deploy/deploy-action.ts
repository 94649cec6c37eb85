// `deploy`: a deploy file as an engine action. The engine plans, confirms,
// locks every target (and each LB server) for the whole run, journals,
// verifies and logs; the deploy's own runner runs the batches. Resume
// (`baton resume ID`) runs the steps not journaled ok with the same plan.
import { quote } from 'shell-quote';
import { UsageError, type ActionDefinition, type LiveContext, type VerifyResult } from '../engine/registry.js';
import type { Plan } from '../engine/plan.js';
import type { RunResult } from '../engine/runner.js';
import { runOnHost } from '../failover/host-command.js';
import { selectHosts } from '../select-hosts.js';
import { currentReleaseCommand } from './deploy-commands.js';
import { observeDeploy } from './deploy-observe.js';
import { loadDeployFile } from './load-deploy.js';
import { deployRoot, planDeploy, type DeployFacts, type DeployMeta } from './plan-deploy.js';
import { runDeploy } from './run-deploy.js';
import type { DeploySpec } from './deploy-spec.js';

export interface DeployActionArgs {
  file: string;
  spec: DeploySpec;
  order: number[];
  /** -r/--release, or release.version; for a rollback, --to (else the hosts' previous release). */
  version?: string;
  rollback: boolean;
}

type Facts = DeployFacts & { targets: string[]; version: string } | { error: string };

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function parseArgs(argv: string[], options: Record<string, unknown>): DeployActionArgs {
  const [file, ...extra] = argv;
  if (!file || extra.length > 0) throw new UsageError('deploy needs one deploy file (deploys/NAME.yaml)');
  const load = loadDeployFile(file);
  if (!load.ok) throw new UsageError(load.errors.map((e) => e.message).join('\n'), 'fix the deploy file; every error names its line and column');
  const rollback = options.rollback === true;
  const version = (rollback ? options.to : options.version) as string | undefined;
  if (version !== undefined && !VERSION.test(version)) throw new UsageError(`version ${JSON.stringify(version)}: expected letters, digits and . _ - (it names a directory)`);
  if (!rollback && version === undefined && load.deploy.release.version === undefined) throw new UsageError('which release? give -r/--release V (the deploy file has no release.version)');
  return { file, spec: load.deploy, order: load.order, version: version ?? (rollback ? undefined : load.deploy.release.version), rollback };
}

/** Newest release other than `current` on each host; the one they agree on. */
async function previousRelease(ctx: LiveContext, spec: DeploySpec, targets: string[]): Promise<string | { error: string }> {
  // Blue-green goes back by switching to the idle pool as it is: its own current release.
  const which = spec.strategy.kind === 'blue-green' ? 'basename "$(readlink ../current)"' : 'cur=$(basename "$(readlink ../current)") && ls -1t | grep -vxF -- "$cur" | head -n 1';
  const seen = await Promise.all(
    targets.map(async (t) => {
      const root = deployRoot(spec, ctx.inventory.hosts.find((h) => h.id === t)!);
      if (typeof root !== 'string') return `? (${root.reason})`;
      const r = await runOnHost(ctx, t, `cd ${quote([`${root}/${spec.releases_dir}`])} && ${which}`, 10_000);
      return r.ok ? r.result.stdout.trim() : `? (${r.error})`;
    }),
  );
  const distinct = [...new Set(seen)];
  if (distinct.length === 1 && distinct[0] && !distinct[0].startsWith('?')) return distinct[0];
  return { error: `the hosts' previous releases differ or are unknown (${targets.map((t, i) => `${t}: ${seen[i] || 'none'}`).join(', ')}); give --to VERSION` };
}

async function observe(ctx: LiveContext, args: DeployActionArgs): Promise<Facts> {
  let targets = selectHosts(ctx.state, args.spec.targets, ctx.now());
  const poolFilters = args.spec.strategy.kind === 'blue-green' ? args.spec.strategy.pools : undefined;
  const pools = poolFilters && (poolFilters.map((f) => selectHosts(ctx.state, f, ctx.now()).filter((h) => targets.includes(h))) as [string[], string[]]);
  if (pools) {
    // The idle pool is the target; which one that is, only the LBs say.
    const probe = await observeDeploy(ctx, args.spec, args.file, args.version ?? 'none', [...pools[0], ...pools[1]], true, true, pools);
    if (!probe.blueGreen || 'error' in probe.blueGreen) return { error: `blue-green: ${probe.blueGreen && 'error' in probe.blueGreen ? probe.blueGreen.error : 'the LBs could not be read'}` };
    targets = probe.blueGreen.idle;
  }
  let version = args.version;
  if (version === undefined) {
    const prev = await previousRelease(ctx, args.spec, targets);
    if (typeof prev !== 'string') return prev;
    version = prev;
  }
  const lbs = args.spec.stages.some((s) => s.builtin === 'lb-drain' || s.builtin === 'lb-ready');
  try {
    return { ...(await observeDeploy(ctx, args.spec, args.file, version, pools ? [...pools[0], ...pools[1]] : targets, lbs, args.rollback, pools)), targets, version };
  } catch (err) {
    return { error: `the release could not be read: ${(err as Error).message}` };
  }
}

async function verify(ctx: LiveContext, plan: Plan, run: RunResult): Promise<VerifyResult> {
  const meta = plan.args.deploy as DeployMeta;
  const rolledBack = new Set(run.undo.filter((u) => u.outcome === 'ok').map((u) => u.stepId.split('/')[1]));
  const hosts: Record<string, 'ok' | 'failed' | 'unknown'> = {};
  const lines: string[] = [];
  await Promise.all(
    plan.targets.map(async (t) => {
      const root = deployRoot({ deploy_to: meta.deployTo }, ctx.inventory.hosts.find((h) => h.id === t)!);
      const r = await runOnHost(ctx, t, currentReleaseCommand({ root: typeof root === 'string' ? root : '', releasesDir: '' }), 10_000);
      const now = r.ok ? r.result.stdout.trim() : undefined;
      const expected = run.hostOutcomes[t] === 'ok' ? meta.version : rolledBack.has(t) ? meta.previous[t] : undefined;
      hosts[t] = now === undefined ? 'unknown' : run.hostOutcomes[t] === 'ok' && now === expected ? 'ok' : 'failed';
      lines.push(`${t}: ${now ?? `unread (${r.ok ? '' : r.error})`}${expected && now !== expected ? ` (expected ${expected})` : ''}`);
    }),
  );
  const all = Object.values(hosts);
  const outcome = run.outcome === 'ok' && all.every((h) => h === 'ok' || meta.onFailure === 'ignore') ? 'ok' : all.includes('unknown') ? 'unknown' : 'failed';
  return { outcome, detail: `current on ${lines.sort().join(', ')}`, hosts };
}

export const deployAction: ActionDefinition<DeployActionArgs, Facts> = {
  name: 'deploy',
  summary: 'run a deploy file (deploys/*.yaml): releases, a `current` switch, LB drain/ready, health gates, batches',
  usage: 'FILE (deploys its release.version; baton deploy run FILE -r V and baton deploy rollback take a release)',
  scope: 'deploy.file',
  parseArgs,
  observe,
  plan(ctx, args) {
    if ('error' in ctx.facts) return { refused: true, reason: ctx.facts.error };
    return planDeploy({ spec: args.spec, file: args.file, order: args.order, version: ctx.facts.version, targets: ctx.facts.targets, rollback: args.rollback }, ctx.facts, ctx.inventory, ctx.now, ctx.newId);
  },
  run: runDeploy,
  verify,
};
