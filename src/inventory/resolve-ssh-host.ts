// How an inventory host and ~/.ssh/config combine: what the inventory sets
// explicitly wins (like `ssh -o` options on the command line), the config
// fills the rest, then OpenSSH's own defaults.
import type { SourcePosition } from './errors.js';
import { currentUser } from './local-env.js';
import type { SshConfig } from './ssh-config.js';
import type { JumpHost } from './types.js';

export interface ExplicitSsh {
  address?: string;
  port?: number;
  user?: string;
  identityFiles?: string[];
  /** A ProxyJump value, and where it was written. */
  jump?: { spec: string; where: SourcePosition };
}

export interface SshEndpoint {
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
  jump: JumpHost[];
}

/**
 * The config is looked up by the host's name, as if typed after `ssh`; when
 * only the address is a Host alias, the address is looked up instead and
 * replaced by that alias's HostName.
 */
export function resolveSshHost(name: string, explicit: ExplicitSsh, ssh: SshConfig): SshEndpoint {
  const byAddress = explicit.address !== undefined && !ssh.hasAlias(name) && ssh.hasAlias(explicit.address);
  const alias = byAddress && explicit.address !== undefined ? explicit.address : name;
  const config = ssh.resolveAlias(alias, { jump: explicit.jump === undefined });
  const address = byAddress ? (config.address ?? alias) : (explicit.address ?? config.address ?? name);
  return {
    address,
    port: explicit.port ?? config.port ?? 22,
    user: explicit.user ?? config.user ?? currentUser(),
    identityFiles: explicit.identityFiles ?? config.identityFiles,
    jump: explicit.jump === undefined ? config.jump : ssh.resolveJump(explicit.jump.spec, [name], explicit.jump.where),
  };
}
