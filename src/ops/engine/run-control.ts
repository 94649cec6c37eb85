// Pause, resume and abort of a running action, held by whoever started it
// (the console's keys, the CLI's signals). Abort stops new steps; running
// ones finish, or are killed on their hosts with kill: true; the run's
// result says which.
export class RunControl {
  private paused = false;
  private abortedWith: { reason: string; killed: string[]; finished: string[] } | undefined;
  private waiters: (() => void)[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly requested = new Set<string>();
  private readonly listeners: ((what: string) => void)[] = [];

  get isPaused(): boolean {
    return this.paused;
  }

  get isAborted(): boolean {
    return this.abortedWith !== undefined;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    for (const w of this.waiters.splice(0)) w();
  }

  abort(options: { kill?: boolean; reason?: string } = {}): void {
    if (this.abortedWith) return;
    const ids = [...this.running.keys()];
    this.abortedWith = { reason: options.reason ?? 'aborted by the operator', killed: options.kill ? ids : [], finished: options.kill ? [] : ids };
    if (options.kill) this.killRunning();
    this.resume();
  }

  /** An action's own request (a deploy's pause at its next batch boundary, a canary's promotion): its runner takes it when it can. */
  request(what: string): void {
    this.requested.add(what);
    for (const l of this.listeners) l(what);
  }

  /** True once per request made: the runner honours it. */
  take(what: string): boolean {
    return this.requested.delete(what);
  }

  /** Called on every request, for a runner that must act at once (end a canary's analysis on promotion). */
  onRequest(listener: (what: string) => void): void {
    this.listeners.push(listener);
  }

  /** Waits while paused; resolves with the abort reason when the run must not start anything new. */
  async gate(): Promise<string | undefined> {
    while (this.paused && !this.abortedWith) await new Promise<void>((r) => this.waiters.push(r));
    return this.abortedWith ? `not started: ${this.abortedWith.reason}` : undefined;
  }

  /** The signal that kills step `id` on its host. */
  signalFor(id: string): AbortSignal {
    const controller = new AbortController();
    this.running.set(id, controller);
    return controller.signal;
  }

  settled(id: string): void {
    this.running.delete(id);
  }

  killRunning(): void {
    for (const c of this.running.values()) c.abort();
  }

  abortReport(): { killed: string[]; finished: string[] } | undefined {
    return this.abortedWith && { killed: this.abortedWith.killed, finished: this.abortedWith.finished };
  }
}
