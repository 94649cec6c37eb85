// Re-checks the inventory's sync sets every N poll intervals (on the
// monitor's common clock) and whenever the store says "check now". The
// reading itself (find + sha256sum on every host) belongs to ops/sync and
// comes in as a SyncReader; it runs beside the probes (its own channel per
// host, not the probe lane), so hashing a big tree never delays a host's
// metrics. One set at a time: a fleet is hashed set by set, not all at once.
import type { BatonStore } from '../store/store.js';
import { untilNextTick } from './tick.js';
import { WakeableSleep } from './wakeable-sleep.js';

export const DEFAULT_SYNC_EVERY = 10;

export interface SyncReader {
  /** The set names, in inventory order. */
  readonly sets: readonly string[];
  /** One set's drift on every target (HostDrift[]); rejects when the set cannot be read as a whole. */
  read(set: string): Promise<unknown>;
}

export interface SyncPollerContext {
  store: BatonStore;
  intervalMs: number;
  /** Check every this many intervals. */
  everyIntervals: number;
  now(): number;
}

export class SyncPoller {
  private readonly sleeper = new WakeableSleep();
  private stopped = false;
  private asked = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly reader: SyncReader,
    private readonly ctx: SyncPollerContext,
  ) {}

  /** Reads every set once; never throws. */
  async checkAll(): Promise<void> {
    const { store, now } = this.ctx;
    for (const set of this.reader.sets) {
      if (this.stopped) return;
      store.getState().applySyncUpdate({ set, type: 'checking' });
      try {
        const drift = await this.reader.read(set);
        store.getState().applySyncUpdate({ set, type: 'drift', at: now(), drift });
      } catch (err) {
        store.getState().applySyncUpdate({ set, type: 'error', at: now(), message: (err as Error).message });
      }
    }
  }

  /** Checks until stopped; between checks it waits for the monitor's clock (`epochMs`) to reach a multiple of N intervals. */
  async run(epochMs: number): Promise<void> {
    const { store, intervalMs, everyIntervals } = this.ctx;
    if (this.reader.sets.length === 0) return;
    this.asked = store.getState().sync.recheckAsked;
    // A bump while a check runs is kept and answered by the next round at once.
    this.unsubscribe = store.subscribe((s) => {
      if (s.sync.recheckAsked !== this.asked) this.sleeper.wakeAll();
    });
    while (!this.stopped) {
      this.asked = store.getState().sync.recheckAsked;
      await this.checkAll();
      if (this.stopped || store.getState().sync.recheckAsked !== this.asked) continue;
      await this.sleeper.sleep(untilNextTick(epochMs, intervalMs * everyIntervals, this.ctx.now()));
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.sleeper.wakeAll();
  }
}
