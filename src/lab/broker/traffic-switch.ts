// A lab broker's producers and consumers as two switches: what the
// `<broker>:producers` and `<broker>:consumers` faults turn off and on.
// Shared by the Redis broker and RabbitMQ; each brings its own loops.
/** A side's running loops: a LoopGroup, or the Redis broker's Consumers. */
export interface Loops {
  stop(): Promise<void>;
}

export type TrafficSide = 'producers' | 'consumers';

export class TrafficSwitch {
  private readonly groups: Partial<Record<TrafficSide, Loops>> = {};

  constructor(private readonly starters: Record<TrafficSide, () => Loops>) {}

  isRunning(side: TrafficSide): boolean {
    return this.groups[side] !== undefined;
  }

  /** False when it was already running. */
  start(side: TrafficSide): boolean {
    if (this.groups[side]) return false;
    this.groups[side] = this.starters[side]();
    return true;
  }

  /** False when it was already stopped. */
  async stop(side: TrafficSide): Promise<boolean> {
    const group = this.groups[side];
    if (!group) return false;
    this.groups[side] = undefined;
    await group.stop();
    return true;
  }

  async stopAll(): Promise<void> {
    await Promise.all([this.stop('producers'), this.stop('consumers')]);
  }
}

/** A broker's two fault targets, `<prefix>:consumers` and `<prefix>:producers`. */
export class TrafficTargets {
  readonly all: readonly string[];

  constructor(private readonly prefix: string) {
    this.all = [`${prefix}:consumers`, `${prefix}:producers`];
  }

  owns(target: string): boolean {
    return this.all.includes(target);
  }

  sideOf(target: string): TrafficSide {
    return target === `${this.prefix}:consumers` ? 'consumers' : 'producers';
  }

  /** The targets whose side is stopped. */
  failed(traffic: TrafficSwitch): string[] {
    return this.all.filter((t) => !traffic.isRunning(this.sideOf(t)));
  }
}
