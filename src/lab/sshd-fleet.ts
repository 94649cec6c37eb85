// A fleet of REAL OpenSSH daemons on loopback addresses (127.0.1.1, .2, ...),
// for tests, the benchmark and `baton lab`. Every host has its own address on
// one shared port, so a host looks like a real machine: `[addr]:port` in
// known_hosts, `user@addr:port` for pssh. Processes are ours (sshd -D) and
// die with us.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { fingerprintSha256 } from '../transport/known-hosts.js';
import { accepts, checkLoopback, freePort, loopbackAddresses } from './loopback.js';
import { Reaper, killTree, waitGone } from './process-tree.js';
import { LOGIN_WRAPPER_SCRIPT, sshdConfig, type FleetHost, type Group, type Layout } from './sshd-fleet-config.js';
import { inventoryYaml, writeClientFiles } from './sshd-fleet-client.js';

export type { FleetHost } from './sshd-fleet-config.js';

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
  /** Host indexes whose every login first prints a line on stdout and one on stderr, as a chatty ~/.bashrc does. */
  chattyLogins?: readonly number[];
  /** Where keys, configs and logs go; default a fresh temp dir, removed by stop(). */
  dir?: string;
  /**
   * Log in as this local user instead of the current one (needs root; see
   * lab-user.ts). Its authorized_keys is made readable to it.
   */
  loginUser?: string;
  /** Explicit addresses, each in 127.0.0.0/8, instead of firstAddress onwards; as many as `hosts`. */
  addresses?: readonly string[];
  /** Host names for ssh_config aliases and the inventory; default h001, h002, ... */
  ids?: readonly string[];
  /** Every host its own host key, like separate machines (needs perProcess 1). */
  hostKeyPerHost?: boolean;
  /** Host index -> environment variables its sessions get (sshd SetEnv). */
  sessionEnv?: Record<number, Record<string, string>>;
  /** Turns sshd's argv into the argv that starts it, e.g. inside the host's mount namespace (needs perProcess 1). */
  wrapSshd?: (host: FleetHost, argv: string[]) => string[];
}

export interface Fleet {
  dir: string;
  hosts: FleetHost[];
  user: string;
  identityFile: string;
  /** `[addr]:port` lines with each host's original host key. */
  knownHostsFile: string;
  /** The first host's original key (every host's, unless hostKeyPerHost). */
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

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const perProcess = options.perProcess ?? MAX_PER_PROCESS;
  if (!Number.isInteger(options.hosts) || options.hosts < 1) throw new Error(`hosts must be a positive integer, got ${options.hosts}`);
  if (!Number.isInteger(perProcess) || perProcess < 1 || perProcess > MAX_PER_PROCESS) {
    throw new Error(`perProcess must be 1..${MAX_PER_PROCESS} (OpenSSH listens on at most 16 sockets per process), got ${perProcess}`);
  }
  const addresses = options.addresses ? [...options.addresses] : loopbackAddresses(options.firstAddress ?? '127.0.1.1', options.hosts);
  checkLoopback(addresses);
  if (addresses.length !== options.hosts) throw new Error(`${addresses.length} addresses for ${options.hosts} hosts`);
  if (options.ids && options.ids.length !== options.hosts) throw new Error(`${options.ids.length} ids for ${options.hosts} hosts`);
  if ((options.hostKeyPerHost || options.wrapSshd) && perProcess !== 1) throw new Error('hostKeyPerHost and wrapSshd need perProcess: 1');
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
      identityFile: join(dir, 'id_ed25519'),
      authorizedKeys: join(dir, 'authorized_keys'),
      loginWrapper: join(dir, 'login-wrapper.sh'),
      penalties: await hasPerSourcePenalties(),
      delays: options.delayedShellSeconds ?? {},
      chatty: new Set(options.chattyLogins ?? []),
      sessionEnv: options.sessionEnv ?? {},
    };
    const sharedKey = join(dir, 'host_ed25519_key');
    await newKey(layout.identityFile, 'baton-lab-client');
    await writeFile(layout.authorizedKeys, await readFile(`${layout.identityFile}.pub`), { mode: options.loginUser ? 0o644 : 0o600 });
    await writeFile(layout.loginWrapper, LOGIN_WRAPPER_SCRIPT, { mode: 0o755 });
    const idWidth = Math.max(3, String(addresses.length).length);
    const hosts: FleetHost[] = addresses.map((address, index) => ({
      id: options.ids?.[index] ?? `h${String(index + 1).padStart(idWidth, '0')}`,
      address,
      port: 0,
      index,
      hostKeyFingerprint: '',
    }));
    for (let i = 0; i < hosts.length; i += perProcess) {
      const members = hosts.slice(i, i + perProcess);
      const own = options.hostKeyPerHost ? join(dir, `host_ed25519_key.${members[0]?.id}`) : sharedKey;
      groups.push({ index: groups.length, hosts: members, hostKey: own });
    }
    // The blob each host presents, as first started: what known_hosts records.
    const blobs = new Map<string, Buffer>();
    for (const key of new Set(groups.map((g) => g.hostKey))) {
      await newKey(key, 'baton-lab-host');
      blobs.set(key, await publicKeyBlob(key));
    }
    const originalBlob = new Map<number, Buffer>();
    for (const g of groups) {
      const blob = blobs.get(g.hostKey) ?? Buffer.alloc(0);
      for (const h of g.hosts) {
        h.hostKeyFingerprint = fingerprintSha256(blob);
        originalBlob.set(h.index, blob);
      }
    }

    // An auto-picked port can be taken between the check and sshd's bind: pick again.
    for (let attempt = 1; ; attempt++) {
      layout.port = options.port ?? (await freePort(addresses));
      for (const h of hosts) h.port = layout.port;
      try {
        await Promise.all(groups.map((g) => startGroup(g, layout, reaper, options.wrapSshd)));
        break;
      } catch (err) {
        await Promise.all(groups.map((g) => stopGroup(g)));
        if (options.port !== undefined || attempt >= 3 || !/Bind to port|Cannot bind/.test(String(err))) throw err;
      }
    }

    const files = await writeClientFiles(layout, hosts, (h) => originalBlob.get(h.index) ?? Buffer.alloc(0));
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
      hostKeyFingerprint: hosts[0]?.hostKeyFingerprint ?? '',
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
        await startGroup(group, layout, reaper, options.wrapSshd);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function newKey(file: string, comment: string): Promise<void> {
  // A reused dir (a lab started again) still holds the last run's keys; ssh-keygen would ask.
  await Promise.all([rm(file, { force: true }), rm(`${file}.pub`, { force: true })]);
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

async function startGroup(group: Group, layout: Layout, reaper: Reaper, wrap: FleetOptions['wrapSshd']): Promise<void> {
  const config = join(layout.dir, `sshd-${group.index}.conf`);
  const log = join(layout.dir, `sshd-${group.index}.log`);
  await writeFile(config, sshdConfig(group, layout));
  await run(SSHD, ['-t', '-f', config]).catch((err: { stderr?: string; message: string }) => {
    throw new Error(`sshd rejected ${config}:\n${err.stderr?.trim() || err.message}`);
  });
  await rm(log, { force: true });
  const plain = [SSHD, '-D', '-f', config, '-E', log];
  const [command = SSHD, ...args] = wrap && group.hosts[0] ? wrap(group.hosts[0], plain) : plain;
  // Wrappers exec into sshd, so the pid stays the one sshd writes to its PidFile.
  const child = spawn(command, args, { stdio: 'ignore' });
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
