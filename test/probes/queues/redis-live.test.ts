// The probe for real: a redis-server of this machine on a free loopback
// port, the remote command run by /bin/sh, its output parsed and derived.
// Once with redis-cli's --json and once with a redis-cli that lacks it.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueAlerts } from '../../../src/probes/queues/queue-alerts.js';
import type { QueueSnapshot } from '../../../src/probes/queues/queue-types.js';
import { deriveQueues } from '../../../src/probes/queues/queue-trends.js';
import { redisQueueProbeCommand, type RedisQueueConfig } from '../../../src/probes/queues/redis-queues.js';
import { parsed, queueNamed } from './fixtures.js';

const run = promisify(execFile);
const available = (cmd: string) => spawnSync(cmd, ['--version']).status === 0;
const ODD = `it's "odd" $(touch pwned)`;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe.runIf(available('redis-server') && available('redis-cli'))('the Redis queue probe against a real redis-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-redis-live-'));
  let server: ChildProcess;
  let redis: Redis;
  let config: RedisQueueConfig;

  beforeAll(async () => {
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    for (let i = 0; spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout.trim() !== 'PONG'; i++) {
      if (i > 100) throw new Error('redis-server did not start');
      await sleep(50);
    }
    redis = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    config = { host: '127.0.0.1', port, streams: ['orders', ODD, 'missing', 'plain'], lists: ['jobs', 'idle-list'], deadLetters: ['jobs:dead'], discover: { pattern: 'disc:*', maxKeys: 10, seconds: 2 } };
    // orders: `workers` took 4 of 10 and acked 1; `audit` never read.
    await redis.xgroup('CREATE', 'orders', 'workers', '$', 'MKSTREAM');
    await redis.xgroup('CREATE', 'orders', 'audit', '$');
    for (let n = 1; n <= 10; n++) await redis.xadd('orders', '*', 'order', String(n));
    const read = (await redis.xreadgroup('GROUP', 'workers', 'worker-1', 'COUNT', 4, 'STREAMS', 'orders', '>')) as [string, [string, string[]][]][];
    await redis.xack('orders', 'workers', read[0]![1][0]![0]);
    await redis.xgroup('CREATE', ODD, 'group "x"', '$', 'MKSTREAM');
    await redis.xadd(ODD, '*', 'a', '1');
    await redis.lpush('jobs', JSON.stringify({ id: 1, at: Date.now() - 5000 }), JSON.stringify({ id: 2, at: Date.now() }));
    await redis.lpush('jobs:dead', 'x', 'y');
    await redis.set('plain', 'not a queue');
    await redis.xadd('disc:s', '*', 'a', '1');
    await redis.lpush('disc:l', 'job');
    await redis.set('disc:str', 'skipped');
  });

  afterAll(async () => {
    redis?.disconnect();
    if (server && server.exitCode === null) {
      server.kill();
      await once(server, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  let lastOutput = '';
  async function probe(path = process.env.PATH ?? ''): Promise<QueueSnapshot> {
    const { stdout } = await run('/bin/sh', ['-c', redisQueueProbeCommand(config)], { cwd: dir, env: { ...process.env, PATH: path } });
    lastOutput = stdout;
    return parsed(stdout, Date.now());
  }

  it('reads streams, groups, lists, dead letters and discovered keys', async () => {
    const s = await probe();
    expect(s.error).toBeUndefined();
    expect(s.serverTime).toBeGreaterThan(0);
    const orders = queueNamed(s, 'orders');
    // audit has all 10 waiting; workers 6 undelivered + 3 pending.
    expect(orders).toMatchObject({ kind: 'stream', length: 10, entriesAdded: 10, depth: 10, group: 'audit', lag: 10, pending: 0, consumers: 1 });
    expect(orders.groups!.find((g) => g.name === 'workers')).toMatchObject({ lag: 6, pending: 3, entriesRead: 4, consumerList: [{ name: 'worker-1', pending: 3 }] });
    expect(orders.oldestAgeMs).toBeGreaterThanOrEqual(0);
    expect(queueNamed(s, ODD)).toMatchObject({ depth: 1, lag: 1, group: 'group "x"' });
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(queueNamed(s, 'missing')).toMatchObject({ depth: null, error: 'XINFO STREAM: ERR no such key' });
    expect(queueNamed(s, 'plain').error).toMatch(/^XINFO STREAM: WRONGTYPE/);
    expect(queueNamed(s, 'jobs').depth).toBe(2);
    expect(queueNamed(s, 'jobs').oldestAgeMs).toBeGreaterThanOrEqual(4000);
    // Redis deletes an empty list: a list queue that is not there is empty, not an error.
    expect(queueNamed(s, 'idle-list')).toMatchObject({ depth: 0, oldestAgeMs: null });
    expect(queueNamed(s, 'idle-list').error).toBeUndefined();
    expect(queueNamed(s, 'jobs:dead')).toMatchObject({ deadLetter: true, depth: 2 });
    expect(s.queues.filter((q) => q.discovered).map((q) => [q.name, q.kind]).sort()).toEqual([['disc:l', 'list'], ['disc:s', 'stream']]);
    expect(s.discovery).toEqual({ outcome: 'complete', found: 2, message: null });
    expect(queueAlerts(deriveQueues(new Map(), s).queues).map((a) => a.message)).toEqual(['orders: group audit has no consumers, 10 waiting', `${ODD}: group group "x" has no consumers, 1 waiting`, 'disc:s: 1 entries and no consumer group']);
  });

  it('reads the same through a redis-cli without --json (--no-raw)', async () => {
    const shim = join(dir, 'bin');
    mkdirSync(shim, { recursive: true });
    const real = spawnSync('sh', ['-c', 'command -v redis-cli'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(shim, 'redis-cli'), `#!/bin/sh\nfor a in "$@"; do [ "$a" = --json ] && { echo "Unrecognized option or bad number of args for: '--json'" >&2; exit 1; }; done\nexec ${real} "$@"\n`);
    chmodSync(join(shim, 'redis-cli'), 0o755);
    const mask = (s: QueueSnapshot) => JSON.stringify({ ...s, takenAt: 0, serverTime: 0 }, (k, v: unknown) => (k === 'idleMs' || k === 'oldestAgeMs' ? typeof v : v));
    const json = await probe();
    expect(lastOutput).toMatch(/^@@baton:format json$/m);
    const noRaw = await probe(`${shim}:${process.env.PATH ?? ''}`);
    expect(lastOutput).toMatch(/^@@baton:format no-raw$/m);
    expect(mask(noRaw)).toBe(mask(json));
  });

  it('measures in and out rates from the stream counters between two polls', async () => {
    await redis.xgroup('CREATE', 'rates', 'g', '$', 'MKSTREAM');
    const consume = async (n: number) => {
      const got = (await redis.xreadgroup('GROUP', 'g', 'c', 'COUNT', n, 'STREAMS', 'rates', '>')) as [string, [string, string[]][]][];
      await redis.xack('rates', 'g', ...got[0]![1].map(([id]) => id));
    };
    await redis.xadd('rates', '*', 'n', '0');
    await consume(1);
    config = { ...config, streams: ['rates'], lists: [], deadLetters: [], discover: undefined };
    const first = await probe();
    for (let n = 1; n <= 30; n++) await redis.xadd('rates', '*', 'n', String(n));
    await consume(20);
    await sleep(50);
    const second = await probe();
    const { history } = deriveQueues(new Map(), first);
    const [q] = deriveQueues(history, second).queues;
    const seconds = (second.serverTime! - first.serverTime!) / 1000;
    expect(q).toMatchObject({ depth: 10, depthChange: 10, inRateBasis: 'measured', outRateBasis: 'measured' });
    expect(q!.inRate! * seconds).toBeCloseTo(30);
    expect(q!.outRate! * seconds).toBeCloseTo(20);
  });
});
