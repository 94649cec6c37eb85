// One AMQP connection for a group of lab loops, opened on first use and
// again after the broker dropped it, closed when the group stops. amqplib
// (the usual Node AMQP 0-9-1 client) is used rather than the management
// API's publish/get, which RabbitMQ documents as a test tool: with real
// consumers the broker counts them, holds their unacked messages and
// requeues those when a consumer goes away, as in production.
import amqp, { type ChannelModel } from 'amqplib';

export class AmqpLink {
  private connecting?: Promise<ChannelModel>;

  constructor(
    private readonly url: string,
    private readonly signal: AbortSignal,
  ) {
    signal.addEventListener('abort', () => void this.close(), { once: true });
  }

  connection(): Promise<ChannelModel> {
    if (this.signal.aborted) return Promise.reject(new Error('stopped'));
    this.connecting ??= amqp.connect(this.url, { timeout: 2000 }).then(
      (c) => {
        // 'close' follows every 'error'; the next step reconnects.
        c.on('error', () => undefined);
        c.on('close', () => (this.connecting = undefined));
        if (this.signal.aborted) void c.close().catch(() => undefined);
        return c;
      },
      (err: Error) => {
        this.connecting = undefined;
        // amqplib may put the URL (with the password) in its message.
        throw new Error(err.message.split(this.url).join('amqp://…'));
      },
    );
    return this.connecting;
  }

  async close(): Promise<void> {
    const c = await this.connecting?.catch(() => undefined);
    this.connecting = undefined;
    await c?.close().catch(() => undefined);
  }
}
