// The lab RabbitMQ's fixed shape: one durable work queue (`orders`) whose
// rejected messages are dead-lettered through `orders.dlx` into `orders.dlq`,
// and two users: the lab's own (producers, consumers) and a read-only
// monitoring user for baton's probe. Loaded as a definitions file at boot,
// so the broker is ready with everything declared and no password is ever
// passed on a command line (the file holds salted hashes only).
import { createHash, randomBytes } from 'node:crypto';

export const RABBITMQ_VHOST = '/';
export const RABBITMQ_QUEUE = 'orders';
export const RABBITMQ_DLX = 'orders.dlx';
export const RABBITMQ_DLQ = 'orders.dlq';
export const RABBITMQ_LAB_USER = 'baton-lab';
export const RABBITMQ_MONITOR_USER = 'baton-monitor';
export const RABBITMQ_CONSUMERS = ['orders-worker-1', 'orders-worker-2'] as const;
/** Every POISON_EVERY-th order is rejected by its consumer and dead-lettered (1 %). */
export const RABBITMQ_POISON_EVERY = 100;
/** orders.dlq is capped (x-max-length) so a long lab run stays small. */
export const RABBITMQ_DLQ_MAX = 10_000;

export interface RabbitCredentials {
  lab: string;
  monitor: string;
}

export function newCredentials(): RabbitCredentials {
  const secret = () => randomBytes(18).toString('base64url');
  return { lab: secret(), monitor: secret() };
}

/** rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password)), 4-byte salt. */
export function passwordHash(password: string): string {
  const salt = randomBytes(4);
  const digest = createHash('sha256').update(Buffer.concat([salt, Buffer.from(password, 'utf8')])).digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

/** The definitions document RabbitMQ imports at boot (load_definitions). */
export function labDefinitions(credentials: RabbitCredentials): object {
  const user = (name: string, password: string, tags: string) => ({ name, password_hash: passwordHash(password), hashing_algorithm: 'rabbit_password_hashing_sha256', tags });
  const vhost = RABBITMQ_VHOST;
  return {
    users: [user(RABBITMQ_LAB_USER, credentials.lab, 'administrator'), user(RABBITMQ_MONITOR_USER, credentials.monitor, 'monitoring')],
    vhosts: [{ name: vhost }],
    permissions: [
      { user: RABBITMQ_LAB_USER, vhost, configure: '.*', write: '.*', read: '.*' },
      // Monitoring reads queue figures through the management API only: no AMQP rights.
      { user: RABBITMQ_MONITOR_USER, vhost, configure: '^$', write: '^$', read: '^$' },
    ],
    exchanges: [{ name: RABBITMQ_DLX, vhost, type: 'fanout', durable: true, auto_delete: false, internal: false, arguments: {} }],
    queues: [
      { name: RABBITMQ_QUEUE, vhost, durable: true, auto_delete: false, arguments: { 'x-queue-type': 'classic', 'x-dead-letter-exchange': RABBITMQ_DLX } },
      { name: RABBITMQ_DLQ, vhost, durable: true, auto_delete: false, arguments: { 'x-queue-type': 'classic', 'x-max-length': RABBITMQ_DLQ_MAX } },
    ],
    bindings: [{ source: RABBITMQ_DLX, vhost, destination: RABBITMQ_DLQ, destination_type: 'queue', routing_key: '', arguments: {} }],
  };
}
