// The transport contract: how the monitor and ops reach a host. The UI never
// touches a transport; it only sees the states and results in the store.

/**
 * Connection outcomes are distinct on purpose: an operator reacts differently
 * to a refused key than to a dead host. `command-failed` is set by the
 * monitor when the link is up but the probe itself failed.
 */
export type ConnState =
  | 'connecting'
  | 'up'
  | 'unreachable'
  | 'auth-failed'
  | 'hostkey-unknown'
  | 'hostkey-mismatch'
  | 'timed-out'
  | 'command-failed';

export const CONN_STATES: readonly ConnState[] = [
  'connecting',
  'up',
  'unreachable',
  'auth-failed',
  'hostkey-unknown',
  'hostkey-mismatch',
  'timed-out',
  'command-failed',
];

export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code; null when the command was killed (see timedOut / signal). */
  code: number | null;
  signal?: string;
  timedOut: boolean;
  durationMs: number;
}

/** The lane `run` uses when none is named. */
export const MAIN_LANE = 'main';

export interface RunOptions {
  /** Overrides the transport's default command timeout. */
  timeoutMs?: number;
  /**
   * The command is one of baton's own builtin-only scripts (probes, lock
   * checks) and may run inside the long-lived shell without a fork (see
   * shell-framing.ts): it must neither exit, read stdin nor leave shell
   * options changed.
   */
  inline?: boolean;
  /**
   * `run` only: commands in one lane run one at a time, in order; each lane
   * has a shell of its own, so a command hung in one (df on a dead mount)
   * does not hold up another. Default MAIN_LANE.
   */
  lane?: string;
  /** `exec` only: aborting kills the command (and its children) on the host, like a timeout. */
  signal?: AbortSignal;
}

export interface UploadOptions {
  /** Mode of the new file (default 0644). */
  mode?: number;
  /** Keep the file being replaced under this path (a hard link, so the swap stays atomic). */
  backupPath?: string;
  timeoutMs?: number;
}

export interface TransferResult {
  bytes: number;
  durationMs: number;
}

/** Raised by transports; `state` says which outcome, `hint` what to do next. */
export class TransportError extends Error {
  constructor(
    readonly state: ConnState,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface StateChange {
  state: ConnState;
  /** Human-readable reason, with the host named. */
  reason?: string;
  hint?: string;
}

export interface Transport {
  readonly hostId: string;
  readonly state: ConnState;
  /** Host key fingerprint (SHA256:...) once verified; undefined for local. */
  readonly hostKeyFingerprint?: string;
  /** Opens the connection if it is not open; resolves when usable. */
  connect(): Promise<void>;
  /**
   * Runs a short command over a long-lived channel (no login per call).
   * Commands in one lane of a host run one at a time, in order.
   */
  run(command: string, options?: RunOptions): Promise<CommandResult>;
  /**
   * Runs a command beside everything else (its own shell, in parallel with
   * `run` and other `exec`s). Rejects only when the command was not sent; a
   * connection lost while it ran is a result with `code: null` and no signal.
   */
  exec(command: string, options?: RunOptions): Promise<CommandResult>;
  /**
   * Writes a local file to the host: a temp file in the target directory,
   * then an atomic rename over the target, so readers never see half a file.
   */
  upload(localPath: string, remotePath: string, options?: UploadOptions): Promise<TransferResult>;
  /** Reads a file of the host into localPath (temp file + rename locally). */
  download(remotePath: string, localPath: string, options?: { timeoutMs?: number }): Promise<TransferResult>;
  /** Subscribes to state changes; returns the unsubscribe function. */
  onState(listener: (change: StateChange) => void): () => void;
  close(): Promise<void>;
}
