// One long-lived `sh` on an SSH channel that runs many commands in order: the
// poll loop's commands cost no login, no new channel and no process start
// beyond the command itself.
import type { ClientChannel } from 'ssh2';
import { FrameDecoder, frameRequest, newSessionToken, sessionPrelude, type FrameEvent } from './shell-framing.js';
import { TransportError } from './types.js';

type Done = Extract<FrameEvent, { type: 'done' }>;

interface Pending {
  id: number;
  onPid(pid: number): void;
  resolve(done: Done): void;
  reject(err: Error): void;
}

export class RemoteShell {
  private readonly token = newSessionToken();
  private readonly decoder = new FrameDecoder(this.token);
  private nextId = 1;
  private pending: Pending | undefined;
  private closedReason: TransportError | undefined;
  private shellPid: number | undefined;

  constructor(
    private readonly channel: ClientChannel,
    private readonly target: string,
  ) {
    channel.write(sessionPrelude(this.token));
    channel.on('data', (chunk: Buffer) => this.dispatch(this.decoder.feed('stdout', chunk)));
    channel.stderr.on('data', (chunk: Buffer) => this.dispatch(this.decoder.feed('stderr', chunk)));
    channel.on('close', () => this.fail(new TransportError('unreachable', `${this.target}: remote shell closed`)));
  }

  get alive(): boolean {
    return this.closedReason === undefined;
  }

  /** A command is under way (closing the channel alone would leave it running on the host). */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** The shell's pid on the host, once identify() has learnt it. */
  get pid(): number | undefined {
    return this.shellPid;
  }

  /**
   * Asks the shell for its pid, so a shell that is dropped can be killed with
   * everything it started: without a tty, closing the channel signals nothing
   * on the host. Also proves the shell runs before any probe is timed.
   */
  async identify(timeoutMs: number): Promise<number> {
    const timer = setTimeout(() => this.destroy(new TransportError('timed-out', `${this.target}: the remote shell did not start within ${timeoutMs} ms`)), timeoutMs);
    try {
      const reply = (await this.run('printf %s "$$"', true, () => undefined)).stdout.toString('latin1');
      const pid = Number(reply);
      if (!Number.isInteger(pid) || pid <= 1) throw new TransportError('command-failed', `${this.target}: the remote shell gave ${JSON.stringify(reply.slice(0, 40))} for its pid`);
      this.shellPid = pid;
      return pid;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs one command; the caller serialises calls. `onPid` gets the remote pid for a kill. */
  run(command: string, inline: boolean, onPid: (pid: number) => void): Promise<Done> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const id = this.nextId++;
    this.decoder.expect(id);
    return new Promise<Done>((resolve, reject) => {
      this.pending = { id, onPid, resolve, reject };
      this.channel.write(frameRequest(id, command, inline));
    });
  }

  /** Ends the shell (and, through SIGHUP/EOF, what it runs). */
  destroy(reason: TransportError): void {
    this.fail(reason);
    this.channel.close();
  }

  private dispatch(events: FrameEvent[]): void {
    for (const e of events) {
      const p = this.pending;
      if (!p || p.id !== e.id) continue;
      if (e.type === 'pid') p.onPid(e.pid);
      else {
        this.pending = undefined;
        p.resolve(e);
      }
    }
  }

  private fail(reason: TransportError): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(reason);
  }
}
