// The sync actions as the engine knows them: `sync.apply SET` and
// `sync.rollback SET HOST [VERSION]`. observe reads the live trees (and
// stores the files to upload by content); the planners are pure.
import { UsageError, type ActionDefinition, type AnyAction, type LiveContext } from '../engine/registry.js';
import { hostActionOptions } from '../target-args.js';
import { entriesFor, planSyncApply, type SyncApplyArgs, type SyncApplyFacts } from './apply-plan.js';
import { storeObjects } from './object-store.js';
import { planSyncRollback, type SyncRollbackArgs, type SyncRollbackFacts } from './rollback-plan.js';
import { driftOf, findSet, readSet, readTree, readVersions, setTargets } from './sync-observe.js';
import { verifySync } from './sync-verify.js';

async function observeApply(ctx: LiveContext, args: SyncApplyArgs): Promise<SyncApplyFacts> {
  const set = findSet(ctx.inventory, args.set);
  const reading = await readSet(ctx, set, setTargets(set, ctx.state, ctx.now()));
  const drift = driftOf(set, reading);
  if ('error' in reading.source) return { set, drift, objects: {}, sourceError: reading.source.error };
  const wanted = new Map<string, string>();
  for (const d of drift) for (const e of entriesFor(d)) if (e.after) wanted.set(e.rel, e.after);
  const reference = set.source.kind === 'host' ? ctx.transports.get(set.source.host) : undefined;
  try {
    return { set, drift, objects: await storeObjects(set, wanted, reference) };
  } catch (err) {
    return { set, drift, objects: {}, sourceError: (err as Error).message };
  }
}

async function observeRollback(ctx: LiveContext, args: SyncRollbackArgs): Promise<SyncRollbackFacts> {
  const set = findSet(ctx.inventory, args.set);
  if (!ctx.inventory.hosts.some((h) => h.id === args.host)) throw new UsageError(`no host "${args.host}" in the inventory`);
  const t = ctx.transports.get(args.host);
  // Unscoped: a kept file is restored even if include/exclude changed since.
  const [tree, versions] = await Promise.all([readTree(t, args.host, { ...set, include: [], exclude: [] }), readVersions(t, args.host, set)]);
  return { set, tree, versions };
}

export const syncApplyAction: ActionDefinition<SyncApplyArgs, SyncApplyFacts> = {
  name: 'sync.apply',
  summary: 'bring a sync set\'s targets in line with its source: staged, validated, kept as a version, renamed in; reload and health check; serial batches',
  usage: 'SET [--parallel N] [--timeout S]',
  scope: 'sync.set',
  parseArgs(argv, options) {
    const [set, ...extra] = argv;
    if (!set || extra.length > 0) throw new UsageError('sync.apply needs SET (a sync set of the inventory)');
    return { set, ...hostActionOptions(options, { parallel: 32, timeoutSeconds: 300 }) };
  },
  observe: observeApply,
  plan: planSyncApply,
  verify: verifySync,
};

export const syncRollbackAction: ActionDefinition<SyncRollbackArgs, SyncRollbackFacts> = {
  name: 'sync.rollback',
  summary: 'restore a sync set on one host to a kept version (default: before the last apply), through validate, reload and health',
  usage: 'SET HOST [VERSION]',
  scope: 'sync.set',
  parseArgs(argv, options) {
    const [set, host, version, ...extra] = argv;
    if (!set || !host || extra.length > 0) throw new UsageError('sync.rollback needs SET HOST [VERSION]');
    return { set, host, version, timeoutMs: hostActionOptions(options, { parallel: 1, timeoutSeconds: 300 }).timeoutMs };
  },
  observe: observeRollback,
  plan: planSyncRollback,
  verify: verifySync,
};

export const syncActions: AnyAction[] = [syncApplyAction, syncRollbackAction];
