// What a client needs to reach a fleet: known_hosts with each host's key,
// an ssh_config with strict checking (`ssh -F FILE web1`), a pssh hosts file
// and a baton inventory.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { knownHostsLine } from '../transport/known-hosts.js';
import type { FleetHost, Layout } from './sshd-fleet-config.js';

export interface ClientFiles {
  knownHostsFile: string;
  sshConfigFile: string;
  psshHostsFile: string;
}

/** hostKeyOf: the public key blob a host presents. */
export async function writeClientFiles(layout: Layout, hosts: readonly FleetHost[], hostKeyOf: (h: FleetHost) => Buffer): Promise<ClientFiles> {
  const knownHostsFile = join(layout.dir, 'known_hosts');
  const sshConfigFile = join(layout.dir, 'ssh_config');
  const psshHostsFile = join(layout.dir, 'pssh_hosts');
  await writeFile(knownHostsFile, hosts.map((h) => `${knownHostsLine(h.address, h.port, hostKeyOf(h), false)}\n`).join(''));
  await writeFile(psshHostsFile, hosts.map((h) => `${layout.user}@${h.address}:${h.port}\n`).join(''));
  const aliases = hosts.flatMap((h) => [`Host ${h.id}`, `  HostName ${h.address}`, `  Port ${h.port}`]);
  const defaults = [
    'Host *',
    `  User ${layout.user}`,
    `  IdentityFile ${layout.identityFile}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${knownHostsFile}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  UpdateHostKeys no',
    '  CheckHostIP no',
    '  BatchMode yes',
    '  ConnectTimeout 5',
    '  ControlMaster no',
    '  ControlPath none',
    '  LogLevel ERROR',
  ];
  const header = `# ssh client config for the baton lab fleet in ${layout.dir} (generated): ssh -F ${sshConfigFile} ${hosts[0]?.id ?? 'h001'}`;
  await writeFile(sshConfigFile, `${[header, ...aliases, ...defaults].join('\n')}\n`);
  await chmod(sshConfigFile, 0o600); // ssh refuses a config others can write
  return { knownHostsFile, sshConfigFile, psshHostsFile };
}

export function inventoryYaml(layout: Layout, hosts: readonly FleetHost[], knownHostsFile: string): string {
  const entries = hosts.map((h) => [h.id, { address: h.address, port: h.port, user: layout.user, identity: layout.identityFile }]);
  const header = `# baton lab fleet: ${hosts.length} real sshd hosts on loopback (generated).\n# Host keys: ${knownHostsFile}\n`;
  return header + stringify({ hosts: Object.fromEntries(entries) });
}
