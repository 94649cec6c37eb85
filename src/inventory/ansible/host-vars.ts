// A host's variables with Ansible's precedence (VariableManager.get_vars and
// its default VARIABLE_PRECEDENCE, lowest first): group vars written in the
// inventory (`all`'s, then the host's other groups'), group_vars/all, the
// other groups' group_vars files, the host's inventory vars, host_vars files. Groups apply shallowest first (a child
// beats its parent), then by ansible_group_priority, then by name; a later
// value replaces the whole earlier one (Ansible's default hash_behaviour).
import type { AnsibleGroup, AnsibleInventory, VarMap } from './model.js';

/** The vars files beside the inventory, looked up once per group or host. */
export interface VarsFiles {
  group(name: string): VarMap;
  host(name: string): VarMap;
}

export class HostVarsResolver {
  private readonly depth = new Map<string, number>();

  constructor(
    private readonly inventory: AnsibleInventory,
    private readonly files: VarsFiles,
  ) {
    this.measure('all', 0);
  }

  vars(host: string): VarMap {
    const groups = this.inventory.groupsOf(host).filter((g) => g.name !== 'all').sort((a, b) => this.compare(a, b));
    const all = this.inventory.groups.get('all');
    const layers: VarMap[] = [
      all?.vars ?? new Map(),
      ...groups.map((g) => g.vars),
      this.files.group('all'),
      ...groups.map((g) => this.files.group(g.name)),
      this.inventory.hosts.get(host)?.vars ?? new Map(),
      this.files.host(host),
    ];
    const merged: VarMap = new Map();
    for (const layer of layers) for (const [key, located] of layer) merged.set(key, located);
    merged.delete('ansible_group_priority');
    return merged;
  }

  /** Longest path from `all`, as Ansible's Group.depth. */
  private measure(name: string, depth: number): void {
    if ((this.depth.get(name) ?? -1) >= depth) return;
    this.depth.set(name, depth);
    for (const child of this.inventory.groups.get(name)?.children ?? []) this.measure(child, depth + 1);
  }

  private compare(a: AnsibleGroup, b: AnsibleGroup): number {
    return (this.depth.get(a.name) ?? 0) - (this.depth.get(b.name) ?? 0) || priority(a) - priority(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  }
}

/** ansible_group_priority, set in the inventory itself (group_vars files do not set it). */
function priority(group: AnsibleGroup): number {
  const value = Number(group.vars.get('ansible_group_priority')?.value ?? 1);
  return Number.isInteger(value) ? value : 1;
}
