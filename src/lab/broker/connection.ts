// Redis connections of the lab broker's own clients (producers, consumers,
// status). Named, so `CLIENT LIST` on mq1 shows who is who; quick to give up
// on a dead server, so a loop or `lab status` reports instead of hanging.
import { Redis } from 'ioredis';

export interface RedisEndpoint {
  host: string;
  port: number;
}

export interface ConnectOptions {
  /** Client name as `CLIENT LIST` shows it. */
  name: string;
  log(line: string): void;
  /** Unset for connections that run blocking commands (BRPOP, XREADGROUP BLOCK). */
  commandTimeoutMs?: number;
}

export function connectRedis(endpoint: RedisEndpoint, options: ConnectOptions): Redis {
  const redis = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    connectionName: options.name,
    // Fail a command after one reconnect attempt: the loops retry on their own, paced.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    commandTimeout: options.commandTimeoutMs,
  });
  // ioredis emits 'error' on every reconnect attempt; log each new message once.
  let last = '';
  redis.on('error', (err: Error) => {
    if (err.message === last) return;
    last = err.message;
    options.log(`broker client ${options.name}: ${err.message}`);
  });
  redis.on('ready', () => (last = ''));
  return redis;
}
