// The lab's Redis server on the mq host: a real redis-server started through
// the lab's daemon spawner, listening on the host's loopback address and on a
// unix socket in the lab dir, with nothing persisted.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { LabContext, LabHost } from '../component.js';
import { LAB_REDIS_PORT } from '../layout.js';
import { killTree, waitGone } from '../process-tree.js';
import type { RedisEndpoint } from './connection.js';

const STARTUP_TIMEOUT_MS = 10_000;
/** sun_path is 108 bytes including the terminating NUL. */
const MAX_SOCKET_PATH = 107;

export interface RedisServer extends RedisEndpoint {
  pid: number;
  socket: string;
  daemon: string;
  logFile: string;
}

export async function startRedisServer(ctx: LabContext, host: LabHost): Promise<RedisServer> {
  const daemon = `redis-${host.id}`;
  const socket = join(ctx.dir, `${daemon}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) {
    throw new Error(`redis socket path ${socket} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter lab dir`);
  }
  const dataDir = join(ctx.dir, daemon);
  await mkdir(dataDir, { recursive: true });
  const args = [
    '--port', String(LAB_REDIS_PORT),
    '--bind', host.address,
    // Loopback only, and the lab has no secrets: no AUTH needed.
    '--protected-mode', 'no',
    '--unixsocket', socket,
    '--unixsocketperm', '700',
    // Nothing persisted: the lab starts empty every time. --dir only catches stray files.
    '--save', '',
    '--appendonly', 'no',
    '--dir', dataDir,
    '--daemonize', 'no',
  ];
  const pid = await ctx.spawnDaemon(daemon, 'redis-server', args);
  const server: RedisServer = { host: host.address, port: LAB_REDIS_PORT, pid, socket, daemon, logFile: join(ctx.dir, 'logs', `${daemon}.log`) };
  try {
    await waitReady(server);
  } catch (err) {
    await stopRedisServer(server);
    throw err;
  }
  return server;
}

/** Stops the server (SIGTERM: a clean shutdown), kills it if it lingers, removes its socket. */
export async function stopRedisServer(server: RedisServer): Promise<void> {
  try {
    process.kill(server.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
  if (!(await waitGone([server.pid], 5000))) await waitGone(killTree(server.pid), 5000);
  await rm(server.socket, { force: true });
}

/**
 * Ready when the TCP port answers and INFO names our pid: a redis left over
 * on the same address would answer too, and ours would have failed to bind.
 */
async function waitReady(server: RedisServer): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    if (await waitGone([server.pid], 0)) throw await startupError(server, 'exited during startup');
    const answer = await infoProcessId(server).catch((err: Error) => err);
    if (answer === server.pid && existsSync(server.socket)) return;
    last = answer instanceof Error ? answer.message : `process_id ${answer} answers on ${server.host}:${server.port}, not ours (${server.pid})`;
    if (Date.now() > deadline) throw await startupError(server, `not ready within ${STARTUP_TIMEOUT_MS / 1000} s (${last})`);
    await sleep(50);
  }
}

async function infoProcessId(endpoint: RedisEndpoint): Promise<number | undefined> {
  const probe = new Redis({ host: endpoint.host, port: endpoint.port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 1000 });
  probe.on('error', () => undefined); // the rejected connect() carries the error
  try {
    await probe.connect();
    const info = await probe.info('server');
    const m = /^process_id:(\d+)/m.exec(info);
    return m ? Number(m[1]) : undefined;
  } finally {
    probe.disconnect();
  }
}

async function startupError(server: RedisServer, why: string): Promise<Error> {
  const log = await readFile(server.logFile, 'utf8').catch(() => '');
  const tail = log.trim().split('\n').slice(-8).join('\n');
  return new Error(`redis-server for ${server.host}:${server.port} ${why}; log ${server.logFile}:\n${tail || '(empty)'}`);
}
