// `exec` without a new channel: commands that must run beside each other
// (action steps, locks, log lines) each take an idle long-lived shell of the
// host, or start one when none is idle. A new SSH channel makes sshd start a
// session (fork, PAM, login shell) for every command; an idle shell costs
// only the command's own subshell. The shells stay open for the next action,
// up to MAX_IDLE per host, each until it has been idle for IDLE_CLOSE_MS.
import { CommandLostError, ShellLane, type LaneHost } from './shell-lane.js';
import { TransportError, type CommandResult } from './types.js';

/** Idle shells kept per host; one more per command running at the same time, closed when it ends. */
export const MAX_IDLE = 4;
/** An idle shell unused this long is closed: the hosts keep no shells for a console that stopped acting. */
export const IDLE_CLOSE_MS = 5 * 60_000;

interface Idle {
  lane: ShellLane;
  timer: NodeJS.Timeout;
}

export interface PoolRunOptions {
  timeoutMs: number;
  inline?: boolean;
  signal?: AbortSignal;
}

export class ShellPool {
  private readonly idle: Idle[] = [];
  private readonly busy = new Set<ShellLane>();

  constructor(
    private readonly host: LaneHost,
    private readonly idleCloseMs = IDLE_CLOSE_MS,
  ) {}

  /**
   * Like an exec channel: rejects only when the command was not sent; a shell
   * lost while the command ran is a result with no exit code (it may have run).
   */
  async run(command: string, options: PoolRunOptions): Promise<CommandResult> {
    const idle = this.idle.pop();
    clearTimeout(idle?.timer);
    const lane = idle?.lane ?? new ShellLane(this.host);
    this.busy.add(lane);
    const started = Date.now();
    try {
      return await lane.run(command, options);
    } catch (err) {
      if (!(err instanceof CommandLostError)) throw err;
      return { stdout: '', stderr: err.message, code: null, timedOut: false, durationMs: Date.now() - started };
    } finally {
      this.busy.delete(lane);
      if (lane.alive && this.idle.length < MAX_IDLE) this.keep(lane);
      else void lane.close(spareClosed(this.host.hostId));
    }
  }

  private keep(lane: ShellLane): void {
    const entry: Idle = {
      lane,
      timer: setTimeout(() => {
        const at = this.idle.indexOf(entry);
        if (at < 0) return;
        this.idle.splice(at, 1);
        void lane.close(spareClosed(this.host.hostId));
      }, this.idleCloseMs),
    };
    entry.timer.unref();
    this.idle.push(entry);
  }

  /** Ends every shell, first killing on the host what they still run. */
  async close(reason: TransportError): Promise<void> {
    const lanes = [...this.takeIdle(), ...this.busy];
    this.busy.clear();
    await Promise.all(lanes.map((lane) => lane.close(reason)));
  }

  /** The connection is gone: forget the shells (nothing can be killed through it). */
  reset(): void {
    for (const lane of [...this.takeIdle(), ...this.busy]) lane.reset();
    this.busy.clear();
  }

  private takeIdle(): ShellLane[] {
    return this.idle.splice(0).map(({ lane, timer }) => {
      clearTimeout(timer);
      return lane;
    });
  }
}

function spareClosed(hostId: string): TransportError {
  return new TransportError('unreachable', `${hostId}: spare shell closed`);
}
