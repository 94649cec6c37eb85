// OpenSSH client config (~/.ssh/config) as baton sees it: the concrete Host
// aliases it names, and what `ssh <alias>` would use for address, port, user,
// keys and ProxyJump. The `ssh-config` package computes first-obtained-wins
// like OpenSSH; this adds Include, token expansion and jump resolution.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { InventoryError, type SourcePosition } from './errors.js';
import { HostPortError, parseJumpSpec, type UserHostPort } from './host-port.js';
import { currentUser, expandHome } from './local-env.js';
import { quoteSnippet } from './quote-snippet.js';
import { readSshConfigTree } from './ssh-config-include.js';
import type { JumpHost } from './types.js';

export const DEFAULT_SSH_CONFIG = path.join(os.homedir(), '.ssh', 'config');

/** What the config says about one alias; undefined where it is silent. */
export interface SshAliasSettings {
  address?: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  /** Resolved ProxyJump chain, first hop first; empty without ProxyJump. */
  jump: JumpHost[];
}

export interface SshAlias {
  alias: string;
  /** The Host line that first names it. */
  source: Required<SourcePosition>;
}

interface RawSettings {
  hostName?: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  proxyJump?: string;
}

export class SshConfig {
  private readonly concrete: Map<string, SshAlias>;

  constructor(
    readonly file: string,
    private readonly config: SSHConfig = new SSHConfig(),
    private readonly positions = new Map<Line, Required<SourcePosition>>(),
  ) {
    this.concrete = new Map();
    for (const line of config) {
      if (line.type !== LineType.DIRECTIVE || !('config' in line) || line.param.toLowerCase() !== 'host') continue;
      const patterns = typeof line.value === 'string' ? [line.value] : line.value.map((v) => v.val);
      const source = positions.get(line) ?? { file, line: 1, column: 1 };
      for (const alias of patterns.filter(isConcreteAlias)) {
        if (!this.concrete.has(alias)) this.concrete.set(alias, { alias, source });
      }
    }
  }

  /** Concrete Host aliases (no wildcards, no negations), in file order. */
  aliases(): SshAlias[] {
    return [...this.concrete.values()];
  }

  hasAlias(name: string): boolean {
    return this.concrete.has(name);
  }

  /**
   * What `ssh name` would use, `Host *` and other patterns included. Skip the
   * jump chain when the caller replaces it anyway, so a broken chain it
   * overrides cannot fail the load.
   */
  resolveAlias(name: string, options: { jump?: boolean } = {}): SshAliasSettings {
    const raw = this.raw(name);
    const settings: SshAliasSettings = {
      identityFiles: raw.identityFiles,
      jump: options.jump !== false && raw.proxyJump !== undefined ? this.resolveJump(raw.proxyJump, [name]) : [],
    };
    if (raw.hostName !== undefined) settings.address = raw.hostName;
    if (raw.port !== undefined) settings.port = raw.port;
    if (raw.user !== undefined) settings.user = raw.user;
    return settings;
  }

  /**
   * Resolves a ProxyJump value through this config. Like OpenSSH, only the
   * first hop's own ProxyJump is followed: later hops are reached through the
   * earlier ones. `via` lists the hosts being reached, to detect loops;
   * `where` is where the value was written.
   */
  resolveJump(spec: string, via: string[], where: SourcePosition = this.locate('proxyjump', spec)): JumpHost[] {
    let hops: UserHostPort[];
    try {
      hops = parseJumpSpec(spec);
    } catch (error) {
      if (!(error instanceof HostPortError)) throw error;
      throw new InventoryError(where, `ProxyJump ${quoteSnippet(spec)}: ${error.message}`, 'write hops as [user@]host[:port], comma-separated');
    }
    return hops.flatMap((hop, index) => {
      const raw = this.raw(hop.host);
      const before: JumpHost[] = [];
      if (index === 0 && raw.proxyJump !== undefined) {
        if (via.includes(hop.host)) {
          throw new InventoryError(
            this.locate('proxyjump', raw.proxyJump),
            `ProxyJump loop: ${[...via, hop.host].join(' -> ')}`,
            `set "ProxyJump none" for ${hop.host} or break the chain`,
          );
        }
        before.push(...this.resolveJump(raw.proxyJump, [...via, hop.host]));
      }
      const jump: JumpHost = {
        address: raw.hostName ?? hop.host,
        port: hop.port ?? raw.port ?? 22,
        user: hop.user ?? raw.user ?? currentUser(),
        identityFiles: raw.identityFiles,
      };
      return [...before, jump];
    });
  }

  private raw(name: string): RawSettings {
    // Match exec runs shell commands; an inventory load must not.
    const computed = this.config.compute(name, { ignoreCase: true, matchExec: false });
    const user = first(computed.user);
    const tokens: Record<string, string> = { h: name, n: name, d: os.homedir(), u: currentUser() };
    const hostName = first(computed.hostname);
    if (hostName !== undefined) tokens.h = expandTokens(hostName, tokens);
    tokens.r = user ?? currentUser();
    const raw: RawSettings = {
      identityFiles: list(computed.identityfile)
        .filter((f) => f.toLowerCase() !== 'none')
        .map((f) => expandHome(expandTokens(f, tokens))),
    };
    if (hostName !== undefined) raw.hostName = tokens.h;
    if (user !== undefined) raw.user = user;
    const port = first(computed.port);
    if (port !== undefined) raw.port = this.parsePort(port);
    const proxyJump = first(computed.proxyjump);
    if (proxyJump !== undefined && proxyJump.toLowerCase() !== 'none') raw.proxyJump = proxyJump;
    return raw;
  }

  private parsePort(value: string): number {
    const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
    if (port >= 1 && port <= 65535) return port;
    throw new InventoryError(this.locate('port', value), `Port: expected an integer 1-65535, got ${quoteSnippet(value)}`);
  }

  /** The first directive `param value`, for errors about computed values. */
  private locate(param: string, value: string): SourcePosition {
    for (const [line, position] of this.positions) {
      if (line.type === LineType.DIRECTIVE && line.param.toLowerCase() === param && line.value === value) {
        return position;
      }
    }
    return { file: this.file };
  }
}

/** Reads `file` with its Includes; a missing optional file is an empty config. */
export async function loadSshConfig(file: string, options: { optional?: boolean } = {}): Promise<SshConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (options.optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return new SshConfig(file);
    throw new InventoryError({ file }, `cannot read ssh config: ${(error as Error).message}`, 'check the path given for the ssh config');
  }
  const { config, positions } = await readSshConfigTree(file, text);
  return new SshConfig(file, config, positions);
}

function isConcreteAlias(pattern: string): boolean {
  return !/[*?]/.test(pattern) && !pattern.startsWith('!');
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The `%` tokens of ssh_config(5) that make sense without a connection. */
function expandTokens(value: string, tokens: Record<string, string>): string {
  return value.replace(/%(.)/g, (whole, key: string) => (key === '%' ? '%' : (tokens[key] ?? whole)));
}
