// Probes one check or device on the common poll clock, over the existing
// connection of the host it runs from (or baton's own machine). A probe that
// cannot run (host down, command timed out) is an error on the item, never a
// failure of the thing watched: only an answer counts toward availability.
import type { BatonEvent } from '../store/types.js';
import type { WatchUpdate } from '../store/watches.js';
import type { Transport } from '../transport/types.js';
import { untilNextTick } from './tick.js';
import type { WakeableSleep } from './wakeable-sleep.js';
import type { WatchProbe } from './watch-plan.js';

export interface WatchPollerContext {
  intervalMs: number;
  epochMs: number;
  sleeper: WakeableSleep;
  transports: ReadonlyMap<string, Transport>;
  emit(update: WatchUpdate, events: Omit<BatonEvent, 'id'>[]): void;
  now(): number;
}

export class WatchPoller {
  private stopped = false;

  constructor(
    readonly probe: WatchProbe,
    private readonly ctx: WatchPollerContext,
  ) {}

  /** One probe; never throws. True when it produced a result. */
  async pollOnce(): Promise<boolean> {
    const { probe, ctx } = this;
    const transport = ctx.transports.get(probe.sourceId);
    const fail = (message: string, raw?: string) => {
      ctx.emit({ kind: probe.kind, name: probe.name, type: 'error', at: ctx.now(), message, raw }, []);
      return false;
    };
    if (!transport || transport.state !== 'up') return fail(`cannot probe from ${probe.from}: ${transport?.state ?? 'no such host'}`);
    const at = ctx.now();
    try {
      const r = await transport.run(probe.command, { lane: probe.lane, timeoutMs: probe.timeoutMs });
      if (r.timedOut) return fail(`probe from ${probe.from} timed out after ${probe.timeoutMs / 1000} s`);
      const { update, events } = probe.observe(r.stdout + (r.stderr ? `\n${r.stderr}` : ''), at);
      ctx.emit(update, events);
      return update.type === 'result';
    } catch (err) {
      return fail(`probe from ${probe.from}: ${(err as Error).message}`);
    }
  }

  async run(): Promise<void> {
    const { ctx } = this;
    while (!this.stopped) {
      await this.pollOnce();
      if (this.stopped) break;
      await ctx.sleeper.sleep(untilNextTick(ctx.epochMs, ctx.intervalMs, ctx.now()));
    }
  }

  stop(): void {
    this.stopped = true;
  }
}
