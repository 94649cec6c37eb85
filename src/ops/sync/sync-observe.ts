// Reads a set on the live hosts: the source tree (here, or on the
// reference host) and every target's, one command per host over its
// existing connection; nothing is copied back to compare.
import type { Inventory, SyncSet } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import { UsageError, type LiveContext } from '../engine/registry.js';
import { selectHosts } from '../select-hosts.js';
import { hostDrift, type HostDrift } from './drift.js';
import { localManifest, manifestCommand, parseManifest, parsePlannedHashes, plannedHashesCommand, scoped, type TreeManifest } from './tree-manifest.js';
import { parseVersions, versionsCommand, type SyncVersion } from './versions.js';
import { mergeReading, parseStamps, stampsCommand, toRehash, type HashCache } from './hash-cache.js';

export const READ_TIMEOUT_MS = 120_000;

export function findSet(inventory: Inventory, name: string): SyncSet {
  const set = inventory.sync?.find((s) => s.name === name);
  if (!set) {
    const names = inventory.sync?.map((s) => s.name) ?? [];
    throw new UsageError(`no sync set "${name}" in ${inventory.file ?? inventory.name}`, names.length > 0 ? `sets: ${names.join(', ')}` : 'declare one under sync: in the inventory (README: Sync)');
  }
  return set;
}

/** The set's targets: its host filter, never the reference host itself. */
export function setTargets(set: SyncSet, state: LiveContext['state'], now: number): string[] {
  return selectHosts(state, set.targets, now).filter((h) => set.source.kind !== 'host' || h !== set.source.host);
}

/** Runs one of baton's read commands on a host; the error says which host and why. */
export async function runRead(transport: Transport | undefined, host: string, command: string): Promise<{ stdout: string; stderr: string } | { error: string }> {
  if (!transport) return { error: `${host}: no transport` };
  try {
    await transport.connect();
    const r = await transport.exec(command, { timeoutMs: READ_TIMEOUT_MS });
    if (r.code !== 0) return { error: `${host}: ${r.timedOut ? 'timed out' : (r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`) || `exit ${r.code}`}` };
    return { stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    return { error: `${host}: ${(err as Error).message}` };
  }
}

/** The whole tree hashed on the host, unscoped. */
async function readWhole(transport: Transport | undefined, host: string, path: string): Promise<TreeManifest | { error: string }> {
  const r = await runRead(transport, host, manifestCommand(path));
  if ('error' in r) return r;
  const m = parseManifest(r.stdout, r.stderr);
  return 'error' in m ? { error: `${host}: ${m.error}` } : m;
}

/**
 * The set's tree on a host, every file hashed there; with a cache (the
 * console's re-checks), only the files whose stamp moved since the last
 * reading are hashed (hash-cache.ts). The stamps are taken before the
 * hashing, so a file written meanwhile differs from them next time.
 */
export async function readTree(transport: Transport | undefined, host: string, set: SyncSet, cache?: HashCache): Promise<TreeManifest | { error: string }> {
  const stamped = cache ? await runRead(transport, host, stampsCommand(set.path)) : undefined;
  // find said something (a directory it cannot enter): the stamps may miss files; read it all.
  const stamps = stamped && !('error' in stamped) && stamped.stderr.trim() === '' ? parseStamps(stamped.stdout) : undefined;
  // The machine, not only its name: a host id that now reaches another machine starts afresh.
  const machine = transport?.hostKeyFingerprint ? `${host} ${transport.hostKeyFingerprint}` : host;
  const previous = cache?.get(machine, set.path);
  const moved = stamps && toRehash(previous, stamps);
  if (cache && stamps && previous && moved) {
    const hashed = moved.length === 0 ? { stdout: '' } : await runRead(transport, host, plannedHashesCommand(set.path, moved));
    const m = 'error' in hashed ? undefined : mergeReading(previous, stamps, parsePlannedHashes(hashed.stdout, stamps.kind === 'file'));
    if (m) {
      cache.set(machine, set.path, m, stamps);
      return scoped(m, set.include, set.exclude);
    }
  }
  const m = await readWhole(transport, host, set.path);
  if ('error' in m) return m;
  if (cache && stamps) cache.set(machine, set.path, m, stamps);
  return scoped(m, set.include, set.exclude);
}

export async function readSource(ctx: LiveContext, set: SyncSet, cache?: HashCache): Promise<TreeManifest | { error: string }> {
  if (set.source.kind === 'local') return scoped(await localManifest(set.source.path), set.include, set.exclude);
  return readTree(ctx.transports.get(set.source.host), set.source.host, { ...set, path: set.source.path }, cache);
}

export async function readVersions(transport: Transport | undefined, host: string, set: SyncSet): Promise<SyncVersion[] | { error: string }> {
  const r = await runRead(transport, host, versionsCommand(set.versions));
  return 'error' in r ? r : parseVersions(r.stdout);
}

export interface SetReading {
  source: TreeManifest | { error: string };
  targets: Record<string, TreeManifest | { error: string }>;
  checkedAt: number;
}

/** The source and every target of the set, read at once (with a cache: the console's re-checks). */
export async function readSet(ctx: LiveContext, set: SyncSet, hosts: readonly string[], cache?: HashCache): Promise<SetReading> {
  const [source, ...trees] = await Promise.all([readSource(ctx, set, cache), ...hosts.map((h) => readTree(ctx.transports.get(h), h, set, cache))]);
  return { source: source!, targets: Object.fromEntries(hosts.map((h, i) => [h, trees[i]!])), checkedAt: ctx.now() };
}

/** Pure: every host's drift from a reading. */
export function driftOf(set: SyncSet, reading: SetReading): HostDrift[] {
  return Object.entries(reading.targets).map(([host, tree]) =>
    'error' in reading.source ? { set: set.name, host, state: 'unknown' as const, files: [], error: `source: ${reading.source.error}`, checkedAt: reading.checkedAt } : hostDrift(set.name, host, reading.source, tree, reading.checkedAt),
  );
}
