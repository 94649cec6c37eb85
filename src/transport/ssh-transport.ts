// One persistent ssh2 connection per host. Probes go through long-lived
// remote shells on it (one per lane, see shell-lane.ts); `exec` takes an idle
// shell of its own from a pool (shell-pool.ts), so commands run side by side
// without a new session each. A timed-out command is killed on the remote
// side, not just abandoned, and closing kills what is still running there.
import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { HostSpec, JumpHost } from '../inventory/types.js';
import type { ParsedKey } from './identity.js';
import { classifySshError } from './ssh-errors.js';
import { killTreeCommand } from './shell-framing.js';
import { ShellLane, type LaneHost } from './shell-lane.js';
import { ShellPool } from './shell-pool.js';
import { SftpChannel, sftpDownload, sftpUpload } from './sftp-transfer.js';
import { MAIN_LANE, TransportError, type CommandResult, type ConnState, type RunOptions, type StateChange, type TransferResult, type Transport, type UploadOptions } from './types.js';

export interface HostKeyCheck {
  ok: boolean;
  fingerprint: string;
  state?: 'hostkey-unknown' | 'hostkey-mismatch';
  message?: string;
  hint?: string;
}

/** Decides whether a presented host key is trusted (known_hosts, accept-new). */
export interface HostKeyVerifier {
  check(host: string, port: number, key: Buffer): HostKeyCheck;
  /** Host key algorithms to offer first, like OpenSSH does for known hosts. */
  algorithmsFor(host: string, port: number): string[] | undefined;
}

export interface SshTransportOptions {
  spec: HostSpec;
  verifier: HostKeyVerifier;
  /** Decrypted identities by file; the spec's identityFiles pick from them. */
  identities: ReadonlyMap<string, ParsedKey>;
  /** Files to try when the spec names none (OpenSSH's defaults that exist). */
  defaultIdentityFiles: string[];
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  keepaliveIntervalMs?: number;
  /** Caps concurrent handshakes across the fleet (handshakes cost CPU). */
  limitSetup?: <T>(task: () => Promise<T>) => Promise<T>;
}

interface Endpoint {
  address: string;
  port: number;
  user: string;
  identityFiles: string[];
}

/**
 * AES-GCM first: Node's crypto runs it natively, while ssh2's chacha20 runs in
 * JavaScript unless its optional native addon was built. The server still
 * picks from the whole list.
 */
const CIPHER_PREFERENCE: ssh2.CipherAlgorithm[] = [
  'aes128-gcm@openssh.com',
  'aes256-gcm@openssh.com',
  'aes128-ctr',
  'aes256-ctr',
  'chacha20-poly1305@openssh.com',
];

export class SshTransport implements Transport {
  readonly hostId: string;
  private currentState: ConnState = 'connecting';
  private fingerprint: string | undefined;
  private client: ssh2.Client | undefined;
  private jumps: ssh2.Client[] = [];
  /** Handshakes under way, ended at once by close(). */
  private readonly handshaking = new Set<ssh2.Client>();
  private readonly lanes = new Map<string, ShellLane>();
  private readonly laneHost: LaneHost;
  private readonly pool: ShellPool;
  private readonly sftp: SftpChannel;
  private connecting: Promise<void> | undefined;
  private readonly listeners = new Set<(c: StateChange) => void>();
  private closed = false;

  constructor(private readonly options: SshTransportOptions) {
    this.hostId = options.spec.id;
    this.laneHost = {
      hostId: this.hostId,
      shellStartTimeoutMs: options.commandTimeoutMs,
      openShellChannel: () => this.openShellChannel(),
      killTree: (pid) => this.killRemote(pid),
    };
    this.pool = new ShellPool(this.laneHost);
    this.sftp = new SftpChannel(() => this.requireClient(), this.hostId);
  }

  get state(): ConnState {
    return this.currentState;
  }

  get hostKeyFingerprint(): string | undefined {
    return this.fingerprint;
  }

  onState(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (this.closed) return Promise.reject(new TransportError('unreachable', `${this.hostId}: transport closed`));
    const limit = this.options.limitSetup ?? ((task) => task());
    this.connecting ??= limit(() => this.open()).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const name = options.lane ?? MAIN_LANE;
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = new ShellLane(this.laneHost);
      this.lanes.set(name, lane);
    }
    return lane.run(command, { timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs, inline: options.inline });
  }

  async exec(command: string, options: RunOptions = {}): Promise<CommandResult> {
    this.requireClient();
    return this.pool.run(command, { timeoutMs: options.timeoutMs ?? this.options.commandTimeoutMs, inline: options.inline, signal: options.signal });
  }

  async upload(localPath: string, remotePath: string, options?: UploadOptions): Promise<TransferResult> {
    this.requireClient();
    return sftpUpload(this.sftp, localPath, remotePath, options);
  }

  async download(remotePath: string, localPath: string, options: { timeoutMs?: number } = {}): Promise<TransferResult> {
    this.requireClient();
    return sftpDownload(this.sftp, remotePath, localPath, options.timeoutMs);
  }

  async close(): Promise<void> {
    this.closed = true;
    // Before the connection goes: the kills travel over it.
    const reason = new TransportError('unreachable', `${this.hostId}: transport closed`);
    await Promise.all([...[...this.lanes.values()].map((lane) => lane.close(reason)), this.pool.close(reason)]);
    this.teardown();
  }

  private setState(state: ConnState, reason?: string, hint?: string): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of this.listeners) l({ state, reason, hint });
  }

  private requireClient(): ssh2.Client {
    if (!this.client) throw new TransportError(this.currentState, `${this.hostId}: not connected (${this.currentState})`);
    return this.client;
  }

  private openShellChannel(): Promise<ssh2.ClientChannel> {
    const client = this.requireClient();
    return new Promise((resolve, reject) => {
      client.exec('exec /bin/sh', (err, channel) => {
        if (err) reject(new TransportError('command-failed', `${this.hostId}: cannot start a remote shell: ${err.message}`));
        else resolve(channel);
      });
    });
  }

  /** Best effort (a lane drops a shell that cannot report the kill); settles when the kill has run. */
  private killRemote(pid: number): Promise<void> {
    const client = this.client;
    if (!client) return Promise.resolve();
    return new Promise((resolve) => {
      client.exec(killTreeCommand(pid), (err, channel) => {
        if (err) return resolve();
        channel.stderr.resume();
        channel.on('close', () => resolve()).resume();
      });
    });
  }

  private async open(): Promise<void> {
    // No 'connecting' state on retries: a down host stays down until it is
    // up again, so the event timeline shows changes, not every attempt.
    const spec = this.options.spec;
    try {
      let sock: Duplex | undefined;
      for (const hop of spec.jump) {
        const hopClient = await this.handshake(hop, sock);
        this.jumps.push(hopClient);
        sock = await forward(hopClient, hop, this.nextHop(hop));
      }
      const client = await this.handshake(this.endpointOf(spec), sock, (fp) => (this.fingerprint = fp));
      if (this.closed) {
        client.end();
        return;
      }
      this.client = client;
      client.on('close', () => this.lost(client));
      this.setState('up');
    } catch (err) {
      this.teardown();
      const e = err instanceof TransportError ? err : new TransportError('unreachable', `${spec.id}: ${(err as Error).message}`);
      this.setState(e.state, e.message, e.hint);
      throw e;
    }
  }

  private lost(client: ssh2.Client): void {
    if (this.client !== client) return;
    this.teardown();
    if (!this.closed) this.setState('unreachable', `${this.hostId}: connection lost`, 'baton reconnects with backoff');
  }

  private teardown(): void {
    for (const lane of this.lanes.values()) lane.reset();
    this.pool.reset();
    this.sftp.end();
    const client = this.client;
    this.client = undefined;
    client?.end();
    for (const j of this.jumps.splice(0)) j.end();
    if (this.closed) for (const h of this.handshaking) h.destroy();
  }

  private endpointOf(spec: HostSpec | JumpHost): Endpoint {
    return { address: spec.address, port: spec.port, user: spec.user, identityFiles: spec.identityFiles };
  }

  private nextHop(hop: JumpHost): Endpoint {
    const jumps = this.options.spec.jump;
    const after = jumps[jumps.indexOf(hop) + 1];
    return after ? this.endpointOf(after) : this.endpointOf(this.options.spec);
  }

  private authMethods(endpoint: Endpoint): ssh2.AuthenticationType[] | ssh2.AnyAuthMethod[] {
    const methods: ssh2.AnyAuthMethod[] = [];
    const agent = process.env.SSH_AUTH_SOCK;
    if (agent) methods.push({ type: 'agent', username: endpoint.user, agent });
    // A jump host without keys of its own gets the target's (the operator's key
    // usually opens the bastion too), then OpenSSH's defaults.
    const target = this.options.spec.identityFiles;
    const files = endpoint.identityFiles.length > 0 ? endpoint.identityFiles : target.length > 0 ? target : this.options.defaultIdentityFiles;
    for (const file of files) {
      const key = this.options.identities.get(file);
      if (key) methods.push({ type: 'publickey', username: endpoint.user, key });
    }
    return methods;
  }

  private handshake(endpoint: Endpoint, sock: Duplex | undefined, onFingerprint?: (fp: string) => void): Promise<ssh2.Client> {
    const { verifier, connectTimeoutMs } = this.options;
    const target = `${endpoint.user}@${endpoint.address}:${endpoint.port}`;
    return new Promise((resolve, reject) => {
      const client = new ssh2.Client();
      let hostKeyProblem: TransportError | undefined;
      let settled = false;
      const settle = () => {
        settled = true;
        this.handshaking.delete(client);
      };
      this.handshaking.add(client);
      client.once('ready', () => {
        settle();
        resolve(client);
      });
      client.on('error', (err) => {
        if (settled) return;
        settle();
        client.end();
        reject(hostKeyProblem ?? classifySshError(err, target, connectTimeoutMs));
      });
      client.on('close', () => {
        if (settled) return;
        settle();
        reject(new TransportError('unreachable', `${target}: connection closed during handshake`));
      });
      client.connect({
        host: endpoint.address,
        port: endpoint.port,
        username: endpoint.user,
        sock,
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: this.options.keepaliveIntervalMs ?? 5000,
        keepaliveCountMax: 3,
        authHandler: this.authMethods(endpoint),
        algorithms: {
          cipher: CIPHER_PREFERENCE,
          serverHostKey: verifier.algorithmsFor(endpoint.address, endpoint.port) as ssh2.ServerHostKeyAlgorithm[] | undefined,
        },
        hostVerifier: (key: Buffer) => {
          const check = verifier.check(endpoint.address, endpoint.port, key);
          if (check.ok) onFingerprint?.(check.fingerprint);
          else hostKeyProblem = new TransportError(check.state ?? 'hostkey-unknown', check.message ?? `${target}: host key refused`, check.hint);
          return check.ok;
        },
      });
    });
  }
}

function forward(hop: ssh2.Client, hopEndpoint: JumpHost, to: Endpoint): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    hop.forwardOut('127.0.0.1', 0, to.address, to.port, (err, stream) => {
      if (err) {
        reject(new TransportError('unreachable', `jump host ${hopEndpoint.address}:${hopEndpoint.port} cannot reach ${to.address}:${to.port}: ${err.message}`, 'check AllowTcpForwarding on the jump host and the target address'));
      } else resolve(stream);
    });
  });
}
