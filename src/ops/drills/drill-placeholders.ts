// ${running:RESOURCE}, ${etcd:leader} and ${etcd:leader-host} in a drill's
// inject and restore steps: read from baton's polled state at the moment of
// injection, so "the node that runs the VIP" is the one that runs it now.
// Resolved once; the restore uses the same values. Pure.
import type { Inventory } from '../../inventory/types.js';
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import type { BatonState } from '../../store/types.js';

const PLACEHOLDER = /\$\{(running:[^}]+|etcd:leader|etcd:leader-host)\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export function snapshotsOf<T>(state: BatonState, kind: string): T[] {
  return Object.values(state.services)
    .filter((s) => s.kind === kind && s.snapshot !== undefined)
    .map((s) => s.snapshot as T);
}

/** Nodes a resource, group or clone runs on (its active primitives), in the first cluster that knows it. */
export function nodesRunning(state: BatonState, resource: string): string[] {
  for (const snapshot of snapshotsOf<PacemakerSnapshot>(state, 'pacemaker')) {
    const parts = snapshot.resources.filter((r) => r.id === resource || r.group === resource || r.clone === resource);
    if (parts.length > 0) return [...new Set(parts.filter((r) => r.active).flatMap((r) => r.nodes))].sort();
  }
  return [];
}

export function etcdLeader(state: BatonState): { name: string; endpoint: string | null } | undefined {
  for (const snapshot of snapshotsOf<EtcdSnapshot>(state, 'etcd')) {
    const leader = snapshot.members.find((m) => m.leader);
    if (leader) return { name: leader.name, endpoint: leader.endpoint };
  }
  return undefined;
}

/** The inventory host whose etcd role names this endpoint. */
export function etcdHostOf(inventory: Inventory, endpoint: string | null): string | undefined {
  const norm = (u: string) => u.replace(/\/+$/, '');
  return inventory.hosts.find((h) => h.roles.etcd?.endpoint !== undefined && endpoint !== null && norm(h.roles.etcd.endpoint) === norm(endpoint))?.id;
}

/** Every placeholder's value, or why one cannot be read now. */
export function resolvePlaceholders(texts: readonly string[], state: BatonState, inventory: Inventory): { values: Record<string, string> } | { error: string } {
  const values: Record<string, string> = {};
  for (const key of new Set(texts.flatMap(placeholdersIn))) {
    if (key.startsWith('running:')) {
      const resource = key.slice('running:'.length);
      const [node] = nodesRunning(state, resource);
      if (!node) return { error: `\${${key}}: baton sees ${resource} running nowhere` };
      values[key] = node;
      continue;
    }
    const leader = etcdLeader(state);
    if (!leader) return { error: `\${${key}}: baton sees no etcd leader` };
    if (key === 'etcd:leader') values[key] = leader.name;
    else {
      const host = etcdHostOf(inventory, leader.endpoint);
      if (!host) return { error: `\${${key}}: no inventory host has the leader's endpoint ${leader.endpoint ?? '(none)'}` };
      values[key] = host;
    }
  }
  return { values };
}

export function substitute(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(PLACEHOLDER, (_, key: string) => values[key] ?? `\${${key}}`);
}

/** A spec with every string substituted (deeply). */
export function substituteAll<T>(value: T, values: Readonly<Record<string, string>>): T {
  if (typeof value === 'string') return substitute(value, values) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => substituteAll(v, values)) as T;
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteAll(v, values)])) as T;
  return value;
}

/** Every string in a spec, for finding its placeholders. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}
