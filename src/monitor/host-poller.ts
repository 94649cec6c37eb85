// One host's loop: connect (with backoff), sample, derive metrics, report.
// Each host has its own loop, so a slow or dead host never delays another.
import { deriveMetrics } from '../probes/host.js';
import type { HostSample } from '../probes/host-metrics.js';
import type { HostUpdate } from '../store/types.js';
import { TransportError, type Transport } from '../transport/types.js';
import { reconnectDelay } from './backoff.js';
import type { HostSampler } from './host-sampler.js';
import { untilNextTick } from './tick.js';
import type { WakeableSleep } from './wakeable-sleep.js';

export interface PollerContext {
  intervalMs: number;
  /** Start of the common poll clock (see tick.ts). */
  epochMs: number;
  sleeper: WakeableSleep;
  emit(update: HostUpdate): void;
  now(): number;
}

export class HostPoller {
  private previous: HostSample | undefined;
  private failures = 0;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly transport: Transport,
    private readonly sampler: HostSampler,
    private readonly ctx: PollerContext,
  ) {
    const hostId = transport.hostId;
    this.unsubscribe = transport.onState((c) =>
      ctx.emit({ hostId, kind: 'conn', conn: c.state, at: ctx.now(), reason: c.reason, hint: c.hint, fingerprint: transport.hostKeyFingerprint }),
    );
  }

  /** Connects if needed and takes one sample. Never throws: failures become updates. */
  async pollOnce(): Promise<boolean> {
    const { emit, now } = this.ctx;
    const hostId = this.transport.hostId;
    try {
      await this.transport.connect();
      const takenAt = now();
      const result = await this.sampler(this.transport, takenAt);
      this.failures = 0;
      emit({ hostId, kind: 'conn', conn: 'up', at: takenAt, fingerprint: this.transport.hostKeyFingerprint });
      if (result.kind === 'sample') {
        // A light sample carries no disks: the last figures stand.
        const sample = result.sample.disks === undefined ? { ...result.sample, disks: this.previous?.disks } : result.sample;
        emit({ hostId, kind: 'metrics', metrics: deriveMetrics(this.previous, sample), at: takenAt });
        this.previous = sample;
      } else if (result.kind === 'unsupported') {
        emit({ hostId, kind: 'unsupported', system: result.system, at: takenAt });
      } else {
        emit({ hostId, kind: 'conn', conn: 'command-failed', at: takenAt, reason: `${hostId}: ${result.message}` });
        emit({ hostId, kind: 'error', error: { message: result.message, raw: result.raw, at: takenAt } });
      }
      return true;
    } catch (err) {
      this.failures++;
      const e = err instanceof TransportError ? err : new TransportError('command-failed', `${hostId}: ${(err as Error).message}`);
      // Link-level failures are reported by the transport's own state events.
      if (e.state === 'timed-out' || e.state === 'command-failed') {
        emit({ hostId, kind: 'conn', conn: e.state, at: now(), reason: e.message, hint: e.hint });
      }
      return false;
    }
  }

  /** Resolves when the background work the last sample started (disks) has ended. */
  settled(): Promise<void> {
    return this.sampler.settled?.() ?? Promise.resolve();
  }

  /**
   * Polls until stopped: on every tick of the common clock while the link is
   * up, with (jittered) backoff while it is down. The poll that follows a
   * reconnect comes at once; the next one is on the common tick again.
   */
  async run(): Promise<void> {
    const { ctx } = this;
    while (!this.stopped) {
      const ok = await this.pollOnce();
      if (this.stopped) break;
      const linkDown = !ok && this.transport.state !== 'up';
      await ctx.sleeper.sleep(linkDown ? reconnectDelay(this.failures - 1) : untilNextTick(ctx.epochMs, ctx.intervalMs, ctx.now()));
    }
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
  }
}
