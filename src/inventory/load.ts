// The one entry point for inventories: pick the loader by format, apply the
// command-line overrides, or fall back to watching only this machine.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isExecutable, loadAnsible, scriptNotAllowed } from './ansible/load-ansible.js';
import { detectFormat, PSSH_FALLBACK_NOTE } from './detect-format.js';
import { InventoryError, InventoryErrors } from './errors.js';
import { currentUser, expandHome } from './local-env.js';
import { loadBatonSource } from './load-baton.js';
import { loadPssh } from './load-pssh.js';
import { loadSshConfigInventory } from './load-ssh-config.js';
import { DEFAULT_SSH_CONFIG, loadSshConfig } from './ssh-config.js';
import type { Inventory } from './types.js';
import { YamlSource } from './yaml-source.js';

export interface LoadOptions {
  /** `--user`: the login on every ssh host (jump hops keep their own). */
  user?: string;
  /** `--identity`: the only key file for every ssh host. */
  identity?: string;
  /** Read by the transport layer, not here. */
  knownHosts?: string;
  /** OpenSSH client config to resolve aliases with; default ~/.ssh/config (optional). */
  sshConfigPath?: string;
  /** `--inventory-script`: run an executable (Ansible dynamic) inventory. */
  inventoryScript?: boolean;
}

/** Throws InventoryErrors listing every problem found, each with file:line:column. */
export async function loadInventory(file: string | undefined, options: LoadOptions = {}): Promise<Inventory> {
  if (file === undefined) return embeddedInventory();
  try {
    return applyOverrides(await loadFile(file, options), options);
  } catch (error) {
    throw error instanceof InventoryError ? new InventoryErrors([error]) : error;
  }
}

async function loadFile(file: string, options: LoadOptions): Promise<Inventory> {
  const inventory = await loadByFormat(file, options);
  if (inventory.hosts.length === 0) {
    throw new InventoryError({ file }, 'no hosts defined', 'add at least one host, or omit --inventory to watch only this machine');
  }
  return inventory;
}

async function loadByFormat(file: string, options: LoadOptions): Promise<Inventory> {
  const ssh = () => loadSshConfig(options.sshConfigPath ?? DEFAULT_SSH_CONFIG, { optional: options.sshConfigPath === undefined });
  if (await isDirectory(file)) return loadAnsible(file, { ssh: await ssh(), runScripts: options.inventoryScript ?? false });
  const text = await readInventory(file);
  let source: YamlSource | undefined;
  const yamlSource = () => (source ??= new YamlSource(file, text));
  const yamlValue = () => (yamlSource().syntaxErrors.length > 0 ? undefined : yamlSource().toJS());
  const format = detectFormat(file, text, { executable: await isExecutable(file), yamlValue });
  if (format === 'ansible-script' && !options.inventoryScript) throw scriptNotAllowed(file);
  if (format === 'ansible' || format === 'ansible-script') return loadAnsible(file, { ssh: await ssh(), runScripts: true });
  if (format === 'ssh-config') return loadSshConfigInventory(await loadSshConfig(file));
  if (format === 'baton') return loadBatonSource(yamlSource(), await ssh());
  try {
    return loadPssh(text, file, await ssh());
  } catch (error) {
    if (!(error instanceof InventoryErrors)) throw error;
    throw new InventoryErrors([new InventoryError({ file }, PSSH_FALLBACK_NOTE), ...error.errors]);
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

/** With no inventory, baton watches the machine it runs on. */
export function embeddedInventory(): Inventory {
  return {
    name: 'local',
    format: 'embedded',
    hosts: [
      {
        id: 'local',
        transport: 'local',
        address: '127.0.0.1',
        port: 22,
        user: currentUser(),
        identityFiles: [],
        jump: [],
        tags: {},
        vars: {},
        roles: {},
        groups: [],
        source: { file: '(embedded)' },
      },
    ],
    groups: {},
  };
}

async function readInventory(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const [detail, hint] =
      code === 'ENOENT'
        ? ['inventory file not found', 'check the path, or omit --inventory to watch only this machine']
        : [`cannot read inventory: ${(error as Error).message}`, undefined];
    throw new InventoryError({ file }, detail, hint);
  }
}

function applyOverrides(inventory: Inventory, options: LoadOptions): Inventory {
  const { user, identity } = options;
  if (user === undefined && identity === undefined) return inventory;
  const identityFiles = identity === undefined ? undefined : [path.resolve(expandHome(identity))];
  return {
    ...inventory,
    hosts: inventory.hosts.map((host) =>
      host.transport === 'local'
        ? host
        : { ...host, user: user ?? host.user, identityFiles: identityFiles ?? host.identityFiles },
    ),
  };
}
