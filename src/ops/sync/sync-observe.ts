// Reads a set on the live hosts: the source tree (here, or on the
// reference host) and every target's, one command per host over its
// existing connection; nothing is copied back to compare.
import type { Inventory, SyncSet } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import { UsageError, type LiveContext } from '../engine/registry.js';
import { selectHosts } from '../select-hosts.js';
import { hostDrift, type HostDrift } from './drift.js';
import { localManifest, manifestCommand, parseManifest, scoped, type TreeManifest } from './tree-manifest.js';
import { parseVersions, versionsCommand, type SyncVersion } from './versions.js';

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

export async function readTree(transport: Transport | undefined, host: string, set: SyncSet): Promise<TreeManifest | { error: string }> {
  const r = await runRead(transport, host, manifestCommand(set.path));
  if ('error' in r) return r;
  const m = parseManifest(r.stdout, r.stderr);
  return 'error' in m ? { error: `${host}: ${m.error}` } : scoped(m, set.include, set.exclude);
}

export async function readSource(ctx: LiveContext, set: SyncSet): Promise<TreeManifest | { error: string }> {
  if (set.source.kind === 'local') return scoped(await localManifest(set.source.path), set.include, set.exclude);
  return readTree(ctx.transports.get(set.source.host), set.source.host, { ...set, path: set.source.path });
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

/** The source and every target of the set, read at once. */
export async function readSet(ctx: LiveContext, set: SyncSet, hosts: readonly string[]): Promise<SetReading> {
  const [source, ...trees] = await Promise.all([readSource(ctx, set), ...hosts.map((h) => readTree(ctx.transports.get(h), h, set))]);
  return { source: source!, targets: Object.fromEntries(hosts.map((h, i) => [h, trees[i]!])), checkedAt: ctx.now() };
}

/** Pure: every host's drift from a reading. */
export function driftOf(set: SyncSet, reading: SetReading): HostDrift[] {
  return Object.entries(reading.targets).map(([host, tree]) =>
    'error' in reading.source ? { set: set.name, host, state: 'unknown' as const, files: [], error: `source: ${reading.source.error}`, checkedAt: reading.checkedAt } : hostDrift(set.name, host, reading.source, tree, reading.checkedAt),
  );
}
