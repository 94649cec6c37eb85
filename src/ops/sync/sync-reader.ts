// The console's view of sync: what the monitor's sync poller reads (every
// set's drift on its targets, over the monitor's own connections), and what
// the Sync pane asks on demand (one host's diff, the versions it keeps).
import type { SyncReader } from '../../monitor/sync-poller.js';
import { UsageError, type LiveContext } from '../engine/registry.js';
import type { HostDrift } from './drift.js';
import { diffFiles } from './file-diff.js';
import { HashCache } from './hash-cache.js';
import { driftOf, findSet, readSet, readVersions, setTargets } from './sync-observe.js';
import type { SyncVersion } from './versions.js';


/** Re-checks hash only the trees whose files' stamps moved since the last reading (hash-cache.ts). */
export function createSyncReader(ctx: LiveContext): SyncReader {
  const cache = new HashCache();
  return {
    sets: (ctx.inventory.sync ?? []).map((s) => s.name),
    async read(name: string): Promise<HostDrift[]> {
      const set = findSet(ctx.inventory, name);
      return driftOf(set, await readSet(ctx, set, setTargets(set, ctx.state, ctx.now()), cache));
    },
  };
}

/** `baton sync diff SET HOST` and the pane's Enter: the host read afresh, then its differing files fetched over SFTP and diffed here. */
export async function hostDiff(ctx: LiveContext, name: string, host: string): Promise<{ drift: HostDrift; text: string }> {
  const set = findSet(ctx.inventory, name);
  if (!ctx.inventory.hosts.some((h) => h.id === host)) throw new UsageError(`no host "${host}" in the inventory`);
  const [drift] = driftOf(set, await readSet(ctx, set, [host]));
  if (!drift || drift.state === 'unknown') throw new UsageError(`cannot read ${name} on ${host}: ${drift?.error ?? 'no reading'}`);
  const reference = set.source.kind === 'host' ? ctx.transports.get(set.source.host) : undefined;
  return { drift, text: await diffFiles(set, host, ctx.transports.get(host)!, reference, drift.files) };
}

/** The versions a host keeps of a set, newest first. */
export async function hostVersions(ctx: LiveContext, name: string, host: string): Promise<SyncVersion[]> {
  const set = findSet(ctx.inventory, name);
  const versions = await readVersions(ctx.transports.get(host), host, set);
  if ('error' in versions) throw new Error(versions.error);
  return [...versions].reverse();
}
