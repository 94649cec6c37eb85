// An OpenSSH client config used as the inventory: every concrete Host alias
// is a host, set up exactly as `ssh <alias>` would connect.
import path from 'node:path';
import { InventoryError, InventoryErrors } from './errors.js';
import { resolveSshHost } from './resolve-ssh-host.js';
import type { SshConfig } from './ssh-config.js';
import type { HostSpec, Inventory } from './types.js';

export function loadSshConfigInventory(config: SshConfig): Inventory {
  const hosts: HostSpec[] = [];
  const errors: InventoryError[] = [];
  for (const { alias, source } of config.aliases()) {
    try {
      hosts.push({
        id: alias,
        transport: 'ssh',
        ...resolveSshHost(alias, {}, config),
        tags: {},
        vars: {},
        roles: {},
        groups: [],
        source: { file: source.file, line: source.line },
      });
    } catch (error) {
      if (!(error instanceof InventoryError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new InventoryErrors(errors);
  return { name: path.basename(config.file), format: 'ssh-config', file: config.file, hosts, groups: {} };
}
