// `lab up --with rabbitmq`: a real RabbitMQ node on mq1 (AMQP, management
// API, Erlang distribution and its epmd all bound to mq1), the `orders`
// queue with its dead-letter queue, and paced producers and consumers in the
// supervisor. Faults stop the consumers (a backlog builds, the queue has no
// consumer) or the producers (it drains), with the rates `lab rates` sets.
import type { ComponentStatus, LabComponent, LabContext } from '../component.js';
import { checkRates, DEFAULT_RATES, type BrokerRates } from '../broker/queues.js';
import { TrafficSwitch, TrafficTargets } from '../broker/traffic-switch.js';
import { LAB_RABBITMQ, type LabHostSpec } from '../layout.js';
import { labQueueFigures } from './management.js';
import { writeRabbitFiles } from './rabbitmq-files.js';
import { startRabbitServer, stopRabbitServer, type RabbitServer } from './rabbitmq-server.js';
import { newCredentials, RABBITMQ_CONSUMERS, RABBITMQ_VHOST } from './topology.js';
import { startRabbitConsumers, startRabbitProducers, type RabbitTrafficOptions } from './traffic.js';

const TARGETS = new TrafficTargets('rabbitmq');

interface Running {
  ctx: LabContext;
  server: RabbitServer;
  traffic: TrafficSwitch;
}

export class RabbitmqComponent implements LabComponent {
  readonly name = 'rabbitmq';
  readonly targets: readonly string[] = TARGETS.all;
  private rates: BrokerRates = DEFAULT_RATES;
  private running?: Running;
  /** Known once start() wrote it: mq1's sessions source it to reach the node with the CLI. */
  private cliEnvFile?: string;
  private readonly sequence = { orders: 0 };

  /** loginUser: the lab user when root (it gets the CLI's cookie and the monitoring password). */
  constructor(private readonly loginUser: string | undefined) {}

  setRates(rates: Partial<BrokerRates>): void {
    this.rates = checkRates({ ...this.rates, ...rates });
  }

  sshEnvironment(host: LabHostSpec): Record<string, string> {
    if (!host.roles.includes('mq')) return {};
    if (!this.cliEnvFile) throw new Error('rabbitmq: the CLI environment exists once the component has started');
    return { RABBITMQ_CONF_ENV_FILE: this.cliEnvFile };
  }

  async start(ctx: LabContext): Promise<void> {
    if (this.running) throw new Error('rabbitmq is already running');
    const host = ctx.hosts.find((h) => h.roles.includes('mq'));
    if (!host) throw new Error(`no lab host has the 'mq' role (hosts: ${ctx.hosts.map((h) => h.id).join(', ')})`);
    const credentials = newCredentials();
    const files = await writeRabbitFiles(ctx.dir, host, credentials, this.loginUser);
    this.cliEnvFile = files.cliEnvFile;
    const server = await startRabbitServer(ctx, host, files, credentials);
    const traffic = new TrafficSwitch({
      producers: () => startRabbitProducers(this.traffic('produce'), this.sequence),
      consumers: () => startRabbitConsumers(this.traffic('consume')),
    });
    this.running = { ctx, server, traffic };
    traffic.start('producers');
    traffic.start('consumers');
    ctx.log(`rabbitmq: node ${files.nodeName}, AMQP ${server.host}:${LAB_RABBITMQ.amqpPort}, management ${server.managementUrl}, ${this.rates.produce} msg/s in, ${this.rates.consume} msg/s out`);
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    await running.traffic.stopAll();
    await stopRabbitServer(running.server);
  }

  async status(): Promise<ComponentStatus> {
    const running = this.running;
    if (!running) return { name: this.name, healthy: false, detail: 'not running', failed: [] };
    const { traffic } = running;
    const failed = TARGETS.failed(traffic);
    const loops = `consumers ${traffic.isRunning('consumers') ? `running (${this.rates.consume}/s)` : 'stopped'}, producers ${traffic.isRunning('producers') ? `running (${this.rates.produce}/s)` : 'stopped'}`;
    try {
      const queues = await labQueueFigures(running.server, RABBITMQ_VHOST);
      const text = queues.map((q) => `${q.name} ${q.messages} (ready ${q.ready}, unacked ${q.unacked}, consumers ${q.consumers})`).join(', ');
      return { name: this.name, healthy: failed.length === 0, detail: `${text || 'no queues'}; ${loops}`, failed };
    } catch (err) {
      return { name: this.name, healthy: false, detail: `${(err as Error).message}; ${loops}`, failed };
    }
  }

  owns(target: string): boolean {
    return TARGETS.owns(target);
  }

  async fail(target: string): Promise<string> {
    const side = TARGETS.sideOf(target);
    if (!(await this.need(target).traffic.stop(side))) return `rabbitmq ${side} were already stopped`;
    return side === 'consumers'
      ? `stopped rabbitmq consumers ${RABBITMQ_CONSUMERS.join(', ')}: orders has no consumer and its depth will grow`
      : 'stopped rabbitmq producers: orders will drain to empty';
  }

  async heal(target: string): Promise<string> {
    const side = TARGETS.sideOf(target);
    if (!this.need(target).traffic.start(side)) return `rabbitmq ${side} were already running`;
    return side === 'consumers'
      ? `started rabbitmq consumers ${RABBITMQ_CONSUMERS.join(', ')} at ${this.rates.consume} msg/s: they drain the backlog`
      : `started rabbitmq producers at ${this.rates.produce} msg/s`;
  }

  private traffic(kind: keyof BrokerRates): RabbitTrafficOptions {
    const { ctx, server } = this.running ?? {};
    if (!ctx || !server) throw new Error('rabbitmq is not running');
    return { url: server.amqpUrl, signal: ctx.signal, log: ctx.log, rate: () => this.rates[kind] };
  }

  private need(target: string): Running {
    if (!this.owns(target)) throw new Error(`rabbitmq has no fault target '${target}'; it knows ${TARGETS.all.join(', ')}`);
    if (!this.running) throw new Error(`rabbitmq is not running: cannot act on ${target}`);
    return this.running;
  }
}
