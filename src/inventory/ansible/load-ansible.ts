// An Ansible inventory (an INI or YAML file, a dynamic inventory script, or
// a directory of them) with its group_vars/ and host_vars/, resolved into
// baton's Inventory the way `ansible-inventory --list` resolves it.
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InventoryError, InventoryErrors } from '../errors.js';
import type { SshConfig } from '../ssh-config.js';
import type { HostSpec, Inventory } from '../types.js';
import { isInventoryScript, looksLikeAnsibleIni, looksLikeAnsibleYaml, parseYamlQuietly } from './ansible-format.js';
import { HostVarsResolver } from './host-vars.js';
import { ansibleHostSpec, type HostContext } from './host-spec.js';
import { readIniInventory } from './ini-inventory.js';
import { AnsibleInventory, type VarMap } from './model.js';
import { readScriptInventory } from './script-inventory.js';
import { hasVarsDir, readVarsFor } from './vars-files.js';
import { encryptedFileWarning, isVaultFile } from './vault.js';
import { readYamlInventory } from './yaml-inventory.js';

export interface AnsibleLoadOptions {
  ssh: SshConfig;
  /** --inventory-script: run executable inventories. */
  runScripts: boolean;
}

const YAML_EXTENSIONS = ['.yaml', '.yml', '.json'];
// Ansible's defaults for a directory source: hidden files, vars directories
// and these extensions (INVENTORY_IGNORE_EXTS, .ini included) are skipped.
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/;
const IGNORED_EXTENSIONS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry'];

class AnsibleLoad {
  readonly inventory = new AnsibleInventory();
  readonly errors: InventoryError[] = [];
  readonly warnings: InventoryError[] = [];

  constructor(private readonly options: AnsibleLoadOptions) {}

  /** `inDirectory`: a file found in a directory source, which may be something else entirely. */
  async source(file: string, inDirectory = false): Promise<void> {
    if ((await stat(file)).isDirectory()) {
      for (const entry of (await readdir(file)).sort()) {
        if (IGNORED_NAMES.test(entry) || IGNORED_EXTENSIONS.some((ext) => entry.endsWith(ext))) continue;
        await this.source(path.join(file, entry), true);
      }
      return;
    }
    const text = await readFile(file, 'utf8');
    const script = isInventoryScript(text, await isExecutable(file));
    // As Ansible, which warns and goes on when no plugin can read a file of a directory.
    if (inDirectory && !script && !isVaultFile(text) && !looksLikeAnsibleIni(text) && !looksLikeAnsibleYaml(parseYamlQuietly(text))) {
      this.warnings.push(new InventoryError({ file }, 'not an Ansible inventory (no [group] section, no "host key=value" line, no YAML mapping of groups), skipped'));
      return;
    }
    if (script) {
      if (this.options.runScripts) await readScriptInventory(file, this.inventory, this.errors);
      else this.errors.push(scriptNotAllowed(file));
    } else if (isVaultFile(text)) {
      this.warnings.push(encryptedFileWarning(file));
    } else if (isYamlSource(file, text)) {
      readYamlInventory(text, file, this.inventory, this.errors, this.warnings);
    } else {
      readIniInventory(text, file, this.inventory, this.errors);
    }
  }

  async hosts(baseDir: string): Promise<HostSpec[]> {
    const problems = { errors: this.errors, warnings: this.warnings };
    const groupVars = new Map<string, VarMap>();
    const hostVars = new Map<string, VarMap>();
    if (await hasVarsDir(baseDir, 'group_vars')) {
      for (const name of this.inventory.groups.keys()) groupVars.set(name, await readVarsFor(baseDir, 'group_vars', name, problems));
    }
    if (await hasVarsDir(baseDir, 'host_vars')) {
      for (const name of this.inventory.hosts.keys()) hostVars.set(name, await readVarsFor(baseDir, 'host_vars', name, problems));
    }
    const resolver = new HostVarsResolver(this.inventory, {
      group: (name) => groupVars.get(name) ?? new Map(),
      host: (name) => hostVars.get(name) ?? new Map(),
    });
    const context: HostContext = { ssh: this.options.ssh, baseDir, errors: this.errors, warnings: this.warnings };
    const specs: HostSpec[] = [];
    for (const host of this.inventory.hosts.values()) {
      const groups = this.inventory.groupsOf(host.name).map((g) => g.name).filter((g) => g !== 'all');
      const spec = ansibleHostSpec(host.name, resolver.vars(host.name), groups, { file: host.where.file, line: host.where.line }, context);
      if (spec !== undefined) specs.push(spec);
    }
    return specs;
  }
}

export async function loadAnsible(file: string, options: AnsibleLoadOptions): Promise<Inventory> {
  const load = new AnsibleLoad(options);
  await load.source(file);
  if (load.errors.length > 0) throw new InventoryErrors(load.errors);
  load.inventory.reconcile();
  const isDirectory = (await stat(file)).isDirectory();
  const hosts = await load.hosts(isDirectory ? file : path.dirname(file));
  if (load.errors.length > 0) throw new InventoryErrors(load.errors);
  const kept = new Set(hosts.map((h) => h.id));
  const groups = Object.fromEntries([...load.inventory.groups.keys()].map((g) => [g, load.inventory.members(g).filter((h) => kept.has(h))]));
  const warnings = [...new Set(new InventoryErrors(load.warnings).errors.map((w) => w.describe()))];
  return {
    name: path.basename(file, isDirectory ? '' : path.extname(file)),
    format: 'ansible',
    file,
    hosts,
    groups,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** As Ansible's yaml plugin: a YAML extension, or no extension and a mapping of groups inside. */
function isYamlSource(file: string, text: string): boolean {
  const ext = path.extname(file).toLowerCase();
  if (YAML_EXTENSIONS.includes(ext)) return true;
  return ext === '' && looksLikeAnsibleYaml(parseYamlQuietly(text));
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function scriptNotAllowed(file: string): InventoryError {
  return new InventoryError(
    { file },
    'an executable inventory (an Ansible dynamic inventory script): not run',
    `baton runs it (${path.basename(file)} --list) only with --inventory-script`,
  );
}
