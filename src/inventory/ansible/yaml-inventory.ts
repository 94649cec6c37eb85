// Ansible's YAML (and JSON) inventory, read as ansible.plugins.inventory.yaml
// reads it: top-level keys are groups, each with `hosts`, `children` (groups,
// recursively) and `vars`; a host key is a pattern with its vars below it.
import { InventoryError } from '../errors.js';
import { quoteSnippet } from '../quote-snippet.js';
import { YamlSource, type YamlPath } from '../yaml-source.js';
import { expandHostPattern, HostPatternError } from './host-pattern.js';
import type { AnsibleInventory } from './model.js';
import { markVaultValues } from './vault.js';

const SECTIONS = ['vars', 'children', 'hosts'];

/** Adds the file's groups, hosts and vars to `inventory`; problems go to `errors`, skipped keys to `warnings`. */
export function readYamlInventory(
  text: string,
  file: string,
  inventory: AnsibleInventory,
  errors: InventoryError[],
  warnings: InventoryError[],
): void {
  const source = new YamlSource(file, text);
  if (source.syntaxErrors.length > 0) {
    errors.push(...source.syntaxErrors);
    return;
  }
  markVaultValues(source);
  const data = source.toJS();
  if (!isMapping(data) || Object.keys(data).length === 0) {
    errors.push(new InventoryError({ file }, 'an Ansible YAML inventory is a mapping of groups, and this file has none'));
    return;
  }
  if ('plugin' in data) {
    errors.push(source.error(['plugin'], 'an inventory plugin configuration, which baton does not run', { key: true, hint: 'export it with ansible-inventory -i FILE --list -y > hosts.yaml' }));
    return;
  }
  new YamlGroupReader(source, inventory, errors, warnings).groups(data, []);
}

class YamlGroupReader {
  constructor(
    private readonly source: YamlSource,
    private readonly inventory: AnsibleInventory,
    private readonly errors: InventoryError[],
    private readonly warnings: InventoryError[],
  ) {}

  groups(data: Record<string, unknown>, path: YamlPath): void {
    for (const name of this.source.keysInOrder(path, data)) this.group(name, data[name], [...path, name]);
  }

  private group(name: string, data: unknown, path: YamlPath): void {
    if (data !== null && !isMapping(data)) {
      this.warnings.push(this.source.error(path, 'not a group (a group is a mapping of hosts, children and vars), skipped', { key: true }));
      return;
    }
    this.inventory.addGroup(name);
    if (data === null) return;
    for (const key of this.source.keysInOrder(path, data)) {
      const at = [...path, key];
      const value = typeof data[key] === 'string' && SECTIONS.includes(key) ? { [data[key]]: null } : data[key];
      if (value === null) continue;
      if (!isMapping(value)) {
        const error = this.source.error(at, `expected a mapping, got ${this.source.describe(at) ?? 'something else'}`);
        if (SECTIONS.includes(key)) this.errors.push(error);
        else this.warnings.push(this.source.error(at, 'not a mapping, skipped', { key: true }));
        continue;
      }
      if (key === 'vars') {
        for (const v of this.source.keysInOrder(at, value)) this.inventory.setGroupVar(name, v, value[v], this.source.at([...at, v], { key: true }));
      } else if (key === 'children') {
        for (const child of this.source.keysInOrder(at, value)) {
          this.group(child, value[child], [...at, child]);
          if (!this.inventory.addChild(name, child)) this.errors.push(this.source.error([...at, child], `group "${child}" as a child of "${name}" makes a cycle`, { key: true }));
        }
      } else if (key === 'hosts') {
        for (const pattern of this.source.keysInOrder(at, value)) this.host(name, pattern, value[pattern], [...at, pattern]);
      } else {
        this.warnings.push(this.source.error(at, `unexpected key ${quoteSnippet(key)} in group "${name}" (only vars, children and hosts), skipped`, { key: true }));
      }
    }
  }

  private host(group: string, pattern: string, vars: unknown, path: YamlPath): void {
    const where = this.source.at(path, { key: true });
    if (vars !== null && !isMapping(vars)) {
      this.errors.push(this.source.error(path, `expected the host's variables as a mapping, got ${this.source.describe(path) ?? 'something else'}`));
      return;
    }
    try {
      const { hosts, port } = expandHostPattern(pattern);
      for (const name of hosts) {
        this.inventory.addHost(name, where, group, port);
        for (const key of vars === null ? [] : this.source.keysInOrder(path, vars)) {
          this.inventory.setHostVar(name, key, vars?.[key], this.source.at([...path, key], { key: true }));
        }
      }
    } catch (error) {
      if (!(error instanceof HostPatternError)) throw error;
      this.errors.push(this.source.error(path, error.message, { key: true }));
    }
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
