// The lab's message broker: a real Redis on the mq host with a stream
// (`orders`, group `workers`), a list queue (`jobs`) and its dead-letter list
// (`jobs:dead`), kept busy by producers and consumers running in this
// process. Faults stop the consumers (backlog builds) or the producers
// (queues run dry), the way an operator meets them in production; killing
// one stream worker (queue:worker-1) leaves what it held pending under its
// name, for the queue rebalance to claim.
import type { Redis } from 'ioredis';
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { connectRedis } from './connection.js';
import { CONSUMER_NAMES, Consumers, type StreamWorker } from './consumers.js';
import { startProducers, type ProducerSequence, type TrafficOptions } from './producers.js';
import { formatQueueDepths, readQueueDepths } from './queue-status.js';
import { DEFAULT_RATES, ORDERS_GROUP, ORDERS_STREAM, STREAM_CONSUMERS, checkRates, type BrokerRates } from './queues.js';
import { startRedisServer, stopRedisServer, type RedisServer } from './redis-server.js';
import { TrafficSwitch, TrafficTargets } from './traffic-switch.js';

const TARGETS = new TrafficTargets('queue');
const WORKER_TARGETS = STREAM_CONSUMERS.map((w) => `queue:${w}`);
const workerOf = (target: string): StreamWorker | undefined => STREAM_CONSUMERS.find((w) => target === `queue:${w}`);

interface Running {
  ctx: LabContext;
  server: RedisServer;
  /** For setup and status; never blocks, times out instead of hanging `lab status`. */
  admin: Redis;
  traffic: TrafficSwitch;
}

export class BrokerComponent implements LabComponent {
  readonly name = 'broker';
  readonly targets: readonly string[] = [...TARGETS.all, ...WORKER_TARGETS];
  private rates: BrokerRates;
  private running?: Running;
  private readonly sequence: ProducerSequence = { orders: 0, jobs: 0 };
  /** Stream workers killed one by one: they stay down when the consumers restart. */
  private readonly killed = new Set<StreamWorker>();
  private consumers?: Consumers;

  constructor(options: { rates?: Partial<BrokerRates> } = {}) {
    this.rates = checkRates({ ...DEFAULT_RATES, ...options.rates });
  }

  /** Messages per second per queue; applies to running loops at their next message. */
  setRates(rates: Partial<BrokerRates>): void {
    this.rates = checkRates({ ...this.rates, ...rates });
  }

  async start(ctx: LabContext): Promise<void> {
    if (this.running) throw new Error('broker is already running');
    const host = ctx.hosts.find((h) => h.roles.includes('mq'));
    if (!host) throw new Error(`no lab host has the 'mq' role (hosts: ${ctx.hosts.map((h) => h.id).join(', ')})`);
    const server = await startRedisServer(ctx, host);
    const admin = connectRedis(server, { name: 'baton-lab-admin', log: ctx.log, commandTimeoutMs: 2000 });
    ctx.signal.addEventListener('abort', () => admin.disconnect(), { once: true });
    const traffic = new TrafficSwitch({
      producers: () => startProducers(this.traffic('produce'), this.sequence),
      consumers: () => (this.consumers = new Consumers(this.traffic('consume'), this.killed)),
    });
    this.running = { ctx, server, admin, traffic };
    try {
      await admin.xgroup('CREATE', ORDERS_STREAM, ORDERS_GROUP, '$', 'MKSTREAM');
      // Registered up front so XINFO CONSUMERS lists both workers from the start.
      for (const consumer of STREAM_CONSUMERS) await admin.xgroup('CREATECONSUMER', ORDERS_STREAM, ORDERS_GROUP, consumer);
      traffic.start('producers');
      traffic.start('consumers');
    } catch (err) {
      await this.stop();
      throw err;
    }
    ctx.log(`broker: redis on ${server.host}:${server.port} and ${server.socket}, ${this.rates.produce} msg/s in, ${this.rates.consume} msg/s out`);
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    await running.traffic.stopAll();
    running.admin.disconnect();
    await stopRedisServer(running.server);
  }

  async status(): Promise<ComponentStatus> {
    const running = this.running;
    if (!running) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const { traffic } = running;
    const failed = [...TARGETS.failed(traffic), ...[...this.killed].map((w) => `queue:${w}`)];
    const down = this.killed.size > 0 ? ` (${[...this.killed].join(', ')} killed)` : '';
    const loops = `consumers ${traffic.isRunning('consumers') ? `running (${this.rates.consume}/s)${down}` : 'stopped'}, producers ${traffic.isRunning('producers') ? `running (${this.rates.produce}/s)` : 'stopped'}`;
    try {
      const depths = await readQueueDepths(running.admin);
      return { name: this.name, healthy: failed.length === 0, detail: `${formatQueueDepths(depths)}; ${loops}`, failed };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      return { name: this.name, healthy: false, detail: `redis on ${running.server.host}:${running.server.port} not answering (${why}); ${loops}`, failed };
    }
  }

  owns(target: string): boolean {
    return TARGETS.owns(target) || workerOf(target) !== undefined;
  }

  async fail(target: string): Promise<string> {
    const worker = workerOf(target);
    if (worker) return this.killWorker(target, worker);
    const side = TARGETS.sideOf(target);
    if (!(await this.need(target).traffic.stop(side))) return `${side} were already stopped`;
    return side === 'consumers' ? `stopped consumers ${CONSUMER_NAMES.join(', ')}: ${ORDERS_STREAM} lag and jobs depth will grow` : 'stopped producers: queues will drain to empty';
  }

  async heal(target: string): Promise<string> {
    const worker = workerOf(target);
    if (worker) {
      this.need(target);
      if (!this.killed.delete(worker)) return `${worker} was not killed`;
      const started = this.need(target).traffic.isRunning('consumers') && this.consumers!.startWorker(worker);
      return started ? `started ${worker}: it finishes the entries it still owns, then reads new ones` : `${worker} will run when the consumers start`;
    }
    const side = TARGETS.sideOf(target);
    if (!this.need(target).traffic.start(side)) return `${side} were already running`;
    return side === 'consumers'
      ? `started consumers ${CONSUMER_NAMES.join(', ')}: they finish their pending entries, then drain the backlog`
      : `started producers at ${this.rates.produce} msg/s per queue`;
  }

  /** Stops one stream worker as a crash would: its connection closes, what it held stays pending under its name. */
  private async killWorker(target: string, worker: StreamWorker): Promise<string> {
    const running = this.need(target);
    if (this.killed.has(worker)) return `${worker} was already killed`;
    this.killed.add(worker);
    if (running.traffic.isRunning('consumers')) await this.consumers!.stopWorker(worker);
    const pending = await running.admin.xpending(ORDERS_STREAM, ORDERS_GROUP).catch(() => undefined);
    const mine = Array.isArray(pending) && Array.isArray(pending[3]) ? (pending[3] as [string, string][]).find(([name]) => name === worker)?.[1] : undefined;
    return `killed ${worker}: it leaves ${mine ?? 0} pending entr${mine === '1' ? 'y' : 'ies'} in ${ORDERS_STREAM}/${ORDERS_GROUP}`;
  }

  private traffic(kind: keyof BrokerRates): TrafficOptions {
    const { ctx, server } = this.running ?? {};
    if (!ctx || !server) throw new Error('broker is not running');
    return { endpoint: server, signal: ctx.signal, log: ctx.log, rate: () => this.rates[kind] };
  }

  private need(target: string): Running {
    if (!this.owns(target)) throw new Error(`broker has no fault target '${target}'; it knows ${this.targets.join(', ')}`);
    if (!this.running) throw new Error(`broker is not running: cannot act on ${target}`);
    return this.running;
  }
}
