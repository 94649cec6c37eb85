// Which Pacemaker resources a rebalance moves, and where: from nodes whose
// host is over the band to the least loaded node that may run them (online,
// not in standby or maintenance, its host's load known and not over the
// band, no ban of the resource or a member on it). Pacemaker knows more
// (colocation, utilization, fail counts): its scheduler judges the whole
// set afterwards. Load model: a node's host load is shared evenly by its
// movable resources and one share for everything else on the host, so a
// move carries capacity x load / (k + 1) of work; a move is taken only when
// it narrows the spread. Pure and deterministic.
import type { PacemakerSnapshot } from '../../probes/pacemaker.js';
import { balances, spreadOf, type FleetHost } from './load-model.js';
import { membersOf } from '../failover/pacemaker/resolve-change.js';

export interface PacemakerMove {
  resource: string;
  /** Pacemaker node names. */
  before: string;
  after: string;
  fromHost: string;
  toHost: string;
}

export interface MovesPlan {
  moves: PacemakerMove[];
  /** Host loads (percent) before and as the model predicts after, in `hosts` order. */
  loadsBefore: number[];
  loadsAfter: number[];
}

/** Top-level resources that can move as one: groups and primitives outside any group or clone, active on one node, managed, not failed. */
export function movableResources(s: PacemakerSnapshot): { id: string; node: string }[] {
  const ids = [...s.collections.filter((c) => c.kind === 'group').map((c) => c.id), ...s.resources.filter((r) => r.group === null && r.clone === null).map((r) => r.id)];
  return [...new Set(ids)].sort().flatMap((id) => {
    const members = membersOf(s, id);
    if (members.length === 0 || members.some((m) => !m.managed || m.failed || m.blocked || !m.active || m.nodes.length !== 1)) return [];
    const nodes = [...new Set(members.map((m) => m.nodes[0]!))];
    return nodes.length === 1 ? [{ id, node: nodes[0]! }] : [];
  });
}

/** Pacemaker's -INFINITY: a ban; a milder negative score is a preference the scheduler weighs. */
const HARD_BAN = -1_000_000;

/** Whether a node may take a resource: online and usable, no -INFINITY location of it or any member there (crm_mon's bans and the cli bans). */
export function mayRun(s: PacemakerSnapshot, resource: string, node: string): boolean {
  const n = s.nodes.find((x) => x.name === node);
  if (!n || !n.online || n.standby || n.maintenance || n.unclean) return false;
  const ids = new Set([resource, ...membersOf(s, resource).map((m) => m.id)]);
  const cliBans = s.constraints.kind === 'read' ? s.constraints.list.filter((c) => c.kind === 'ban').map((c) => ({ resource: c.resource, node: c.node, weight: c.score })) : [];
  return ![...s.bans, ...cliBans].some((b) => ids.has(b.resource) && b.node === node && (b.weight === null || b.weight <= HARD_BAN));
}

/** The node -> host map of one cluster: the role's `node`, else the host's id. */
export type NodeHosts = ReadonlyMap<string, string>;

export function proposeMoves(s: PacemakerSnapshot, nodeHosts: NodeHosts, hosts: readonly FleetHost[], band: number): MovesPlan {
  const loads = hosts.map((h) => h.load);
  const loadsBefore = [...loads];
  const { target } = spreadOf(hosts, loads);
  const index = (node: string) => {
    const host = nodeHosts.get(node);
    return host === undefined ? -1 : hosts.findIndex((h) => h.id === host);
  };
  const movable = movableResources(s);
  const perNode = new Map<string, string[]>();
  for (const r of movable) perNode.set(r.node, [...(perNode.get(r.node) ?? []), r.id]);
  const over = balances(loads, target, band);
  const sources = [...perNode.keys()].filter((n) => index(n) >= 0 && over[index(n)] === 'over').sort((a, b) => loads[index(b)]! - loads[index(a)]! || a.localeCompare(b));
  const moves: PacemakerMove[] = [];
  for (const from of sources) {
    const f = index(from);
    const resources = perNode.get(from)!;
    const work = (hosts[f]!.capacity * loadsBefore[f]!) / (resources.length + 1);
    for (const resource of resources) {
      if (balances([loads[f]!], target, band)[0] !== 'over') break;
      const spreadNow = spreadOf(hosts, loads).spread;
      const candidates = s.nodes
        .map((n) => n.name)
        .filter((n) => n !== from && index(n) >= 0 && index(n) !== f && mayRun(s, resource, n) && balances([loads[index(n)]!], target, band)[0] !== 'over')
        .sort((a, b) => loads[index(a)]! - loads[index(b)]! || a.localeCompare(b));
      for (const to of candidates) {
        const t = index(to);
        const next = [...loads];
        next[f] = Math.max(0, loads[f]! - work / hosts[f]!.capacity);
        next[t] = Math.min(100, loads[t]! + work / hosts[t]!.capacity);
        if (spreadOf(hosts, next).spread >= spreadNow) continue;
        loads.splice(0, loads.length, ...next);
        moves.push({ resource, before: from, after: to, fromHost: hosts[f]!.id, toHost: hosts[t]!.id });
        break;
      }
    }
  }
  return { moves, loadsBefore, loadsAfter: loads };
}
