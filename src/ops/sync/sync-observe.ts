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
import { mergeReading, parseStamps, stampsCommand, toRehash, type HashCache, type TreeStamps } from './hash-cache.js';

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

/** Between the stamps and the tree in a first reading: no path find prints (%P) starts with `/`. */
const THEN_TREE = '/@@baton:tree/';

/**
 * A machine's first reading for the cache: its stamps, then the whole tree
 * hashed, in one command (one round trip). Stamps only when find said
 * nothing on stderr (it may have missed files).
 */
async function readFirst(transport: Transport | undefined, host: string, path: string): Promise<{ manifest: TreeManifest | { error: string }; stamps?: TreeStamps }> {
  const r = await runRead(transport, host, `${stampsCommand(path)}\nprintf '%s\\0' ${THEN_TREE}\n${manifestCommand(path)}`);
  if ('error' in r) return { manifest: r };
  const at = r.stdout.indexOf(`\0${THEN_TREE}\0`);
  if (at < 0) return { manifest: { error: `${host}: unexpected output: ${JSON.stringify(r.stdout.slice(0, 80))}` } };
  const m = parseManifest(r.stdout.slice(at + THEN_TREE.length + 2), r.stderr);
  if ('error' in m) return { manifest: { error: `${host}: ${m.error}` } };
  return { manifest: m, stamps: r.stderr.trim() === '' ? parseStamps(r.stdout.slice(0, at + 1)) : undefined };
}

/**
 * The set's tree on a host, every file hashed there; with a cache (the
 * console's re-checks, `sync status`), only the files whose stamp moved
 * since the last reading are hashed (hash-cache.ts). The stamps are taken
 * before the hashing, so a file written meanwhile differs from them next time.
 */
export async function readTree(transport: Transport | undefined, host: string, set: SyncSet, cache?: HashCache): Promise<TreeManifest | { error: string }> {
  if (!cache) {
    const m = await readWhole(transport, host, set.path);
    return 'error' in m ? m : scoped(m, set.include, set.exclude);
  }
  // The machine, not only its name (its host key, once connected): a host id that now reaches another machine starts afresh.
  await transport?.connect().catch(() => undefined);
  const machine = transport?.hostKeyFingerprint ? `${host} ${transport.hostKeyFingerprint}` : host;
  const previous = cache.get(machine, set.path);
  if (previous) {
    const stamped = await runRead(transport, host, stampsCommand(set.path));
    // find said something (a directory it cannot enter): the stamps may miss files; read it all.
    const stamps = !('error' in stamped) && stamped.stderr.trim() === '' ? parseStamps(stamped.stdout) : undefined;
    const moved = stamps && toRehash(previous, stamps);
    if (stamps && moved) {
      const hashed = moved.length === 0 ? { stdout: '' } : await runRead(transport, host, plannedHashesCommand(set.path, moved));
      const m = 'error' in hashed ? undefined : mergeReading(previous, stamps, parsePlannedHashes(hashed.stdout, stamps.kind === 'file'));
      if (m) {
        cache.set(machine, set.path, m, stamps);
        return scoped(m, set.include, set.exclude);
      }
    }
  }
  const first = await readFirst(transport, host, set.path);
  if ('error' in first.manifest) return first.manifest;
  if (first.stamps) cache.set(machine, set.path, first.manifest, first.stamps);
  return scoped(first.manifest, set.include, set.exclude);
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
