// `--lever pacemaker-balanced`: instead of pinning resources, tell Pacemaker
// what each node can carry and what each resource weighs, and let its own
// placement-strategy=balanced place them. Node utilization `load` = the
// inventory capacity x 100; a movable resource's = its share of its host's
// load as the move lever models it (capacity x load / (k + 1), split over a
// group's members, at least 1). Clones and hosts of unknown load are left
// alone. Every attribute is shown before -> after; undo puts each back
// (deleted when it had none). Pure.
import { quote } from 'shell-quote';
import { child, childrenNamed, descendants, parseXml, type XmlElement } from '../../probes/xml-tree.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker.js';
import { membersOf } from '../failover/pacemaker/resolve-change.js';
import type { FleetHost } from './load-model.js';
import { movableResources, type NodeHosts } from './pacemaker-moves.js';

/** The CIB's configuration: the cluster properties, nodes and resources with their utilization. */
export const PLACEMENT_READ_COMMAND = 'cibadmin --query --scope configuration';
export const UTILIZATION = 'load';

export interface PlacementState {
  strategy: string | null;
  /** Node name -> its utilization `load`, or null. */
  nodes: Record<string, string | null>;
  /** Primitive id -> its utilization `load`, or null. */
  resources: Record<string, string | null>;
}

export interface AttributeChange {
  kind: 'property' | 'node' | 'resource';
  /** 'cluster', a node name or a primitive id. */
  target: string;
  name: string;
  before: string | null;
  after: string;
}

const utilization = (el: XmlElement): string | null => childrenNamed(child(el, 'utilization'), 'nvpair').find((p) => p.attrs.name === UTILIZATION)?.attrs.value ?? null;

/** cibadmin --query --scope configuration; a string says why it could not be read. Never throws. */
export function parsePlacementState(xml: string): PlacementState | string {
  try {
    const root = parseXml(xml, 'cibadmin');
    const config = root.name === 'configuration' ? root : child(root, 'configuration');
    if (!config) return `cibadmin printed <${root.name}>, not the configuration`;
    const strategy = descendants(child(config, 'crm_config') ?? config, 'nvpair').find((p) => p.attrs.name === 'placement-strategy')?.attrs.value ?? null;
    const nodes = Object.fromEntries(childrenNamed(child(config, 'nodes'), 'node').map((n) => [n.attrs.uname ?? '', utilization(n)]));
    const resources = Object.fromEntries(descendants(child(config, 'resources') ?? config, 'primitive').map((p) => [p.attrs.id ?? '', utilization(p)]));
    return { strategy, nodes, resources };
  } catch (err) {
    return `cibadmin: ${(err as Error).message}: ${xml.slice(0, 200)}`;
  }
}

/** The attributes placement-strategy=balanced needs, only those that change. */
export function planBalanced(s: PacemakerSnapshot, nodeHosts: NodeHosts, hosts: readonly FleetHost[], state: PlacementState): AttributeChange[] {
  const host = (node: string) => hosts.find((h) => h.id === nodeHosts.get(node));
  const changes: AttributeChange[] = [];
  if (state.strategy !== 'balanced') changes.push({ kind: 'property', target: 'cluster', name: 'placement-strategy', before: state.strategy, after: 'balanced' });
  for (const n of s.nodes) {
    const h = host(n.name);
    if (h) changes.push({ kind: 'node', target: n.name, name: UTILIZATION, before: state.nodes[n.name] ?? null, after: String(Math.round(h.capacity * 100)) });
  }
  const movable = movableResources(s);
  for (const r of movable) {
    const h = host(r.node);
    if (!h) continue;
    const k = movable.filter((x) => x.node === r.node).length;
    const members = membersOf(s, r.id);
    const each = Math.max(1, Math.round((h.capacity * h.load) / (k + 1) / members.length));
    for (const m of members) changes.push({ kind: 'resource', target: m.id, name: UTILIZATION, before: state.resources[m.id] ?? null, after: String(each) });
  }
  return changes.filter((c) => c.before !== c.after);
}

const opt = (name: string, value: string) => `--${name}=${quote([value])}`;

/** The command that gives the attribute `value`, or deletes it (null). */
export function attributeCommand(c: Pick<AttributeChange, 'kind' | 'target' | 'name'>, value: string | null): string {
  if (c.kind === 'property') return ['crm_attribute', '--type=crm_config', opt('name', c.name), value === null ? '--delete' : opt('update', value)].join(' ');
  if (c.kind === 'node') return ['crm_attribute', '--type=nodes', opt('node', c.target), '--utilization', opt('name', c.name), value === null ? '--delete' : opt('update', value)].join(' ');
  return ['crm_resource', opt('resource', c.target), '--utilization', ...(value === null ? [opt('delete-parameter', c.name)] : [opt('set-parameter', c.name), opt('parameter-value', value)])].join(' ');
}

/** Which changes the configuration does not show yet (verify). */
export function notYet(changes: readonly AttributeChange[], state: PlacementState): AttributeChange[] {
  const now = (c: AttributeChange) => (c.kind === 'property' ? state.strategy : c.kind === 'node' ? state.nodes[c.target] : state.resources[c.target]) ?? null;
  return changes.filter((c) => now(c) !== c.after);
}
