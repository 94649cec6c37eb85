// `baton --once --json` from the built CLI, through a pipe, against real
// daemons on 127.0.43.x: a redis-server whose list grows while baton looks,
// a real NGINX's stub_status, and a broker nobody listens for. Scripts get
// rates and trends (two samples of each service), and a broker that failed
// says so in its `error`.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/cli/snapshot-json.js';
import { httpGet } from '../../src/lab/http-get.js';
import { nginxConfig } from '../../src/lab/nginx-config.js';
import { waitGone } from '../../src/lab/process-tree.js';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
const REDIS_ADDRESS = '127.0.43.1';
const DEAD_REDIS_ADDRESS = '127.0.43.2';
const NGINX_ADDRESS = '127.0.43.6';
const available = (cmd: string, flag = '--version') => spawnSync(cmd, [flag]).status === 0;

async function freePort(address: string): Promise<number> {
  const server = createServer().listen(0, address);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** As root, NGINX runs as nobody (as the lab runs it), owning the paths it uses. */
function asNobody(paths: string[]): string[] {
  if (process.getuid?.() !== 0) return [];
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  for (const p of paths) chownSync(p, id('-u'), id('-g'));
  return ['setpriv', `--reuid=${id('-u')}`, `--regid=${id('-g')}`, '--clear-groups'];
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null) return;
  child.kill('SIGTERM');
  await waitGone([child.pid], 5000);
}

describe.runIf(available('redis-server') && available('redis-cli') && available('nginx', '-v'))('baton --once --json with services', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-once-services-'));
  let redisServer: ChildProcess;
  let nginx: ChildProcess;
  let redis: Redis;
  let inventory: string;

  beforeAll(async () => {
    const port = await freePort(REDIS_ADDRESS);
    redisServer = spawn('redis-server', ['--port', String(port), '--bind', REDIS_ADDRESS, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    redis = new Redis({ host: REDIS_ADDRESS, port, maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 100 ? null : 50) });
    redis.on('error', () => undefined); // refused until redis-server listens
    for (let i = 0; (await redis.ping().catch(() => '')) !== 'PONG'; i++) {
      if (i > 100) throw new Error('redis-server did not start');
      await sleep(50);
    }

    const nginxDir = join(dir, 'nginx');
    mkdirSync(join(nginxDir, 'temp'), { recursive: true });
    writeFileSync(join(nginxDir, 'nginx.conf'), nginxConfig({ lbAddress: NGINX_ADDRESS, dir: nginxDir, accessLog: join(nginxDir, 'access.log') }));
    const user = asNobody([dir, nginxDir, join(nginxDir, 'temp'), join(nginxDir, 'nginx.conf')]);
    const args = ['-c', join(nginxDir, 'nginx.conf'), '-g', 'daemon off;'];
    nginx = user.length ? spawn(user[0]!, [...user.slice(1), 'nginx', ...args], { stdio: 'ignore' }) : spawn('nginx', args, { stdio: 'ignore' });
    const statusUrl = `http://${NGINX_ADDRESS}:8088/nginx-status`;
    for (let i = 0; (await httpGet(statusUrl, 500))?.status !== 200; i++) {
      if (i > 100 || nginx.exitCode !== null) throw new Error('nginx did not start');
      await sleep(50);
    }

    const deadPort = await freePort(DEAD_REDIS_ADDRESS);
    inventory = join(dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      [
        'hosts:',
        '  broker1:',
        '    transport: local',
        // A long tag makes the JSON larger than a pipe holds.
        `    tags: { note: ${'n'.repeat(100_000)} }`,
        '    roles:',
        `      redis: { host: ${REDIS_ADDRESS}, port: ${port}, lists: [jobs] }`,
        `      nginx: { statusUrl: "${statusUrl}" }`,
        '  broker2:',
        '    transport: local',
        '    roles:',
        `      redis: { host: ${DEAD_REDIS_ADDRESS}, port: ${deadPort}, lists: [jobs] }`,
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    await stop(redisServer);
    await stop(nginx);
    rmSync(dir, { recursive: true, force: true });
  });

  it('has measured rates and trends for queues and NGINX, and the failed broker in `error`', async () => {
    // The list grows by one job every 20 ms while baton takes its two samples.
    let pushing = true;
    const pusher = (async () => {
      for (let n = 0; pushing; n++) await Promise.all([redis.lpush('jobs', `job ${n}`), sleep(20)]);
    })();
    const rcFile = join(dir, 'rc');
    let stdout: string;
    try {
      const command = `{ '${process.execPath}' '${CLI}' --once --json -i '${inventory}'; echo $? > '${rcFile}'; } | cat`;
      ({ stdout } = await promisify(execFile)('/bin/sh', ['-c', command], { timeout: 30_000, maxBuffer: 16 << 20 }));
    } finally {
      pushing = false;
      await pusher;
    }
    expect(readFileSync(rcFile, 'utf8').trim()).toBe('0');
    expect(stdout.length).toBeGreaterThan(100_000);
    const snap = JSON.parse(stdout) as Snapshot;

    const jobs = snap.queues.find((q) => q.host === 'broker1' && q.name === 'jobs');
    expect(jobs).toMatchObject({ kind: 'list', error: null, drain: 'growing' });
    for (const field of ['inRate', 'outRate', 'trend'] as const) expect(typeof jobs?.[field], field).toBe('number');
    expect(jobs!.inRate).toBeGreaterThan(5);
    expect(jobs!.trend).toBeGreaterThan(5);

    const [web] = snap.nginx;
    const rates = (web?.data as { rates: { requestsPerSec: number | null; acceptsPerSec: number | null } }).rates;
    expect(web?.error).toBeNull();
    // Each probe's own request counts: at least one between the two samples.
    expect(rates.requestsPerSec).toBeGreaterThan(0);
    expect(typeof rates.acceptsPerSec).toBe('number');

    const ok = snap.brokers.find((b) => b.key === 'broker1');
    const dead = snap.brokers.find((b) => b.key === 'broker2');
    expect(ok?.error).toBeNull();
    expect(dead?.error).toMatch(new RegExp(`${DEAD_REDIS_ADDRESS.replaceAll('.', '\\.')}.*Connection refused`));
    expect((dead?.data as { error?: string }).error).toBe(dead?.error);
  });
});
