// An Ansible inventory as Ansible's InventoryData holds it: groups with
// direct hosts, children and vars; hosts with vars; every value remembers
// where it was written so warnings and errors point at file:line.
import type { SourcePosition } from '../errors.js';

export interface Located {
  value: unknown;
  where: SourcePosition;
}

export type VarMap = Map<string, Located>;

export interface AnsibleGroup {
  name: string;
  /** Hosts named in this group itself, in the order first added. */
  hosts: string[];
  children: string[];
  parents: string[];
  vars: VarMap;
}

export interface AnsibleHost {
  name: string;
  vars: VarMap;
  /** Where the host was first named. */
  where: SourcePosition;
}

export class AnsibleInventory {
  readonly groups = new Map<string, AnsibleGroup>();
  readonly hosts = new Map<string, AnsibleHost>();
  /** Host -> the groups that name it, so a large fleet does not scan every group per host. */
  private readonly named = new Map<string, Set<string>>();

  constructor() {
    this.addGroup('all');
    this.addGroup('ungrouped');
  }

  addGroup(name: string): AnsibleGroup {
    let group = this.groups.get(name);
    if (group === undefined) {
      group = { name, hosts: [], children: [], parents: [], vars: new Map() };
      this.groups.set(name, group);
    }
    return group;
  }

  /** As Ansible's add_host: a port written with the name becomes ansible_port. */
  addHost(name: string, where: SourcePosition, group?: string, port?: number): AnsibleHost {
    let host = this.hosts.get(name);
    if (host === undefined) {
      host = { name, vars: new Map(), where };
      this.hosts.set(name, host);
    }
    if (port !== undefined) host.vars.set('ansible_port', { value: port, where });
    if (group !== undefined) {
      const named = this.named.get(name) ?? new Set<string>();
      if (!named.has(group)) this.addGroup(group).hosts.push(name);
      this.named.set(name, named.add(group));
    }
    return host;
  }

  /** False (and nothing added) when the child is the parent or one of its ancestors, as Ansible refuses. */
  addChild(parent: string, child: string): boolean {
    const p = this.addGroup(parent);
    const c = this.addGroup(child);
    if (parent === child || this.ancestors(parent).has(child)) return false;
    if (!p.children.includes(child)) p.children.push(child);
    if (!c.parents.includes(parent)) c.parents.push(parent);
    return true;
  }

  private ancestors(name: string, found = new Set<string>()): Set<string> {
    for (const parent of this.groups.get(name)?.parents ?? []) {
      if (!found.has(parent)) {
        found.add(parent);
        this.ancestors(parent, found);
      }
    }
    return found;
  }

  setGroupVar(group: string, key: string, value: unknown, where: SourcePosition): void {
    this.addGroup(group).vars.set(key, { value, where });
  }

  setHostVar(host: string, key: string, value: unknown, where: SourcePosition): void {
    this.hosts.get(host)?.vars.set(key, { value, where });
  }

  /**
   * Ansible's reconcile_inventory: every group without a parent is a child of
   * `all`, and a host in no group but `all` is in `ungrouped`.
   */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== 'all' && group.parents.length === 0) this.addChild('all', group.name);
    }
    const grouped = new Set<string>();
    for (const group of this.groups.values()) {
      if (group.name === 'all' || group.name === 'ungrouped') continue;
      for (const host of group.hosts) grouped.add(host);
    }
    const ungrouped = this.addGroup('ungrouped');
    ungrouped.hosts = [...this.hosts.keys()].filter((h) => !grouped.has(h));
    this.addGroup('all').hosts = [];
    for (const host of this.hosts.keys()) {
      const named = this.named.get(host) ?? new Set<string>();
      named.delete('all');
      if (grouped.has(host)) named.delete('ungrouped');
      else named.add('ungrouped');
      this.named.set(host, named);
    }
  }

  /** Every group the host is in, directly or as an ancestor of one (Ansible's host.get_groups()). */
  groupsOf(host: string): AnsibleGroup[] {
    const found = new Set<string>(['all']);
    for (const group of this.named.get(host) ?? []) {
      found.add(group);
      this.ancestors(group, found);
    }
    return [...this.groups.values()].filter((g) => found.has(g.name));
  }

  /** Host names of a group, through its children, in host order. */
  members(group: string): string[] {
    const names = new Set<string>();
    const seen = new Set<string>();
    const walk = (name: string): void => {
      if (seen.has(name)) return;
      seen.add(name);
      const g = this.groups.get(name);
      if (g === undefined) return;
      for (const h of g.hosts) names.add(h);
      for (const c of g.children) walk(c);
    };
    walk(group);
    if (group === 'all') return [...this.hosts.keys()];
    return [...this.hosts.keys()].filter((h) => names.has(h));
  }
}
