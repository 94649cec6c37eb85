// The lab RabbitMQ's traffic, paced like the Redis broker's (same `lab
// rates`): a producer publishes persistent orders with publisher confirms;
// two workers consume `orders` (prefetch 1), hold each message for their
// share of the consume rate, then ack it, or reject every
// RABBITMQ_POISON_EVERY-th one so it is dead-lettered into orders.dlq.
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { LoopGroup, pace } from '../broker/loops.js';
import { AmqpLink } from './amqp-link.js';
import { RABBITMQ_CONSUMERS, RABBITMQ_POISON_EVERY, RABBITMQ_QUEUE } from './topology.js';

export interface RabbitTrafficOptions {
  url: string;
  signal: AbortSignal;
  log(line: string): void;
  /** Messages per second, read at every iteration. */
  rate(): number;
}

const SKUS = ['kb-101', 'mouse-7', 'usb-c-hub', 'monitor-27', 'dock-2'];

export function startRabbitProducers(options: RabbitTrafficOptions, sequence: { orders: number }): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  const link = new AmqpLink(options.url, group.signal);
  let channel: Promise<ConfirmChannel> | undefined;
  group.run('rabbitmq producer orders', options.rate, async () => {
    channel ??= link.connection().then(async (c) => {
      const ch = await c.createConfirmChannel();
      ch.on('error', () => undefined);
      ch.on('close', () => (channel = undefined));
      return ch;
    });
    const ch = await channel.catch((err: Error) => {
      channel = undefined;
      throw err;
    });
    const n = ++sequence.orders;
    const body = { order: n, sku: SKUS[n % SKUS.length], qty: 1 + (n % 3), at: Date.now(), poison: n % RABBITMQ_POISON_EVERY === 0 };
    ch.sendToQueue(RABBITMQ_QUEUE, Buffer.from(JSON.stringify(body)), { persistent: true, contentType: 'application/json' });
    await ch.waitForConfirms();
  });
  return group;
}

export function startRabbitConsumers(options: RabbitTrafficOptions): LoopGroup {
  const group = new LoopGroup(options.signal, options.log);
  const link = new AmqpLink(options.url, group.signal);
  const perWorker = (): number => options.rate() / RABBITMQ_CONSUMERS.length;
  for (const worker of RABBITMQ_CONSUMERS) {
    const inbox = new Inbox();
    let channel: Promise<Channel> | undefined;
    const subscribe = async (): Promise<Channel> => {
      const ch = await (await link.connection()).createChannel();
      ch.on('error', () => undefined);
      // The broker requeues what this channel held; the next step subscribes again.
      ch.on('close', () => ((channel = undefined), inbox.clear()));
      await ch.prefetch(1);
      await ch.consume(RABBITMQ_QUEUE, (m) => m && inbox.put(m), { consumerTag: worker, noAck: false });
      return ch;
    };
    group.run(`rabbitmq consumer ${worker}`, perWorker, async (signal) => {
      channel ??= subscribe().catch((err: Error) => {
        channel = undefined;
        throw err;
      });
      const ch = await channel;
      const message = await inbox.take(signal, 1000);
      if (!message) return;
      // Held for its share of time before the ack, so `unacked` shows work in flight.
      await pace(Date.now(), perWorker(), signal);
      if (signal.aborted) return; // closing the channel requeues it
      if (processable(message)) ch.ack(message);
      else ch.nack(message, false, false);
    });
  }
  return group;
}

/** Messages pushed by the broker, waiting for their worker's loop. */
class Inbox {
  private messages: ConsumeMessage[] = [];
  private waiter?: () => void;

  put(m: ConsumeMessage): void {
    this.messages.push(m);
    this.waiter?.();
  }

  clear(): void {
    this.messages = [];
  }

  async take(signal: AbortSignal, timeoutMs: number): Promise<ConsumeMessage | undefined> {
    if (!this.messages.length) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          this.waiter = undefined;
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        signal.addEventListener('abort', done, { once: true });
        this.waiter = done;
      });
    }
    return this.messages.shift();
  }
}

function processable(m: ConsumeMessage): boolean {
  try {
    const order: unknown = JSON.parse(m.content.toString('utf8'));
    return typeof order === 'object' && order !== null && !('poison' in order && order.poison === true);
  } catch {
    return false;
  }
}
