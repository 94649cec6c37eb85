// From the action's arguments and what the cluster says (crm_mon), the exact
// CIB change: which cluster, whether the resource and node exist (a name that
// does not is a refusal listing those that do), the node a move with no node
// leaves, whether `maintenance X` means a node or a resource. Pure.
import type { PacemakerSnapshot } from '../../../probes/pacemaker.js';
import type { Refusal } from '../../engine/registry.js';
import type { ClusterRead } from './cluster-reading.js';
import type { CibChange } from './pacemaker-commands.js';
import type { PacemakerArgs } from './pacemaker-args.js';

const LIST_AT_MOST = 30;
const listed = (names: readonly string[]) =>
  names.length === 0 ? 'none' : names.slice(0, LIST_AT_MOST).join(', ') + (names.length > LIST_AT_MOST ? ` and ${names.length - LIST_AT_MOST} more` : '');

/** Primitives, groups, clones and bundles by id, once each. */
export function resourceNames(s: PacemakerSnapshot): string[] {
  return [...new Set([...s.collections.map((c) => c.id), ...s.resources.map((r) => r.id)])];
}

export const nodeNames = (s: PacemakerSnapshot): string[] => s.nodes.map((n) => n.name);

/** The primitives a resource id stands for: itself, or the members of its group, clone or bundle. */
export function membersOf(s: PacemakerSnapshot, id: string): PacemakerSnapshot['resources'] {
  return s.resources.filter((r) => r.id === id || r.group === id || r.clone === id);
}

/** Where a resource runs now: every node any of its primitives runs on. */
export function nodesOf(s: PacemakerSnapshot, id: string): string[] {
  return [...new Set(membersOf(s, id).flatMap((r) => (r.active ? r.nodes : [])))];
}

/** The names the arguments use, to find the cluster that has them. */
function namesUsed(args: PacemakerArgs): { resources: string[]; nodes: string[]; either: string[] } {
  return {
    resources: args.resource !== null ? [args.resource] : [],
    nodes: args.node !== null ? [args.node] : [],
    either: args.target !== null ? [args.target] : [],
  };
}

function knows(s: PacemakerSnapshot, args: PacemakerArgs): boolean {
  const used = namesUsed(args);
  const rs = resourceNames(s);
  const ns = nodeNames(s);
  return used.resources.every((r) => rs.includes(r)) && used.nodes.every((n) => ns.includes(n)) && used.either.every((x) => rs.includes(x) || ns.includes(x));
}

export interface PickedCluster {
  cluster: string;
  host: string;
  candidates: string[];
  snapshot: PacemakerSnapshot;
}

/**
 * The cluster the action is about: --cluster, else the only one, else the
 * only one whose crm_mon knows every name given. Refused (with what each
 * cluster has) when none or several fit.
 */
export function pickCluster(args: PacemakerArgs, clusters: ReadonlyMap<string, string[]>, reads: Readonly<Record<string, ClusterRead>>): PickedCluster | Refusal {
  if (clusters.size === 0) return { refused: true, reason: 'the inventory has no Pacemaker hosts (no host with the pacemaker role)' };
  if (args.cluster !== null && !clusters.has(args.cluster)) return { refused: true, reason: `no Pacemaker cluster "${args.cluster}" in the inventory; there are: ${listed([...clusters.keys()])}` };
  const names = args.cluster !== null ? [args.cluster] : [...clusters.keys()];
  const read = names.map((c) => ({ cluster: c, read: reads[c] }));
  const answered = read.filter((r): r is { cluster: string; read: Extract<ClusterRead, { ok: true }> } => r.read?.ok === true);
  if (answered.length === 0) {
    return { refused: true, reason: `no Pacemaker node answered: ${read.map((r) => `${r.cluster}: ${r.read && !r.read.ok ? r.read.error : 'not read'}`).join('; ')}` };
  }
  const fitting = answered.length === 1 ? answered : answered.filter((a) => knows(a.read.snapshot, args));
  if (fitting.length !== 1) {
    const what = fitting.length === 0 ? 'no cluster knows' : 'several clusters know';
    return { refused: true, reason: `${what} ${[args.resource, args.node, args.target].filter((x) => x !== null).map((x) => JSON.stringify(x)).join(' and ') || 'the whole-cluster change'}`, hint: `give --cluster NAME (${listed(answered.map((a) => a.cluster))})` };
  }
  const pick = fitting[0]!;
  return { cluster: pick.cluster, host: pick.read.host, candidates: clusters.get(pick.cluster) ?? [pick.read.host], snapshot: pick.read.snapshot };
}

function refuseUnknown(s: PacemakerSnapshot, cluster: string, args: PacemakerArgs): Refusal | undefined {
  const used = namesUsed(args);
  const rs = resourceNames(s);
  const ns = nodeNames(s);
  const missingResource = used.resources.find((r) => !rs.includes(r));
  if (missingResource !== undefined) return { refused: true, reason: `no resource ${JSON.stringify(missingResource)} in cluster ${cluster}; its resources: ${listed(rs)}` };
  const missingNode = used.nodes.find((n) => !ns.includes(n));
  if (missingNode !== undefined) return { refused: true, reason: `no node ${JSON.stringify(missingNode)} in cluster ${cluster}; its nodes: ${listed(ns)}` };
  const x = used.either[0];
  if (x !== undefined && !rs.includes(x) && !ns.includes(x)) return { refused: true, reason: `no node or resource ${JSON.stringify(x)} in cluster ${cluster}; nodes: ${listed(ns)}; resources: ${listed(rs)}` };
  if (x !== undefined && rs.includes(x) && ns.includes(x)) return { refused: true, reason: `${JSON.stringify(x)} is both a node and a resource in cluster ${cluster}: baton will not guess which to put in maintenance` };
  return undefined;
}

/** The CIB change the arguments ask for, checked against the cluster's state. */
export function resolveChange(args: PacemakerArgs, picked: Pick<PickedCluster, 'cluster' | 'snapshot'>): CibChange | Refusal {
  const s = picked.snapshot;
  const unknown = refuseUnknown(s, picked.cluster, args);
  if (unknown) return unknown;
  const resource = args.resource ?? '';
  const node = args.node ?? '';
  switch (args.verb) {
    case 'move': {
      if (args.node === null) {
        const now = nodesOf(s, resource);
        if (now.length !== 1) return { refused: true, reason: `a move with no node bans the node ${resource} runs on, and it runs on ${now.length === 0 ? 'no node' : `several (${now.join(', ')})`}`, hint: 'name the node to move it to' };
      } else if (nodesOf(s, resource).length === 1 && nodesOf(s, resource)[0] === node) {
        return { refused: true, reason: `${resource} already runs on ${node}` };
      }
      return { kind: 'move', resource, node: args.node, lifetime: args.lifetime };
    }
    case 'ban':
      return { kind: 'ban', resource, node };
    case 'clear':
      return { kind: 'clear', resource };
    case 'standby':
    case 'online':
      return { kind: 'standby', node, on: args.verb === 'standby' };
    case 'maintenance': {
      const on = args.on === true;
      if (args.target === null) return { kind: 'maintenance', on, scope: { kind: 'cluster' } };
      return { kind: 'maintenance', on, scope: nodeNames(s).includes(args.target) ? { kind: 'node', node: args.target } : { kind: 'resource', resource: args.target } };
    }
    case 'cleanup':
      return { kind: 'cleanup', resource, node: args.node };
    case 'disable':
    case 'enable':
      return { kind: 'target-role', resource, stopped: args.verb === 'disable' };
  }
}

/** The node a move with no node bans: where the resource runs now. */
export function currentNode(s: PacemakerSnapshot, resource: string): string | undefined {
  const now = nodesOf(s, resource);
  return now.length === 1 ? now[0] : undefined;
}
