// The lab's RabbitMQ node on mq1: its own epmd (bound to mq1, on a port no
// system epmd uses) and the real rabbitmq-server from the Debian package,
// both lab daemons (they die with the supervisor). Ready when AMQP accepts
// the lab user and the management API answers the monitoring user.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import type { LabContext, LabHost } from '../component.js';
import { LAB_RABBITMQ } from '../layout.js';
import { killTree, waitGone } from '../process-tree.js';
import { epmdOnlyOn } from './epmd-sockets.js';
import { managementGet } from './management.js';
import { RABBITMQ_SCRIPTS, type RabbitFiles } from './rabbitmq-files.js';
import { RABBITMQ_LAB_USER, RABBITMQ_MONITOR_USER, type RabbitCredentials } from './topology.js';

const STARTUP_TIMEOUT_MS = 30_000;
/** Where an Erlang node looks for epmd to register itself: always 127.0.0.1. */
const EPMD_REGISTRATION_ADDRESS = '127.0.0.1';

export interface RabbitServer {
  host: string;
  files: RabbitFiles;
  epmdPid: number;
  pid: number;
  logFile: string;
  /** amqp://user:password@host:port/ for the lab's own clients; never logged. */
  amqpUrl: string;
  managementUrl: string;
  monitor: { user: string; password: string };
}

export async function startRabbitServer(ctx: LabContext, host: LabHost, files: RabbitFiles, credentials: RabbitCredentials): Promise<RabbitServer> {
  const name = `rabbitmq-${host.id}`;
  // Foreground epmd (no -daemon, which would fork away from the lab); cwd in the
  // lab dir so `lab down` recognises it (its command line names no lab path).
  const epmd = epmdOnlyOn([host.address, EPMD_REGISTRATION_ADDRESS], LAB_RABBITMQ.epmdPort);
  const epmdPid = await ctx.spawnDaemon(`epmd-${host.id}`, epmd.command, epmd.args, { cwd: files.dir });
  const server: RabbitServer = {
    host: host.address,
    files,
    epmdPid,
    pid: 0,
    logFile: join(ctx.dir, 'logs', `${name}.log`),
    amqpUrl: `amqp://${RABBITMQ_LAB_USER}:${encodeURIComponent(credentials.lab)}@${host.address}:${LAB_RABBITMQ.amqpPort}/`,
    managementUrl: `http://${host.address}:${LAB_RABBITMQ.managementPort}`,
    monitor: { user: RABBITMQ_MONITOR_USER, password: credentials.monitor },
  };
  try {
    server.pid = await ctx.spawnDaemon(name, join(RABBITMQ_SCRIPTS, 'rabbitmq-server'), [], { env: files.serverEnv, cwd: files.dir });
    await waitReady(server);
  } catch (err) {
    await stopRabbitServer(server);
    throw err;
  }
  return server;
}

/**
 * A clean RabbitMQ stop takes about 7 s; the lab keeps nothing (its Mnesia
 * dir is rewritten at every start), so the VM is killed, then its epmd.
 */
export async function stopRabbitServer(server: RabbitServer): Promise<void> {
  if (server.pid) await waitGone(killTree(server.pid), 5000);
  await waitGone(killTree(server.epmdPid), 5000);
}

async function waitReady(server: RabbitServer): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let last = 'no answer yet';
  for (;;) {
    for (const [pid, what] of [[server.epmdPid, 'epmd'], [server.pid, 'rabbitmq-server']] as const) {
      if (await waitGone([pid], 0)) throw await startupError(server, `${what} exited during startup`);
    }
    last = (await amqpAnswers(server)) ?? (await managementAnswers(server)) ?? '';
    if (!last) return;
    if (Date.now() > deadline) throw await startupError(server, `not ready within ${STARTUP_TIMEOUT_MS / 1000} s (${last})`);
    await sleep(200);
  }
}

/** undefined when the lab user can open a channel; else why not. */
async function amqpAnswers(server: RabbitServer): Promise<string | undefined> {
  try {
    const connection = await amqp.connect(server.amqpUrl, { timeout: 1000 });
    await connection.close();
    return undefined;
  } catch (err) {
    return `AMQP ${server.host}:${LAB_RABBITMQ.amqpPort}: ${(err as Error).message.replace(server.amqpUrl, '<url>')}`;
  }
}

async function managementAnswers(server: RabbitServer): Promise<string | undefined> {
  const reply = await managementGet(server, '/api/overview');
  return reply.ok ? undefined : `management API ${server.managementUrl}: ${reply.error}`;
}

async function startupError(server: RabbitServer, why: string): Promise<Error> {
  const log = await readFile(server.logFile, 'utf8').catch(() => '');
  const tail = log.trim().split('\n').slice(-10).join('\n');
  return new Error(`rabbitmq-server on ${server.host} ${why}; log ${server.logFile}:\n${tail || '(empty)'}`);
}
