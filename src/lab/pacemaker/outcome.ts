// Words a fault's outcome for the operator, from crm_mon before and after:
// "web-group moved from node1 to node3", "ping-clone stopped on node2".
import type { ClusterView } from './crm-mon.js';

function describeOne(id: string, before: readonly string[], after: readonly string[]): string | undefined {
  const stopped = before.filter((n) => !after.includes(n));
  const started = after.filter((n) => !before.includes(n));
  if (stopped.length === 0 && started.length === 0) return undefined;
  if (stopped.length === 1 && started.length === 1 && after.length === 1) return `${id} moved from ${stopped[0]} to ${started[0]}`;
  const parts: string[] = [];
  if (stopped.length > 0) parts.push(after.length === 0 ? `${id} stopped (was on ${stopped.join(', ')})` : `${id} stopped on ${stopped.join(', ')}`);
  if (started.length > 0) parts.push(`${id} started on ${started.join(', ')}`);
  return parts.join(', ');
}

/** Every top-level resource whose nodes changed; undefined when nothing moved. */
export function describeMoves(before: ClusterView, after: ClusterView): string | undefined {
  const ids = [...new Set([...before.placement.keys(), ...after.placement.keys()])];
  const moves = ids.map((id) => describeOne(id, before.placement.get(id) ?? [], after.placement.get(id) ?? [])).filter((m) => m !== undefined);
  return moves.length > 0 ? moves.join('; ') : undefined;
}

/** Where a top-level resource runs, for status lines: 'web-group on node1' or 'web-group stopped'. */
export function whereRuns(view: ClusterView, id: string): string {
  const nodes = view.placement.get(id) ?? [];
  return nodes.length > 0 ? `${id} on ${nodes.join(', ')}` : `${id} stopped`;
}
