// Global options, validated once: a bad value is a usage error (exit 1)
// that names the option and what it takes.
import { InvalidArgumentError, Option, type Command } from 'commander';

export interface GlobalOptions {
  inventory?: string;
  inventoryScript?: boolean;
  user?: string;
  identity?: string;
  knownHosts?: string;
  acceptNew: boolean;
  interval: number;
  concurrency: number;
  connectTimeout: number;
  commandTimeout: number;
  readOnly: boolean;
  once: boolean;
  json: boolean;
  theme?: string;
  view?: string;
}

export const DEFAULTS = {
  intervalSeconds: 2,
  concurrency: 64,
  connectTimeoutSeconds: 10,
  commandTimeoutSeconds: 30,
} as const;

/** A subcommand's session options from what commander parsed (its own and the program's), the defaults filled in. */
export function sessionDefaults<T extends Partial<GlobalOptions>>(o: T): T & GlobalOptions {
  return {
    ...o,
    interval: o.interval ?? DEFAULTS.intervalSeconds,
    commandTimeout: o.commandTimeout ?? DEFAULTS.commandTimeoutSeconds,
    concurrency: o.concurrency ?? DEFAULTS.concurrency,
    connectTimeout: o.connectTimeout ?? DEFAULTS.connectTimeoutSeconds,
    acceptNew: o.acceptNew ?? false,
    readOnly: o.readOnly ?? false,
    once: false,
    json: o.json ?? false,
  } as T & GlobalOptions;
}

export function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86400) throw new InvalidArgumentError(`expected seconds > 0 (e.g. 0.5, 2, 30), got "${value}"`);
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}"`);
  return n;
}

/** How every command that contacts hosts reaches them: inventory, SSH identity, host keys, handshakes. */
export function withConnectionOptions(cmd: Command): Command {
  return cmd
    .option('-i, --inventory <file>', 'inventory: baton YAML, Ansible INI/YAML file or directory, pssh hosts file or ssh_config (default: this machine)')
    .option('--inventory-script', 'run an executable -i (an Ansible dynamic inventory script: FILE --list)', false)
    .option('--user <name>', 'SSH user for every host')
    .option('--identity <file>', 'SSH private key for every host')
    .option('--known-hosts <file>', 'known_hosts file (default: ~/.ssh/known_hosts)')
    .option('--accept-new', 'record unknown host keys (like OpenSSH accept-new); changed keys are still refused', false)
    .addOption(new Option('--concurrency <n>', 'SSH handshakes at once').argParser(positiveInteger).default(DEFAULTS.concurrency))
    .addOption(new Option('--connect-timeout <seconds>', 'SSH connect timeout').argParser(positiveSeconds).default(DEFAULTS.connectTimeoutSeconds));
}
