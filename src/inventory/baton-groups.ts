// Groups of a baton inventory: references checked, children cycles found,
// membership expanded through children, and the order in which groups apply
// their tags and vars (parents before children, then file order) fixed.
import { didYouMean } from './did-you-mean.js';
import { expandAt } from './baton-hosts.js';
import type { InventoryError } from './errors.js';
import { quoteSnippet } from './quote-snippet.js';
import type { GroupEntry } from './schema.js';
import type { YamlSource } from './yaml-source.js';

export interface ResolvedGroups {
  /** Group -> host ids, through children, in host order; groups in file order. */
  members: Map<string, string[]>;
  /** Groups in the order their tags and vars apply: later ones win. */
  precedence: string[];
}

interface Edges {
  hosts: Set<string>;
  children: string[];
}

export function resolveGroups(
  source: YamlSource,
  groups: { name: string; entry: GroupEntry | undefined }[],
  hostIds: readonly string[],
  errors: InventoryError[],
): ResolvedGroups {
  const known = new Set(hostIds);
  const names = groups.map((g) => g.name);
  const groupNames = new Set(names);
  const edges = new Map<string, Edges>();
  for (const { name, entry } of groups) {
    const hosts = new Set<string>();
    entry?.hosts?.forEach((pattern, i) => {
      const path = ['groups', name, 'hosts', i];
      for (const id of expandAt(source, pattern, path, {}, errors) ?? []) {
        if (known.has(id)) hosts.add(id);
        else errors.push(source.error(path, `unknown host ${quoteSnippet(id)}`, { hint: didYouMean(id, hostIds) ?? 'define it under hosts: first' }));
      }
    });
    const children: string[] = [];
    entry?.children?.forEach((child, i) => {
      if (groupNames.has(child)) children.push(child);
      else {
        const hint = didYouMean(child, names) ?? 'define it under groups: first';
        errors.push(source.error(['groups', name, 'children', i], `unknown group ${quoteSnippet(child)}`, { hint }));
      }
    });
    edges.set(name, { hosts, children });
  }
  findCycles(source, names, edges, errors);
  const order = new Map(hostIds.map((id, i) => [id, i]));
  const members = new Map(
    names.map((name) => [name, [...collect(name, edges, new Set())].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0))]),
  );
  return { members, precedence: byDepth(names, edges) };
}

/** Reports each back edge of a depth-first walk once, at the child reference. */
function findCycles(source: YamlSource, names: string[], edges: Map<string, Edges>, errors: InventoryError[]): void {
  const done = new Set<string>();
  const visit = (name: string, stack: string[]): void => {
    edges.get(name)?.children.forEach((child, i) => {
      if (stack.includes(child)) {
        const cycle = [...stack.slice(stack.indexOf(child)), child].join(' -> ');
        errors.push(source.error(['groups', name, 'children', i], `cycle in group children: ${cycle}`, { hint: `remove "${child}" from the children of "${name}"` }));
      } else if (!done.has(child)) {
        visit(child, [...stack, child]);
      }
    });
    done.add(name);
  };
  for (const name of names) if (!done.has(name)) visit(name, [name]);
}

function collect(name: string, edges: Map<string, Edges>, seen: Set<string>): Set<string> {
  const group = edges.get(name);
  if (group === undefined || seen.has(name)) return new Set();
  seen.add(name);
  const hosts = new Set(group.hosts);
  for (const child of group.children) for (const id of collect(child, edges, seen)) hosts.add(id);
  return hosts;
}

/** Depth = longest chain of parents above a group; children override parents. */
function byDepth(names: string[], edges: Map<string, Edges>): string[] {
  const parents = new Map<string, string[]>(names.map((n) => [n, []]));
  for (const [name, { children }] of edges) for (const child of children) parents.get(child)?.push(name);
  const depths = new Map<string, number>();
  const depth = (name: string, seen: Set<string>): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    if (seen.has(name)) return 0;
    seen.add(name);
    const d = Math.max(-1, ...(parents.get(name) ?? []).map((p) => depth(p, seen))) + 1;
    depths.set(name, d);
    return d;
  };
  return names
    .map((name, index) => ({ name, index, depth: depth(name, new Set()) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((g) => g.name);
}
