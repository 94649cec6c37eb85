// The machine baton runs on, behind the same contract as the SSH transport:
// run() one command at a time in order (per lane), exec() in parallel, and a timeout
// that kills the command together with everything it started.
import { spawn } from 'node:child_process';
import { localDownload, localUpload } from './local-transfer.js';
import { MAIN_LANE, TransportError, type CommandResult, type ConnState, type RunOptions, type StateChange, type TransferResult, type Transport, type UploadOptions } from './types.js';

export interface LocalTransportOptions {
  /** Default per-command timeout; RunOptions.timeoutMs overrides it. */
  commandTimeoutMs?: number;
}

/** Kills a process group; it may already be gone. */
function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left to kill.
  }
}

export class LocalTransport implements Transport {
  readonly hostId: string;
  private connState: ConnState = 'connecting';
  private readonly commandTimeoutMs: number;
  private readonly listeners = new Set<(change: StateChange) => void>();
  /** Process groups of commands in flight, killed on close(). */
  private readonly running = new Set<number>();
  /** The tail of each lane's queue (see RunOptions.lane). */
  private readonly lanes = new Map<string, Promise<unknown>>();

  constructor(hostId: string, options: LocalTransportOptions = {}) {
    this.hostId = hostId;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 30_000;
  }

  get state(): ConnState {
    return this.connState;
  }

  connect(): Promise<void> {
    if (this.connState !== 'up') this.setState({ state: 'up', reason: `${this.hostId}: local shell ready` });
    return Promise.resolve();
  }

  run(command: string, options: RunOptions = {}): Promise<CommandResult> {
    const lane = options.lane ?? MAIN_LANE;
    const result = (this.lanes.get(lane) ?? Promise.resolve()).then(() => this.spawnCommand(command, options));
    // A failed command must not stop the ones queued behind it.
    this.lanes.set(lane, result.catch(() => undefined));
    return result;
  }

  exec(command: string, options: RunOptions = {}): Promise<CommandResult> {
    return this.spawnCommand(command, options);
  }

  upload(localPath: string, remotePath: string, options?: UploadOptions): Promise<TransferResult> {
    return localUpload(localPath, remotePath, options);
  }

  download(remotePath: string, localPath: string): Promise<TransferResult> {
    return localDownload(remotePath, localPath);
  }

  onState(listener: (change: StateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): Promise<void> {
    for (const pgid of this.running) killGroup(pgid);
    // ConnState has no "closed": a closed transport cannot be reached until connect() again.
    if (this.connState === 'up') this.setState({ state: 'unreachable', reason: `${this.hostId}: local transport closed` });
    return Promise.resolve();
  }

  private setState(change: StateChange): void {
    this.connState = change.state;
    for (const listener of this.listeners) listener(change);
  }

  private spawnCommand(command: string, options: RunOptions): Promise<CommandResult> {
    if (this.connState !== 'up') {
      return Promise.reject(new TransportError(this.connState, `${this.hostId}: local transport is not connected`, 'call connect() first'));
    }
    const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
    return new Promise((resolve, reject) => {
      const started = performance.now();
      // detached: its own process group, so a timeout can kill its children too.
      const child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      const pgid = child.pid;
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      if (pgid !== undefined) this.running.add(pgid);

      // A process that left the group may still hold the pipes: once the shell
      // is dead, stop waiting for them.
      const abandonPipes = () => {
        child.stdout.destroy();
        child.stderr.destroy();
      };
      const kill = () => {
        if (pgid !== undefined) killGroup(pgid);
        if (child.exitCode !== null || child.signalCode !== null) abandonPipes();
        else child.once('exit', abandonPipes);
      };
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs);
      options.signal?.addEventListener('abort', kill, { once: true });
      const finish = () => {
        options.signal?.removeEventListener('abort', kill);
        clearTimeout(timer);
        if (pgid !== undefined) this.running.delete(pgid);
      };

      child.once('error', (err) => {
        finish();
        reject(new TransportError('command-failed', `${this.hostId}: cannot start /bin/sh: ${err.message}`, 'check that /bin/sh exists and the process limit is not reached'));
      });
      child.once('close', (code, signal) => {
        finish();
        const killedBy = signal ?? (timedOut ? 'SIGKILL' : undefined);
        resolve({
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          code: timedOut ? null : code,
          ...(killedBy === undefined ? {} : { signal: killedBy }),
          timedOut,
          durationMs: performance.now() - started,
        });
      });
    });
  }
}
