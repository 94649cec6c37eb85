// Runs one poller per host and writes their updates into the store in
// batches, so 1,000 hosts reporting within a tick cost one store update.
import type { ServiceUpdate } from '../store/services.js';
import type { WatchUpdate } from '../store/watches.js';
import { LocalTransport } from '../transport/local.js';
import type { BatonStore } from '../store/store.js';
import type { BatonEvent, HostUpdate } from '../store/types.js';
import type { Transport } from '../transport/types.js';
import { HostPoller, type PollerContext } from './host-poller.js';
import type { HostSampler } from './host-sampler.js';
import { ServicePoller, type ServicePollerContext } from './service-poller.js';
import type { ServiceProbe } from './service-probe.js';
import { SyncPoller, type SyncReader } from './sync-poller.js';
import { WakeableSleep } from './wakeable-sleep.js';
import { LOCAL_MACHINE, type WatchProbe } from './watch-plan.js';
import { WatchPoller, type WatchPollerContext } from './watch-poller.js';

/** How long a one-shot run waits for a host's df beyond the gap; a hung one leaves that host without disks. */
export const ONCE_DISK_WAIT_MS = 2000;

export interface MonitorOptions {
  store: BatonStore;
  transports: readonly Transport[];
  samplerFor(transport: Transport): HostSampler;
  /** Services (Pacemaker, HAProxy, etcd, ...) polled over the hosts' connections. */
  services?: readonly ServiceProbe[];
  /** HTTP health checks and network devices, from a host's connection or from baton's machine. */
  watches?: readonly WatchProbe[];
  intervalMs: number;
  /** How long updates are gathered before one store write. */
  flushMs?: number;
  now?: () => number;
}

export class Monitor {
  private readonly sleeper = new WakeableSleep();
  private readonly pollers: HostPoller[];
  private readonly servicePollers: ServicePoller[];
  private pending: HostUpdate[] = [];
  private pendingServices: ServiceUpdate[] = [];
  private pendingEvents: Omit<BatonEvent, 'id'>[] = [];
  private readonly watchPollers: WatchPoller[];
  private pendingWatches: WatchUpdate[] = [];
  private pendingWatchEvents: Omit<BatonEvent, 'id'>[] = [];
  /** Baton's own machine, for `from: local` checks and devices. */
  private readonly localMachine: LocalTransport | undefined;
  private readonly watchCtx: WatchPollerContext;
  private flushTimer: NodeJS.Timeout | undefined;
  private loops: Promise<void>[] = [];
  private syncPoller: SyncPoller | undefined;
  // One clock for every poller (tick.ts), so polls stay in step after reconnects.
  private readonly hostCtx: PollerContext;
  private readonly serviceCtx: ServicePollerContext;

  constructor(private readonly options: MonitorOptions) {
    const now = options.now ?? Date.now;
    this.hostCtx = { intervalMs: options.intervalMs, epochMs: now(), sleeper: this.sleeper, now, emit: (u: HostUpdate) => this.enqueue(u) };
    this.pollers = options.transports.map((t) => new HostPoller(t, options.samplerFor(t), this.hostCtx));
    const transports = new Map(options.transports.map((t) => [t.hostId, t]));
    this.serviceCtx = {
      ...this.hostCtx,
      transports,
      emit: (u: ServiceUpdate, events: Omit<BatonEvent, 'id'>[]) => {
        this.pendingServices.push(u);
        this.pendingEvents.push(...events);
        this.scheduleFlush();
      },
    };
    this.servicePollers = (options.services ?? []).map((p) => new ServicePoller(p, this.serviceCtx));
    const watches = options.watches ?? [];
    if (watches.some((w) => w.sourceId === LOCAL_MACHINE)) {
      this.localMachine = new LocalTransport(LOCAL_MACHINE);
      void this.localMachine.connect();
    }
    this.watchCtx = {
      ...this.serviceCtx,
      transports: this.localMachine ? new Map([...transports, [LOCAL_MACHINE, this.localMachine as Transport]]) : transports,
      emit: (u: WatchUpdate, events: Omit<BatonEvent, 'id'>[]) => {
        this.pendingWatches.push(u);
        this.pendingWatchEvents.push(...events);
        this.scheduleFlush();
      },
    };
    this.watchPollers = watches.map((w) => new WatchPoller(w, this.watchCtx));
  }

  /** Start of the poll clock: every poller polls on epochMs + k * intervalMs. */
  get epochMs(): number {
    return this.hostCtx.epochMs;
  }

  /** The console's sync sets, re-checked every `everyIntervals` intervals and on demand; call before start. */
  watchSync(reader: SyncReader, everyIntervals: number): void {
    this.syncPoller = new SyncPoller(reader, { store: this.options.store, intervalMs: this.options.intervalMs, everyIntervals, now: this.hostCtx.now });
  }

  /** Starts every host's loop, and the poll clock with their first polls; returns at once. */
  start(): void {
    this.hostCtx.epochMs = this.serviceCtx.epochMs = this.watchCtx.epochMs = this.hostCtx.now();
    this.loops = [...this.pollers.map((p) => p.run()), ...this.servicePollers.map((p) => p.run()), ...this.watchPollers.map((p) => p.run())];
    if (this.syncPoller) this.loops.push(this.syncPoller.run(this.hostCtx.epochMs));
  }

  /** Wakes every loop: polls (or reconnect attempts) happen now. */
  refreshNow(): void {
    this.sleeper.wakeAll();
  }

  /** One poll of every host at once; true where the host answered. */
  pollAll(): Promise<boolean[]> {
    return Promise.all(this.pollers.map((p) => p.pollOnce()));
  }

  /**
   * One-shot mode: two samples of every host and service at least `gapMs`
   * apart (CPU %, network, queue and request rates, queue trends need two),
   * then everything is flushed into the store. Each host is a pipeline of
   * its own (connect, sample, its own gap, sample), so a slow host delays
   * no other; a service, which runs over its hosts' connections, starts
   * once every candidate host has had its first sample.
   */
  async snapshot(gapMs: number): Promise<void> {
    const firsts = new Map(this.pollers.map((p) => [p.transport.hostId, p.pollOnce()]));
    const hosts = this.pollers.map(async (p) => {
      if (!(await firsts.get(p.transport.hostId))) return;
      // The disks the first sample asked for come with the second, unless df hangs.
      await Promise.all([this.sleeper.sleep(gapMs), Promise.race([p.settled(), this.sleeper.sleep(ONCE_DISK_WAIT_MS)])]);
      await p.pollOnce();
    });
    const services = this.servicePollers.map(async (s) => {
      await Promise.all(s.candidates.map((id) => firsts.get(id)));
      if (!(await s.pollOnce())) return;
      await this.sleeper.sleep(gapMs);
      await s.pollOnce();
    });
    // A check or device needs no second sample; one from a host waits for that host's first.
    const watches = this.watchPollers.map(async (w) => {
      await firsts.get(w.probe.sourceId);
      await w.pollOnce();
    });
    await Promise.all([...hosts, ...services, ...watches]);
    this.flush();
  }

  async stop(): Promise<void> {
    for (const p of [...this.pollers, ...this.servicePollers, ...this.watchPollers]) p.stop();
    this.syncPoller?.stop();
    this.sleeper.wakeAll();
    // Closing first fails any command or handshake in flight, so no loop
    // waits out a timeout on the way down.
    await Promise.all([...this.options.transports, ...(this.localMachine ? [this.localMachine] : [])].map((t) => t.close()));
    await Promise.all(this.loops);
    this.flush();
  }

  private enqueue(update: HostUpdate): void {
    this.pending.push(update);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.flushMs ?? 100);
  }

  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const state = this.options.store.getState();
    const batch = this.pending;
    this.pending = [];
    state.applyUpdates(batch);
    const services = this.pendingServices;
    const events = this.pendingEvents;
    this.pendingServices = [];
    this.pendingEvents = [];
    state.applyServiceUpdates(services, events);
    const watchUpdates = this.pendingWatches;
    const watchEvents = this.pendingWatchEvents;
    this.pendingWatches = [];
    this.pendingWatchEvents = [];
    state.applyWatchUpdates(watchUpdates, watchEvents);
  }
}
