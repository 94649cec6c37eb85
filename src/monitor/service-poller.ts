// Polls one service: asks its candidate hosts in order over their existing
// connections and reports the first answer, or why none answered. A node
// that fails is skipped for the next one at once, so a dead node does not
// blank the pane. A service that stops answering altogether, and one that
// answers again, is an event whatever its kind.
import type { Notice, ServiceUpdate } from '../store/services.js';
import type { BatonEvent } from '../store/types.js';
import type { Transport } from '../transport/types.js';
import type { ServiceProbe } from './service-probe.js';
import { untilNextTick } from './tick.js';
import type { WakeableSleep } from './wakeable-sleep.js';

export interface ServicePollerContext {
  intervalMs: number;
  /** Start of the common poll clock the host pollers share (see tick.ts). */
  epochMs: number;
  sleeper: WakeableSleep;
  transports: ReadonlyMap<string, Transport>;
  emit(update: ServiceUpdate, events: Omit<BatonEvent, 'id'>[]): void;
  now(): number;
}

export class ServicePoller {
  private previous: unknown;
  /** 'new' until the first answer (a failure then, e.g. while connecting, is no news). */
  private state: 'new' | 'answering' | 'stopped' = 'new';
  private stopped = false;

  constructor(
    private readonly probe: ServiceProbe,
    private readonly ctx: ServicePollerContext,
  ) {}

  /** The hosts it asks, in order. */
  get candidates(): readonly string[] {
    return this.probe.candidates;
  }

  /** One poll; never throws. True when some host answered with a snapshot. */
  async pollOnce(): Promise<boolean> {
    const { probe, ctx } = this;
    const tried: string[] = [];
    for (const hostId of probe.candidates) {
      const transport = ctx.transports.get(hostId);
      if (!transport || transport.state !== 'up') {
        tried.push(`${hostId} ${transport?.state ?? 'unknown'}`);
        continue;
      }
      const at = ctx.now();
      let output: string;
      try {
        const r = await transport.run(probe.command(hostId));
        if (r.timedOut) {
          tried.push(`${hostId} timed out`);
          continue;
        }
        output = r.stdout + (r.code !== 0 && r.stderr ? `\n${r.stderr}` : '');
      } catch (err) {
        tried.push(`${hostId}: ${(err as Error).message}`);
        continue;
      }
      const parsed = probe.parse(output, at);
      if (parsed.kind === 'snapshot') {
        const notices = probe.events(this.previous, parsed.snapshot);
        if (this.state === 'stopped') notices.unshift({ severity: 'info', message: `${probe.kind} answers again (asked ${hostId})` });
        this.state = 'answering';
        this.previous = parsed.snapshot;
        ctx.emit(
          { kind: probe.kind, key: probe.key, type: 'snapshot', at, answeredBy: hostId, via: parsed.via, snapshot: parsed.snapshot, alerts: probe.alerts(parsed.snapshot) },
          notices.map((n) => this.event(n, hostId, at)),
        );
        return true;
      }
      // Unsupported or unparsable here: another node may do better.
      const raw = parsed.kind === 'parse-error' ? parsed.raw : undefined;
      ctx.emit({ kind: probe.kind, key: probe.key, type: 'error', at, message: `${hostId}: ${parsed.message}`, raw }, []);
      tried.push(`${hostId}: ${parsed.message}`);
    }
    const at = ctx.now();
    const message = `no ${probe.kind} answer from ${probe.key}: ${tried.join('; ') || 'no hosts'}`;
    // A service answered by any of several hosts belongs to none of them.
    const host = probe.candidates.length === 1 ? probe.candidates[0] : undefined;
    const stopped = this.state === 'answering' ? [this.event({ severity: 'crit', message: `${probe.kind} stopped answering: ${tried.join('; ')}` }, host, at)] : [];
    if (this.state === 'answering') this.state = 'stopped';
    ctx.emit({ kind: probe.kind, key: probe.key, type: 'error', at, message }, stopped);
    return false;
  }

  /** Polls until stopped, on the common clock's ticks; a probe's own longer interval is rounded up to a whole number of them. */
  async run(): Promise<void> {
    const { ctx } = this;
    const intervalMs = Math.max(1, Math.ceil((this.probe.minIntervalMs ?? 0) / ctx.intervalMs)) * ctx.intervalMs;
    while (!this.stopped) {
      await this.pollOnce();
      if (this.stopped) break;
      await ctx.sleeper.sleep(untilNextTick(ctx.epochMs, intervalMs, ctx.now()));
    }
  }

  stop(): void {
    this.stopped = true;
  }

  private event(n: Notice, hostId: string | undefined, at: number): Omit<BatonEvent, 'id'> {
    return { at, hostId: n.hostId ?? hostId, source: this.probe.kind, severity: n.severity, message: `${this.probe.key}: ${n.message}` };
  }
}
