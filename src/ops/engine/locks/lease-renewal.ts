// Keeps a held lock alive: renews every third of its TTL. A renewal that
// says the lock is gone loses it at once; renewals that only fail (a host or
// etcd member unreachable) lose it when a whole TTL passed without one, as
// by then the lock has expired for everybody else.
export class LeaseRenewal {
  private timer: NodeJS.Timeout | undefined;
  private lostReason: string | undefined;
  private lastRenewed = Date.now();
  private readonly listeners: ((reason: string) => void)[] = [];

  constructor(
    private readonly ttlMs: number,
    /** Resolves to undefined when renewed, or to why the lock is gone; throws when it could not tell. */
    private readonly renew: () => Promise<string | undefined>,
  ) {}

  start(): void {
    let running = false;
    this.lastRenewed = Date.now();
    this.timer = setInterval(() => {
      if (running || this.lostReason !== undefined) return;
      running = true;
      this.renew().then(
        (lost) => {
          running = false;
          if (lost !== undefined) this.lose(lost);
          else this.lastRenewed = Date.now();
        },
        (err: Error) => {
          running = false;
          if (Date.now() - this.lastRenewed >= this.ttlMs) this.lose(`not renewed for ${Math.round(this.ttlMs / 1000)} s: ${err.message}`);
        },
      );
    }, Math.max(200, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  onLost(listener: (reason: string) => void): void {
    if (this.lostReason !== undefined) listener(this.lostReason);
    else this.listeners.push(listener);
  }

  private lose(reason: string): void {
    this.lostReason = reason;
    this.stop();
    for (const l of this.listeners) l(reason);
  }
}
