// One lane of a host's commands: a long-lived remote shell and the queue in
// front of it (one command at a time, in order), and what a timeout does.
// A command that overruns is killed with its tree on the host; the shell is
// dropped, and killed with everything it started, only when it cannot report
// that end. Nothing a lane started outlives it on the host.
import type { ClientChannel } from 'ssh2';
import { RemoteShell } from './remote-shell.js';
import { TransportError, type CommandResult } from './types.js';

/** The shell died after the command was written to it: it may have run (an action step's `unknown`). */
export class CommandLostError extends TransportError {
  constructor(state: TransportError['state'], message: string) {
    super(state, message);
    this.name = 'CommandLostError';
  }
}

export interface LaneRunOptions {
  timeoutMs: number;
  /** Builtin-only command run in the shell itself (see shell-framing.ts). */
  inline?: boolean;
  /** Aborting kills the command and its children on the host, as a timeout does. */
  signal?: AbortSignal;
}

/** How long a killed command gets to report its end before its shell is dropped. */
const KILL_GRACE_MS = 3000;
/** How long closing waits for the kill of a command still running. */
const CLOSE_KILL_MS = 2000;

export interface LaneHost {
  readonly hostId: string;
  /** How long a new shell may take to answer (a login can be slow; a command's own limit may be short). */
  readonly shellStartTimeoutMs: number;
  /** A channel running `exec /bin/sh` on the host. */
  openShellChannel(): Promise<ClientChannel>;
  /** Kills a remote process and its descendants; settles when the kill has run (or could not). */
  killTree(pid: number): Promise<void>;
}

export class ShellLane {
  private shell: RemoteShell | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private closedReason: TransportError | undefined;

  constructor(private readonly host: LaneHost) {}

  run(command: string, options: LaneRunOptions): Promise<CommandResult> {
    this.queued++;
    const next = this.chain.then(() => this.runNow(command, options)).finally(() => this.queued--);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Ends the lane's shell, first killing on the host whatever it still runs. */
  async close(reason: TransportError): Promise<void> {
    // Commands queued behind a killed one must not open a new shell meanwhile.
    this.closedReason = reason;
    const shell = this.shell;
    this.shell = undefined;
    if (shell?.busy && shell.pid !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.host.killTree(shell.pid), new Promise((r) => (timer = setTimeout(r, CLOSE_KILL_MS)))]);
      clearTimeout(timer);
    }
    shell?.destroy(reason);
  }

  /** Forgets the shell: the connection under it is gone, nothing can be killed through it. */
  reset(): void {
    this.shell = undefined;
  }

  /** True while nothing is queued or running: a pool may hand the lane to the next caller. */
  get idle(): boolean {
    return this.queued === 0;
  }

  /** The lane's shell is up (a pool keeps only such lanes). */
  get alive(): boolean {
    return this.closedReason === undefined && this.shell?.alive === true;
  }

  private async runNow(command: string, { timeoutMs, inline = false, signal }: LaneRunOptions): Promise<CommandResult> {
    if (this.closedReason) throw this.closedReason;
    if (signal?.aborted) throw new TransportError('command-failed', `${this.host.hostId}: aborted before it was sent`);
    if (!this.shell?.alive) this.shell = await this.openShell();
    const shell = this.shell;
    const started = Date.now();
    let pid: number | undefined;
    let timedOut = false;
    let grace: NodeJS.Timeout | undefined;
    const done = shell.run(command, inline, (p) => {
      pid = p;
      if (signal?.aborted) void this.host.killTree(p);
    });
    const stop = (why: TransportError) => {
      // An inline command has no process of its own: only its shell can go.
      if (pid === undefined) return this.drop(shell, why);
      void this.host.killTree(pid);
      // The kill normally ends the command at once and the shell reports it
      // (which clears this timer: the shell may already run the next command).
      grace = setTimeout(() => this.drop(shell, why), KILL_GRACE_MS);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop(new TransportError('timed-out', `${this.host.hostId}: command timed out`));
    }, timeoutMs);
    const onAbort = () => {
      const aborted = new TransportError('command-failed', `${this.host.hostId}: command aborted`);
      // The pid is on its way: the kill goes out when it arrives (see above).
      if (pid === undefined && !inline) grace = setTimeout(() => this.drop(shell, aborted), KILL_GRACE_MS);
      else stop(aborted);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const frame = await done;
      return {
        stdout: frame.stdout.toString('utf8'),
        stderr: frame.stderr.toString('utf8'),
        code: timedOut ? null : frame.code,
        signal: timedOut ? 'KILL' : undefined,
        timedOut,
        durationMs: Date.now() - started,
      };
    } catch (err) {
      if (timedOut) return { stdout: '', stderr: '', code: null, signal: 'KILL', timedOut, durationMs: Date.now() - started };
      if (signal?.aborted) return { stdout: '', stderr: '', code: null, signal: 'KILL', timedOut, durationMs: Date.now() - started };
      const state = err instanceof TransportError ? err.state : 'unreachable';
      throw new CommandLostError(state, `${(err as Error).message} (while a command ran)`);
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async openShell(): Promise<RemoteShell> {
    const shell = new RemoteShell(await this.host.openShellChannel(), this.host.hostId);
    try {
      await shell.identify(this.host.shellStartTimeoutMs);
    } catch (err) {
      shell.destroy(err instanceof TransportError ? err : new TransportError('command-failed', `${this.host.hostId}: ${(err as Error).message}`));
      throw err;
    }
    return shell;
  }

  /** A stuck shell: closing its channel signals nothing on the host (no tty), so its tree is killed too. */
  private drop(shell: RemoteShell, reason: TransportError): void {
    if (this.shell === shell) this.shell = undefined;
    shell.destroy(reason);
    if (shell.pid !== undefined) void this.host.killTree(shell.pid);
  }
}
