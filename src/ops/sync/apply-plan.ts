// `sync.apply SET`: pure planner. Every target whose tree differs gets its
// steps (stage, upload the differing files, install, reload, health), in
// serial batches when the set says so (a failed host stops later batches);
// each host's install knows the hashes this plan saw, so a file changed
// since is a conflict on that host, never overwritten.
import type { SyncSet } from '../../inventory/types.js';
import { foldNodeset } from '../../inventory/nodeset.js';
import { operatorLabel } from '../engine/operator.js';
import type { Change, Plan, Precondition, Step } from '../engine/plan.js';
import type { PlanContext, Refusal } from '../engine/registry.js';
import type { HostDrift } from './drift.js';
import { hostLayout } from './host-layout.js';
import type { InstallEntry } from './install-script.js';
import { serialBatches } from './serial-batches.js';
import { healthRoleMissing, hostSteps, rolesOf } from './step-builders.js';

export interface SyncApplyArgs {
  set: string;
  parallel: number;
  timeoutMs: number;
}

export interface SyncApplyFacts {
  set: SyncSet;
  drift: HostDrift[];
  /** sha256 -> local copy of the source file. */
  objects: Record<string, string>;
  sourceError?: string;
}

/** What the plan journals for verify: per host, every file's planned before and after. */
export interface SyncPlanArgs {
  set: string;
  path: string;
  expected: Record<string, InstallEntry[]>;
}

/** Pure: the files to write or remove on a host, from its drift. */
export function entriesFor(drift: HostDrift): InstallEntry[] {
  return drift.files.flatMap((f): InstallEntry[] => {
    if (f.state === 'drifted' || f.state === 'missing') return [{ rel: f.path, before: f.targetSha256, after: f.sourceSha256 }];
    if (f.state === 'extra') return [{ rel: f.path, before: f.targetSha256, after: null }];
    return [];
  });
}

const short = (sha: string | null, size: number | null, gone: string) => (sha === null ? gone : `sha256 ${sha.slice(0, 12)} (${size ?? '?'} bytes)`);

export function planSyncApply(ctx: PlanContext<SyncApplyFacts>, args: SyncApplyArgs): Plan | Refusal {
  const { set, drift, objects } = ctx.facts;
  if (ctx.facts.sourceError) return { refused: true, reason: `${set.name}: the source cannot be read: ${ctx.facts.sourceError}` };
  if (drift.length === 0) return { refused: true, reason: `${set.name}: no host matches "${set.targets}"` };
  const preconditions: Precondition[] = [];
  const changing = drift.filter((d) => {
    const ok = d.state !== 'unknown' && d.state !== 'unreadable';
    preconditions.push({ what: `${d.host} read`, ok, detail: ok ? d.state : (d.error ?? d.files.filter((f) => f.error).map((f) => `${f.path || set.path}: ${f.error}`).join('; ')) });
    return ok && entriesFor(d).length > 0;
  });
  if (changing.length === 0) {
    const blocked = drift.filter((d) => d.state === 'unknown' || d.state === 'unreadable');
    return { refused: true, reason: blocked.length > 0 ? `${set.name}: nothing to apply on the hosts read; cannot read ${blocked.map((d) => `${d.host} (${d.error ?? d.state})`).join(', ')}` : `${set.name}: every host is in sync` };
  }
  const noRole = healthRoleMissing(set, ctx.inventory, changing.map((d) => d.host));
  if (noRole) return { refused: true, reason: noRole };
  const id = ctx.newId();
  const batches = serialBatches(changing.map((d) => d.host), set.serial);
  const batchOf = new Map(batches.flatMap((hosts, i) => hosts.map((h) => [h, i] as const)));
  const expected: Record<string, InstallEntry[]> = {};
  const changes: Change[] = [];
  const steps: Step[] = [];
  for (const d of changing) {
    const entries = entriesFor(d);
    expected[d.host] = entries;
    for (const f of d.files.filter((x) => x.state !== 'in-sync')) {
      changes.push({ target: d.host, what: `${set.path}${f.path ? `/${f.path}` : ''} (${f.state})`, before: short(f.targetSha256, f.targetSize, 'absent'), after: short(f.state === 'extra' ? null : f.sourceSha256, f.sourceSize, 'removed') });
    }
    const meta = { who: operatorLabel(ctx.who), action: id, set: set.name, kind: 'apply' };
    steps.push(...hostSteps(set, { host: d.host, batch: batchOf.get(d.host)!, layout: hostLayout(set, id), entries, objects, meta, timeoutMs: args.timeoutMs, roles: rolesOf(ctx.inventory, d.host) }));
  }
  const hosts = changing.map((d) => d.host);
  const planArgs: SyncPlanArgs = { set: set.name, path: set.path, expected };
  return {
    id,
    action: 'sync.apply',
    title: `sync ${set.name} (${set.path}) to ${foldNodeset(hosts)}`,
    args: { ...planArgs, parallel: args.parallel },
    inventory: ctx.inventory.file ?? ctx.inventory.name,
    createdAt: ctx.now,
    targets: hosts,
    locks: hosts.map((h) => `host:${h}`),
    changes,
    preconditions,
    risk: { clusters: [], reasons: [] },
    steps,
    undo: [],
    concurrency: args.parallel,
    // Serial: a failed host (conflict, validate, health) stops the batches after it.
    failurePolicy: set.serial ? 'stop' : 'continue',
    completion: 'all',
    verify: `sha256 of every planned file re-read on each host equals the plan's; rollback: baton sync rollback ${set.name} HOST`,
  };
}
