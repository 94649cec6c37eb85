// A fleet of REAL OpenSSH daemons on loopback addresses (127.0.1.1, .2, ...),
// for tests, the benchmark and `baton lab`. Every host has its own address on
// one shared port, so a host looks like a real machine: `[addr]:port` in
// known_hosts, `user@addr:port` for pssh. Processes are ours (sshd -D) and
// die with us.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { fingerprintSha256, knownHostsLine } from '../transport/known-hosts.js';
import { Reaper, killTree, waitGone } from './process-tree.js';

const run = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
const STARTUP_TIMEOUT_MS = 15_000;
/** OpenSSH refuses more than 16 listen sockets per process (MAX_LISTEN_SOCKS). */
const MAX_PER_PROCESS = 16;

export interface FleetOptions {
  hosts: number;
  /** The port every host listens on; default: one free on all the addresses. */
  port?: number;
  /** Default 127.0.1.1; host i gets this address + i, always inside 127.0.0.0/8. */
  firstAddress?: string;
  /** Addresses per sshd process, 1..16 (default 16). kill/restart need 1. */
  perProcess?: number;
  /** Host index -> seconds every command (or login shell) waits before it runs. */
  delayedShellSeconds?: Record<number, number>;
  /** Where keys, configs and logs go; default a fresh temp dir, removed by stop(). */
  dir?: string;
  /**
   * Log in as this local user instead of the current one (needs root; see
   * lab-user.ts). Its authorized_keys is made readable to it.
   */
  loginUser?: string;
}

export interface FleetHost {
  id: string;
  address: string;
  port: number;
  index: number;
  /** Changes when restart(index, { newHostKey: true }) gives the host a new key. */
  hostKeyFingerprint: string;
}

export interface Fleet {
  dir: string;
  hosts: FleetHost[];
  user: string;
  identityFile: string;
  /** `[addr]:port` lines with the fleet's original host key. */
  knownHostsFile: string;
  hostKeyFingerprint: string;
  /** For real ssh/pssh/clush: `ssh -F sshConfigFile h001`. Strict host key checking. */
  sshConfigFile: string;
  psshHostsFile: string;
  inventoryYaml(): string;
  /** Stops the host's sshd and every session on it; needs perProcess 1. */
  kill(index: number): Promise<void>;
  /** Starts the host again; with newHostKey it presents a key known_hosts does not have. */
  restart(index: number, options?: { newHostKey?: boolean }): Promise<void>;
  /** Kills every process of the fleet; removes the dir unless it was given. */
  stop(): Promise<void>;
}

/** One sshd process and the hosts it listens for. */
interface Group {
  index: number;
  hosts: FleetHost[];
  hostKey: string;
  child?: ChildProcess;
  exited?: Promise<void>;
}

interface Layout {
  dir: string;
  user: string;
  port: number;
  hostKey: string;
  identityFile: string;
  authorizedKeys: string;
  delayScript: string;
  /** OpenSSH >= 9.8 penalises sources that fail auth or probe ports; the lab must not. */
  penalties: boolean;
  delays: Record<number, number>;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const perProcess = options.perProcess ?? MAX_PER_PROCESS;
  if (!Number.isInteger(options.hosts) || options.hosts < 1) throw new Error(`hosts must be a positive integer, got ${options.hosts}`);
  if (!Number.isInteger(perProcess) || perProcess < 1 || perProcess > MAX_PER_PROCESS) {
    throw new Error(`perProcess must be 1..${MAX_PER_PROCESS} (OpenSSH listens on at most 16 sockets per process), got ${perProcess}`);
  }
  const addresses = loopbackAddresses(options.firstAddress ?? '127.0.1.1', options.hosts);
  // sshd_config and ssh_config split values on spaces and expand %; keep paths plain.
  if (/[\s%"'\\#]/.test(options.dir ?? tmpdir())) throw new Error(`fleet dir ${options.dir ?? tmpdir()} must not contain spaces, quotes, % or #`);
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'baton-fleet-')));

  const groups: Group[] = [];
  const reaper = new Reaper();
  // Synchronous: 'exit' handlers cannot wait. The reaper covers deaths that skip them.
  const onExit = (): void => {
    for (const g of groups) if (isRunning(g.child)) killTree(g.child.pid);
  };
  process.on('exit', onExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.all(groups.map((g) => stopGroup(g)));
    process.off('exit', onExit);
    reaper.close();
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  };

  try {
    // Another login user must be able to reach its authorized_keys (sshd reads it as that user).
    await mkdir(dir, { recursive: true, mode: options.loginUser ? 0o711 : 0o700 });
    if (options.loginUser) await chmod(dir, 0o711);
    if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // privsep dir, root only
    const layout: Layout = {
      dir,
      user: options.loginUser ?? userInfo().username,
      port: 0,
      hostKey: join(dir, 'host_ed25519_key'),
      identityFile: join(dir, 'id_ed25519'),
      authorizedKeys: join(dir, 'authorized_keys'),
      delayScript: join(dir, 'delayed-shell.sh'),
      penalties: await hasPerSourcePenalties(),
      delays: options.delayedShellSeconds ?? {},
    };
    await newKey(layout.hostKey, 'baton-lab-host');
    await newKey(layout.identityFile, 'baton-lab-client');
    await writeFile(layout.authorizedKeys, await readFile(`${layout.identityFile}.pub`), { mode: options.loginUser ? 0o644 : 0o600 });
    await writeFile(layout.delayScript, DELAY_SCRIPT, { mode: 0o755 });
    const hostBlob = await publicKeyBlob(layout.hostKey);
    const fingerprint = fingerprintSha256(hostBlob);
    const idWidth = Math.max(3, String(addresses.length).length);
    const hosts: FleetHost[] = addresses.map((address, index) => ({
      id: `h${String(index + 1).padStart(idWidth, '0')}`,
      address,
      port: 0,
      index,
      hostKeyFingerprint: fingerprint,
    }));
    for (let i = 0; i < hosts.length; i += perProcess) {
      groups.push({ index: groups.length, hosts: hosts.slice(i, i + perProcess), hostKey: layout.hostKey });
    }

    // An auto-picked port can be taken between the check and sshd's bind: pick again.
    for (let attempt = 1; ; attempt++) {
      layout.port = options.port ?? (await freePort(addresses));
      for (const h of hosts) h.port = layout.port;
      try {
        await Promise.all(groups.map((g) => startGroup(g, layout, reaper)));
        break;
      } catch (err) {
        await Promise.all(groups.map((g) => stopGroup(g)));
        if (options.port !== undefined || attempt >= 3 || !/Bind to port|Cannot bind/.test(String(err))) throw err;
      }
    }

    const files = await writeClientFiles(layout, hosts, hostBlob);
    let rotations = 0;
    const ownGroup = (index: number): Group => {
      const group = groups.find((g) => g.hosts.some((h) => h.index === index));
      if (!group) throw new Error(`no fleet host with index ${index}`);
      if (group.hosts.length > 1) {
        throw new Error(`${group.hosts.map((h) => h.id).join(',')} share one sshd; start the fleet with perProcess: 1 to kill or restart one host`);
      }
      return group;
    };
    return {
      dir,
      hosts,
      user: layout.user,
      identityFile: layout.identityFile,
      hostKeyFingerprint: fingerprint,
      ...files,
      inventoryYaml: () => inventoryYaml(layout, hosts, files.knownHostsFile),
      kill: async (index) => stopGroup(ownGroup(index)),
      async restart(index, opts = {}) {
        const group = ownGroup(index);
        await stopGroup(group);
        if (opts.newHostKey) {
          group.hostKey = join(dir, `host_ed25519_key.${++rotations}`);
          await newKey(group.hostKey, 'baton-lab-host-rotated');
          const rotated = fingerprintSha256(await publicKeyBlob(group.hostKey));
          for (const h of group.hosts) h.hostKeyFingerprint = rotated;
        }
        await startGroup(group, layout, reaper);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function loopbackAddresses(first: string, count: number): string[] {
  const octets = first.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || octets[0] !== 127) {
    throw new Error(`firstAddress must be an IPv4 address in 127.0.0.0/8, got ${first}`);
  }
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  const lastAllowed = 127 * 2 ** 24 + 2 ** 24 - 2; // 127.255.255.254: .255.255.255 is the /8 broadcast
  if (base + count - 1 > lastAllowed) throw new Error(`${count} hosts from ${first} would leave 127.0.0.0/8`);
  return Array.from({ length: count }, (_, i) => {
    const n = base + i;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  });
}

/** A port free on every address, found by binding it; sshd can still lose a race for it. */
async function freePort(addresses: readonly string[]): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await bindOnce(addresses[0] ?? '127.0.1.1', 0);
    if (port === undefined) continue;
    let free = true;
    for (const address of addresses.slice(1)) {
      if ((await bindOnce(address, port)) === undefined) {
        free = false;
        break;
      }
    }
    if (free) return port;
  }
  throw new Error(`no TCP port is free on all of ${addresses[0]}..${addresses.at(-1)}`);
}

function bindOnce(address: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: address, port }, () => {
      const bound = server.address();
      server.close(() => resolve(typeof bound === 'object' && bound ? bound.port : undefined));
    });
  });
}

async function newKey(file: string, comment: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
}

async function publicKeyBlob(keyFile: string): Promise<Buffer> {
  const [, b64 = ''] = (await readFile(`${keyFile}.pub`, 'utf8')).split(' ');
  return Buffer.from(b64, 'base64');
}

async function hasPerSourcePenalties(): Promise<boolean> {
  // `sshd -V` exits non-zero on older versions but still prints the version.
  const out = await run(SSHD, ['-V']).then(
    (r) => r.stderr,
    (e: { stderr?: string }) => e.stderr ?? '',
  );
  const m = /OpenSSH_(\d+)\.(\d+)/.exec(out);
  return m !== null && Number(m[1]) * 100 + Number(m[2]) >= 908;
}

// ForceCommand wrapper for slow hosts: the delay, then what the client asked for.
const DELAY_SCRIPT = `#!/bin/sh
# baton lab: a slow host. sshd runs this instead of every command (ForceCommand).
sleep "$1"
if [ -n "\${SSH_ORIGINAL_COMMAND-}" ]; then exec "\${SHELL:-/bin/sh}" -c "$SSH_ORIGINAL_COMMAND"; fi
exec "\${SHELL:-/bin/sh}" -l
`;

function sshdConfig(group: Group, layout: Layout): string {
  const g = group.index;
  const lines = [
    `# baton lab fleet, sshd process ${g}: ${group.hosts.map((h) => h.id).join(' ')} (generated)`,
    ...group.hosts.map((h) => `ListenAddress ${h.address}:${h.port}`),
    `HostKey ${group.hostKey}`,
    `PidFile ${join(layout.dir, `sshd-${g}.pid`)}`,
    `AuthorizedKeysFile ${layout.authorizedKeys}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The keys live in a temp dir that sshd's ownership checks would reject.
    'StrictModes no',
    ...(process.getuid?.() === 0 ? ['PermitRootLogin prohibit-password'] : []),
    // A benchmark opens connections and sessions in bursts.
    'MaxStartups 10000',
    'MaxSessions 100',
    // ProxyJump through a lab host needs forwarding.
    'AllowTcpForwarding yes',
    'X11Forwarding no',
    'PrintMotd no',
    'UseDNS no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    ...(layout.penalties ? ['PerSourcePenalties no'] : []),
  ];
  for (const h of group.hosts) {
    const seconds = layout.delays[h.index];
    if (seconds !== undefined) lines.push(`Match LocalAddress ${h.address}`, `  ForceCommand ${layout.delayScript} ${seconds}`);
  }
  return `${lines.join('\n')}\n`;
}

async function startGroup(group: Group, layout: Layout, reaper: Reaper): Promise<void> {
  const config = join(layout.dir, `sshd-${group.index}.conf`);
  const log = join(layout.dir, `sshd-${group.index}.log`);
  await writeFile(config, sshdConfig(group, layout));
  await run(SSHD, ['-t', '-f', config]).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`sshd rejected ${config}:\n${err.stderr?.trim() || err.message}`);
  });
  await rm(log, { force: true });
  const child = spawn(SSHD, ['-D', '-f', config, '-E', log], { stdio: 'ignore' });
  group.child = child;
  const pid = child.pid;
  if (pid !== undefined) reaper.watch(pid);
  group.exited = new Promise((resolve) => {
    child.once('exit', () => {
      if (pid !== undefined) reaper.forget(pid); // its pid may be reused from now on
      resolve();
    });
    child.once('error', () => resolve()); // spawn failed: there is no process to wait for
  });

  const failure = async (why: string): Promise<Error> => {
    const text = await readFile(log, 'utf8').catch(() => '');
    return new Error(`sshd for ${group.hosts.map((h) => h.id).join(',')} ${why}; log ${log}:\n${text.trim() || '(empty)'}`);
  };
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  const waitFor = async (ready: () => Promise<boolean>, what: string): Promise<void> => {
    while (!(await ready())) {
      if (!isRunning(child)) throw await failure('exited during startup');
      if (Date.now() > deadline) throw await failure(`did not ${what} within ${STARTUP_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
  };
  // sshd writes its PidFile once every ListenAddress has been tried...
  const pidFile = join(layout.dir, `sshd-${group.index}.pid`);
  await waitFor(async () => (await readFile(pidFile, 'utf8').catch(() => '')).trim() === String(pid), `write ${pidFile}`);
  // ...and carries on when only some bound, while another process may own the rest.
  if (/Bind to port|Cannot bind/.test(await readFile(log, 'utf8').catch(() => ''))) throw await failure('could not bind every address');
  for (const host of group.hosts) await waitFor(() => accepts(host.address, host.port), `accept TCP on ${host.address}:${host.port}`);
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => () => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', done(true));
    socket.once('error', done(false));
    socket.once('timeout', done(false));
  });
}

/** A child not yet reaped: its pid cannot have been reused, so it is safe to signal. */
function isRunning(child: ChildProcess | undefined): child is ChildProcess & { pid: number } {
  return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

async function stopGroup(group: Group): Promise<void> {
  const { child, exited } = group;
  group.child = undefined;
  if (!isRunning(child)) return;
  const pids = killTree(child.pid);
  await exited;
  if (!(await waitGone(pids, 5000))) throw new Error(`sshd processes ${pids.join(' ')} survived SIGKILL for 5 s`);
}

async function writeClientFiles(layout: Layout, hosts: readonly FleetHost[], hostBlob: Buffer) {
  const knownHostsFile = join(layout.dir, 'known_hosts');
  const sshConfigFile = join(layout.dir, 'ssh_config');
  const psshHostsFile = join(layout.dir, 'pssh_hosts');
  await writeFile(knownHostsFile, hosts.map((h) => `${knownHostsLine(h.address, h.port, hostBlob, false)}\n`).join(''));
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
  const header = `# ssh client config for the baton lab fleet in ${layout.dir} (generated): ssh -F ${sshConfigFile} h001`;
  await writeFile(sshConfigFile, `${[header, ...aliases, ...defaults].join('\n')}\n`);
  await chmod(sshConfigFile, 0o600); // ssh refuses a config others can write
  return { knownHostsFile, sshConfigFile, psshHostsFile };
}

function inventoryYaml(layout: Layout, hosts: readonly FleetHost[], knownHostsFile: string): string {
  const entries = hosts.map((h) => [h.id, { address: h.address, port: h.port, user: layout.user, identity: layout.identityFile }]);
  const header = `# baton lab fleet: ${hosts.length} real sshd hosts on loopback (generated).\n# Host keys: ${knownHostsFile}\n`;
  return header + stringify({ hosts: Object.fromEntries(entries) });
}
