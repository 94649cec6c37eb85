// `sync:` sets of a baton YAML inventory: each entry checked by the schema,
// then resolved: a local source relative to the inventory, a `HOST:PATH`
// source naming a host of this inventory, paths without control characters.
import path from 'node:path';
import type { InventoryError } from './errors.js';
import { expandHome } from './local-env.js';
import { syncSetSchema, type SyncEntry } from './schema.js';
import type { SyncSet } from './types.js';
import { validate } from './yaml-issues.js';
import type { YamlSource } from './yaml-source.js';

export const DEFAULT_KEEP = 5;
export const DEFAULT_HEALTH_DEADLINE_SECONDS = 30;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\0-\x1f\x7f]/;

/** Where a set's previous versions live on a target by default: beside its path, never inside it. */
export function defaultVersionStore(targetPath: string, name: string): string {
  return path.posix.join(path.posix.dirname(targetPath), '.baton-sync', name);
}

function resolveSet(name: string, entry: SyncEntry, at: string[], source: YamlSource, hostIds: ReadonlySet<string>, errors: InventoryError[]): SyncSet | undefined {
  const before = errors.length;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) errors.push(source.error(at, 'expected a set name of letters, digits, ".", "_" and "-"', { key: true }));
  for (const key of ['path', 'versions', 'source', 'validate', 'reload'] as const) {
    if (entry[key] !== undefined && CONTROL.test(entry[key])) errors.push(source.error([...at, key], 'expected no newline or control character'));
  }
  const targetPath = path.posix.normalize(entry.path).replace(/(.)\/$/, '$1');
  if (targetPath === '/') errors.push(source.error([...at, 'path'], 'expected a file or directory below /, not / itself'));
  const ref = /^([^/:\s]+):(\/.*)$/.exec(entry.source);
  let resolved: SyncSet['source'];
  if (ref && hostIds.has(ref[1]!)) {
    resolved = { kind: 'host', host: ref[1]!, path: path.posix.normalize(ref[2]!) };
  } else if (ref && !entry.source.startsWith('/') && !entry.source.startsWith('.')) {
    errors.push(source.error([...at, 'source'], `expected HOST:PATH with a host of this inventory; no host "${ref[1]}"`));
    return undefined;
  } else {
    resolved = { kind: 'local', path: path.resolve(path.dirname(source.file), expandHome(entry.source)) };
  }
  if (errors.length > before) return undefined;
  return {
    name,
    source: resolved,
    targets: entry.targets ?? 'all',
    path: targetPath,
    include: entry.include ?? [],
    exclude: entry.exclude ?? [],
    mode: entry.mode === undefined ? undefined : parseInt(entry.mode, 8),
    owner: entry.owner,
    group: entry.group,
    validate: entry.validate,
    reload: entry.reload,
    health: entry.health && { url: entry.health.url, command: entry.health.command, haproxy: entry.health.haproxy, etcd: entry.health.etcd, deadlineSeconds: entry.health.deadline ?? DEFAULT_HEALTH_DEADLINE_SECONDS },
    keep: entry.keep ?? DEFAULT_KEEP,
    serial: entry.rollout === undefined || entry.rollout === 'all' ? undefined : entry.rollout.serial,
    versions: entry.versions ?? defaultVersionStore(targetPath, name),
  };
}

/** Every set of `raw` (the `sync:` mapping) checked and resolved; errors collected, not thrown. */
export function resolveSyncSets(source: YamlSource, raw: Record<string, unknown>, hostIds: ReadonlySet<string>, errors: InventoryError[]): SyncSet[] {
  const sets: SyncSet[] = [];
  for (const name of source.keysInOrder(['sync'], raw)) {
    const entry = validate(syncSetSchema, raw[name], ['sync', name], source, errors);
    const set = entry && resolveSet(name, entry, ['sync', name], source, hostIds, errors);
    if (set) sets.push(set);
  }
  return sets;
}
