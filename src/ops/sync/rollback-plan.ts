// `sync.rollback SET HOST [VERSION]`: pure planner. Restores, on one host,
// the content every file had before VERSION (default: the newest) from the
// copies the host kept, through the same stage, validate, install, reload
// and health path as an apply; the rollback keeps a version of its own.
import { posix } from 'node:path';
import type { SyncSet } from '../../inventory/types.js';
import { operatorLabel } from '../engine/operator.js';
import type { Plan } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import { hostLayout } from './host-layout.js';
import type { InstallEntry } from './install-script.js';
import { healthRoleMissing, hostSteps, rolesOf } from './step-builders.js';
import type { TreeManifest } from './tree-manifest.js';
import { restoreTargets, type SyncVersion } from './versions.js';
import type { SyncPlanArgs } from './apply-plan.js';

export interface SyncRollbackArgs {
  set: string;
  host: string;
  version?: string;
  timeoutMs: number;
}

export interface SyncRollbackFacts {
  set: SyncSet;
  /** The host's tree now (unscoped files too: a rollback restores what was kept). */
  tree: TreeManifest | { error: string };
  versions: SyncVersion[] | { error: string };
}

export function planSyncRollback(ctx: PlanContext<SyncRollbackFacts>, args: SyncRollbackArgs): Plan | Refusal {
  const { set, tree, versions } = ctx.facts;
  if ('error' in tree) return { refused: true, reason: `cannot read ${set.path} on ${args.host}: ${tree.error}` };
  if ('error' in versions) return { refused: true, reason: `cannot read the versions on ${args.host}: ${versions.error}` };
  if (versions.length === 0) return { refused: true, reason: `${args.host} keeps no version of ${set.name} (in ${set.versions})` };
  const version = args.version ? versions.find((v) => v.id === args.version || v.id.startsWith(args.version!)) : versions[versions.length - 1];
  if (!version) return { refused: true, reason: `${args.host} has no version "${args.version}" of ${set.name}`, hint: `kept: ${versions.map((v) => v.id).join(', ')}` };
  const now = new Map(tree.files.map((f) => [f.rel, f]));
  const from = new Map<string, string>();
  const entries: InstallEntry[] = [];
  for (const [rel, target] of restoreTargets(versions, version.id)) {
    const current = now.get(rel);
    if (current?.error) return { refused: true, reason: `${args.host}: ${rel || set.path} cannot be read (${current.error})` };
    const before = current?.sha256 ?? null;
    if (before === target.content) continue;
    entries.push({ rel, before, after: target.content });
    from.set(rel, target.from);
  }
  if (entries.length === 0) return { refused: true, reason: `${args.host} already holds ${set.name} as it was before ${version.id}` };
  const noRole = healthRoleMissing(set, ctx.inventory, [args.host]);
  if (noRole) return { refused: true, reason: noRole };
  const id = ctx.newId();
  const layout = hostLayout(set, id);
  const meta = { who: operatorLabel(ctx.who), action: id, set: set.name, kind: `rollback to ${version.id}` };
  const steps = hostSteps(set, { host: args.host, batch: 0, layout, entries, restoreFrom: (rel) => layout.saved(from.get(rel)!, rel), meta, timeoutMs: args.timeoutMs, roles: rolesOf(ctx.inventory, args.host) });
  const planArgs: SyncPlanArgs = { set: set.name, path: set.path, expected: { [args.host]: entries } };
  const shortHash = (h: string | null) => (h === null ? 'absent' : `sha256 ${h.slice(0, 12)}`);
  return {
    id,
    action: 'sync.rollback',
    title: `roll ${set.name} back on ${args.host} to before ${version.id} (${new Date(version.time * 1000).toISOString()}, ${version.who})`,
    args: { ...planArgs, version: version.id },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: [args.host],
    locks: [`host:${args.host}`],
    changes: entries.map((e) => ({ target: args.host, what: e.rel ? posix.join(set.path, e.rel) : set.path, before: shortHash(e.before), after: e.after === null ? 'removed' : `${shortHash(e.after)} (kept in ${from.get(e.rel)})` })),
    preconditions: [{ what: `${args.host} read`, ok: true, detail: `${versions.length} version(s) kept` }],
    risk: { clusters: [], reasons: [] },
    steps,
    undo: [],
    concurrency: 1,
    failurePolicy: 'stop',
    completion: 'all',
    verify: `sha256 of every restored file re-read on ${args.host} equals the kept copy's`,
  };
}
