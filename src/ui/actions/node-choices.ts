// The rows of the Pacemaker node picker: every node of the cluster with why
// the resource cannot run there (offline, standby, a ban or a -INFINITY
// location constraint on it or on its group/clone), from the pane's own
// crm_mon snapshot. A move also offers "no node", which bans the node it
// runs on. Marks are a guide: the plan's scheduler prediction decides. Pure.
import { membersOf, nodesOf } from '../../ops/failover/pacemaker/resolve-change.js';
import type { PacemakerNode, PacemakerSnapshot } from '../../probes/pacemaker.js';

export type PickVerb = 'move' | 'ban';

export interface NodeChoice {
  /** null: a move with no node (bans the node it runs on). */
  node: string | null;
  label: string;
  /** Why it is marked, shown beside it. */
  reason?: string;
  /** A move there cannot work: the picker refuses it with the reason. */
  blocked: boolean;
}

/** Pacemaker's INFINITY: a ban at this score (or with none given) keeps the resource off for good. */
const INFINITY = 1_000_000;

const STATE_REASON: Partial<Record<PacemakerNode['state'], string>> = {
  unclean: 'unclean (not fenced yet)',
  offline: 'offline',
  pending: 'pending (joining)',
  maintenance: 'in maintenance',
  standby: 'in standby',
};

/** The ids whose location constraints bind `resource`: itself, its members, and the group/clone around it. */
function boundIds(s: PacemakerSnapshot, resource: string): Set<string> {
  const members = membersOf(s, resource);
  const parents = s.resources.filter((r) => r.id === resource).flatMap((r) => [r.group, r.clone]);
  return new Set([resource, ...members.map((m) => m.id), ...parents.filter((p): p is string => p !== null)]);
}

/** Why constraints keep `resource` off `node`, if they do. */
function banReason(s: PacemakerSnapshot, ids: ReadonlySet<string>, resource: string, node: string): { text: string; hard: boolean } | undefined {
  const ban = s.bans.find((b) => b.node === node && ids.has(b.resource));
  if (!ban) return undefined;
  const hard = ban.weight === null || ban.weight <= -INFINITY;
  const whose = ban.resource === resource ? '' : ` on ${ban.resource}`;
  const kind = ban.id.startsWith('cli-ban-') ? 'banned' : 'not allowed by constraint';
  return { text: hard ? `${kind}${whose} (${ban.id})` : `avoided${whose} (score ${ban.weight}, ${ban.id})`, hard };
}

/**
 * What a move or ban of the primitive under the cursor acts on: the clone or
 * group it is in (crm_resource places a member's constraint, but the group
 * stays where it is), else itself.
 */
export function movableResource(s: PacemakerSnapshot, id: string): string {
  const r = s.resources.find((x) => x.id === id);
  return r?.clone ?? r?.group ?? id;
}

export function nodeChoices(s: PacemakerSnapshot, resource: string, verb: PickVerb): NodeChoice[] {
  const running = nodesOf(s, resource);
  const ids = boundIds(s, resource);
  const rows = s.nodes.map((n): NodeChoice => {
    const reasons: string[] = [];
    const here = running.includes(n.name);
    if (here) reasons.push('runs here now');
    const state = STATE_REASON[n.state];
    if (state) reasons.push(state);
    const ban = banReason(s, ids, resource, n.name);
    if (ban) reasons.push(ban.text);
    // A ban may name any node; a move needs one the resource can run on and does not already.
    const blocked = verb === 'move' && (here || state !== undefined || ban?.hard === true);
    return { node: n.name, label: n.name, blocked, ...(reasons.length > 0 ? { reason: reasons.join(', ') } : {}) };
  });
  if (verb === 'ban') return rows;
  const only = running.length === 1 ? running[0]! : undefined;
  const none: NodeChoice = only
    ? { node: null, label: '(no node: ban the current one)', reason: `bans ${only}, even if it is the last node that can run ${resource}`, blocked: false }
    : { node: null, label: '(no node: ban the current one)', reason: `${resource} runs on ${running.length === 0 ? 'no node' : `several (${running.join(', ')})`}`, blocked: true };
  return [...rows, none];
}
