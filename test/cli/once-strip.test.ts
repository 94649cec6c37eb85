// `baton --once` in text mode ends with the console's status strip, read
// from what the real probes found: real sshd hosts on 127.0.9.x, a real
// redis-server with a list for the queues, and an NGINX status URL nobody
// serves. --json stays pure JSON.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startFleet, type Fleet } from '../../src/lab/sshd-fleet.js';
import { waitGone } from '../../src/lab/process-tree.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const FIRST_ADDRESS = '127.0.9.1';
const REDIS_ADDRESS = '127.0.9.20';
const DEAD_NGINX_ADDRESS = '127.0.9.21';
const available = (cmd: string) => spawnSync(cmd, ['--version']).status === 0;

async function freePort(address: string): Promise<number> {
  const server = createServer().listen(0, address);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.runIf(available('redis-server'))('baton --once: the status strip', () => {
  let fleet: Fleet;
  let redisServer: ChildProcess;
  let plain: string;
  let withServices: string;

  beforeAll(async () => {
    fleet = await startFleet({ hosts: 2, perProcess: 1, firstAddress: FIRST_ADDRESS, ids: ['app1', 'web1'] });
    const redisPort = await freePort(REDIS_ADDRESS);
    redisServer = spawn('redis-server', ['--port', String(redisPort), '--bind', REDIS_ADDRESS, '--save', '', '--appendonly', 'no', '--dir', fleet.dir], { stdio: 'ignore' });
    const redis = new Redis({ host: REDIS_ADDRESS, port: redisPort, maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 100 ? null : 50) });
    redis.on('error', () => undefined); // refused until redis-server listens
    try {
      for (let i = 0; (await redis.ping().catch(() => '')) !== 'PONG'; i++) {
        if (i > 100) throw new Error('redis-server did not start');
        await sleep(50);
      }
      await redis.lpush('jobs', 'job 1');
    } finally {
      redis.disconnect();
    }

    plain = join(fleet.dir, 'fleet.yaml');
    writeFileSync(plain, fleet.inventoryYaml());
    const inventory = parse(fleet.inventoryYaml()) as { hosts: Record<string, Record<string, unknown>> };
    inventory.hosts['app1']!['roles'] = { redis: { host: REDIS_ADDRESS, port: redisPort, lists: ['jobs'] } };
    const deadPort = await freePort(DEAD_NGINX_ADDRESS);
    inventory.hosts['web1']!['roles'] = { nginx: { statusUrl: `http://${DEAD_NGINX_ADDRESS}:${deadPort}/nginx-status` } };
    withServices = join(fleet.dir, 'services.yaml');
    writeFileSync(withServices, stringify(inventory));
  });

  afterAll(async () => {
    if (redisServer?.pid && redisServer.exitCode === null) {
      redisServer.kill('SIGTERM');
      await waitGone([redisServer.pid], 5000);
    }
    await fleet?.stop();
  });

  it('ends the table with each service kind and its state, the worst service named', () => {
    const r = baton('--once', '-i', withServices, '--known-hosts', fleet.knownHostsFile);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^HOST\s+STATE/);
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['app1 up', 'web1 up']);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('NGINX web1 poll failed · Q ok');
  });

  it('--json carries no strip: stdout is one JSON object', () => {
    const r = baton('--once', '--json', '-i', withServices, '--known-hosts', fleet.knownHostsFile);
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as { nginx: Array<{ error: string | null }> };
    expect(snap.nginx[0]?.error).toMatch(/web1/);
  });

  it('without services the table is the whole output', () => {
    const r = baton('--once', '-i', plain, '--known-hosts', fleet.knownHostsFile);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/^web1\s+up/);
  });
});
