// A lab broker's producers and consumers as two switches: what the
// `<broker>:producers` and `<broker>:consumers` faults turn off and on.
// Shared by the Redis broker and RabbitMQ; each brings its own loops.
import type { LoopGroup } from './loops.js';

export type TrafficSide = 'producers' | 'consumers';

export class TrafficSwitch {
  private readonly groups: Partial<Record<TrafficSide, LoopGroup>> = {};

  constructor(private readonly starters: Record<TrafficSide, () => LoopGroup>) {}

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
