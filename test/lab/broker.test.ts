// The lab broker is checked with the real redis-cli, the way an operator (or
// the queue probe) sees it: if redis-cli shows the backlog, so will baton.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerComponent } from '../../src/lab/broker/broker-component.js';
import type { LabContext } from '../../src/lab/component.js';
import { LAB_REDIS_PORT } from '../../src/lab/layout.js';
import { allGone } from '../../src/lab/process-tree.js';
import { testLabContext } from '../helpers/lab-context.js';
import { processesMentioning } from '../helpers/processes.js';

// mq1 gets an address of its own here (not 127.0.3.5): a `baton lab` left
// running on this machine holds 127.0.3.5:6379, and the test must not fight it.
const MQ = '127.0.35.5';

/** The test lab with mq1 moved to MQ; `signal` stands in for the lab's own. */
function brokerContext(dir: string, signal?: AbortSignal): LabContext & { close(): Promise<void> } {
  const base = testLabContext(dir);
  const hosts = base.hosts.map((h) => (h.roles.includes('mq') ? { ...h, address: MQ } : h));
  return { ...base, hosts, signal: signal ?? base.signal };
}

/** Runs real redis-cli against mq1; raw output (stdout is not a terminal), bounded by a timeout. */
function cli(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('redis-cli', ['-h', MQ, '-p', String(LAB_REDIS_PORT), ...args], { encoding: 'utf8', timeout: 5000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}`.trim() };
}

function num(...args: string[]): number {
  const { out } = cli(...args);
  const n = Number(out.split('\n')[0]);
  if (!Number.isFinite(n)) throw new Error(`redis-cli ${args.join(' ')} gave ${out}`);
  return n;
}

/** A field of the `workers` group from raw XINFO GROUPS output (one key or value per line). */
function groupField(field: string): string | undefined {
  const lines = cli('XINFO', 'GROUPS', 'orders').out.split('\n');
  const i = lines.indexOf(field);
  return i >= 0 ? lines[i + 1] : undefined;
}

const queues = () => ({
  jobs: num('LLEN', 'jobs'),
  length: num('XLEN', 'orders'),
  pending: num('XPENDING', 'orders', 'workers'),
  lag: Number(groupField('lag')),
});

/** Polls until `check` holds; returns how long it took, fails after timeoutMs. */
async function within(timeoutMs: number, what: string, check: () => boolean): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms; queues ${JSON.stringify(queues())}`);
    await sleep(100);
  }
  return Date.now() - started;
}


const clientNames = (): string[] => cli('CLIENT', 'LIST').out.match(/name=\S*/g) ?? [];

describe('the lab broker on mq1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-broker-'));
  const ctx = brokerContext(dir);
  const broker = new BrokerComponent();
  const socket = join(dir, 'redis-mq1.sock');

  beforeAll(async () => {
    await broker.start(ctx);
  });
  afterAll(async () => {
    await broker.stop();
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the stream, its group and both workers on mq1's address and on a unix socket", () => {
    expect(cli('XINFO', 'GROUPS', 'orders').out).toMatch(/^name\nworkers\nconsumers\n2\n/);
    expect(cli('XINFO', 'CONSUMERS', 'orders', 'workers').out).toMatch(/name\nworker-1[\s\S]*name\nworker-2/);
    expect(cli('CONFIG', 'GET', 'save').out).toBe('save');
    expect(cli('CONFIG', 'GET', 'bind').out).toBe(`bind\n${MQ}`);
    const viaSocket = spawnSync('redis-cli', ['-s', socket, 'PING'], { encoding: 'utf8', timeout: 5000 });
    expect(viaSocket.stdout.trim()).toBe('PONG');
  });

  it('names its clients, so CLIENT LIST on mq1 shows who is who', async () => {
    const expected = ['admin', 'producer', 'worker-1', 'worker-2', 'jobs-worker'].map((n) => `name=baton-lab-${n}`);
    await within(3000, 'clients connect', () => expected.every((n) => clientNames().includes(n)));
  });

  it('keeps the queues near empty while messages flow', async () => {
    const readBefore = Number(groupField('entries-read'));
    for (let i = 0; i < 5; i++) {
      await sleep(400);
      const q = queues();
      expect(q.jobs).toBeLessThanOrEqual(5);
      expect(q.length).toBeLessThanOrEqual(6);
      expect(q.pending).toBeLessThanOrEqual(4);
      expect(q.lag).toBeLessThanOrEqual(4);
    }
    // ~20 orders/s went through the group in those 2 s.
    expect(Number(groupField('entries-read'))).toBeGreaterThan(readBefore + 20);
    const status = await broker.status();
    expect(status).toMatchObject({ name: 'broker', healthy: true, failed: [] });
    expect(status.detail).toMatch(/^orders len \d+ lag \d+ pending \d+, jobs \d+, dead \d+; consumers running \(25\/s\), producers running \(20\/s\)$/);
  });

  it('moves poison jobs to jobs:dead, faster when the rates go up', async () => {
    const dead = num('LLEN', 'jobs:dead');
    broker.setRates({ produce: 300, consume: 400 });
    try {
      await within(5000, 'dead letters', () => num('LLEN', 'jobs:dead') >= dead + 3);
    } finally {
      broker.setRates({ produce: 20, consume: 25 });
    }
    expect(cli('LINDEX', 'jobs:dead', '0').out).toMatch(/^\{"id":\d+00,"task":"resize-image","at":\d{13},"poison":true\}$/);
    expect(() => broker.setRates({ consume: -1 })).toThrow(/consume rate must be 0\.\.1000/);
  });

  it("fail 'queue:consumers' builds a backlog; heal drains it", async () => {
    expect(await broker.fail('queue:consumers')).toMatch(/stopped consumers worker-1, worker-2, jobs-worker/);
    await within(2000, 'consumer connections close', () => !clientNames().some((n) => /worker/.test(n)));
    const stoppedAt = queues();
    await sleep(3000);
    const backlog = queues();
    expect(backlog.jobs).toBeGreaterThan(stoppedAt.jobs + 30);
    expect(backlog.lag).toBeGreaterThan(stoppedAt.lag + 30);
    expect(backlog.length).toBeGreaterThan(stoppedAt.length + 30);
    const status = await broker.status();
    expect(status).toMatchObject({ healthy: false, failed: ['queue:consumers'] });
    expect(status.detail).toMatch(/; consumers stopped, producers running/);

    expect(await broker.heal('queue:consumers')).toMatch(/started consumers/);
    const peak = queues();
    await within(5000, 'jobs and lag drain', () => {
      const q = queues();
      return q.jobs < peak.jobs - 5 && q.lag < peak.lag - 5;
    });
    expect((await broker.status()).failed).toEqual([]);
  });

  it("fail 'queue:producers' stops new messages; heal resumes them", async () => {
    const added = () => Number(cli('XINFO', 'STREAM', 'orders').out.match(/entries-added\n(\d+)/)?.[1]);
    expect(await broker.fail('queue:producers')).toMatch(/stopped producers/);
    const before = added();
    await sleep(500);
    expect(added()).toBe(before);
    expect((await broker.status()).failed).toEqual(['queue:producers']);
    await broker.heal('queue:producers');
    await within(2000, 'producers resume', () => added() > before);
    await expect(broker.fail('queue:bogus')).rejects.toThrow(/knows queue:consumers, queue:producers/);
    expect(broker.owns('queue:consumers') && !broker.owns('etcd:leader')).toBe(true);
  });

  it("fail 'queue:worker-1' kills that worker alone: what it held stays pending under its name, worker-2 goes on; heal restarts it", async () => {
    const pendingOf = (name: string) => Number(new RegExp(`name\\n${name}\\npending\\n(\\d+)`).exec(cli('XINFO', 'CONSUMERS', 'orders', 'workers').out)?.[1] ?? NaN);
    const said = await broker.fail('queue:worker-1');
    expect(said).toMatch(/^killed worker-1: it leaves \d+ pending entr(y|ies) in orders\/workers$/);
    await within(2000, 'worker-1 disconnects', () => !clientNames().includes('name=baton-lab-worker-1'));
    expect(clientNames()).toContain('name=baton-lab-worker-2');
    const held = pendingOf('worker-1');
    expect(said).toContain(`leaves ${held} pending`);
    const status = await broker.status();
    expect(status).toMatchObject({ healthy: false, failed: ['queue:worker-1'] });
    expect(status.detail).toMatch(/consumers running \(25\/s\) \(worker-1 killed\)/);
    const read = Number(groupField('entries-read'));
    await sleep(1000);
    // worker-2 still reads; worker-1's count does not move.
    expect(Number(groupField('entries-read'))).toBeGreaterThan(read + 5);
    expect(pendingOf('worker-1')).toBe(held);
    expect(await broker.fail('queue:worker-1')).toBe('worker-1 was already killed');
    expect(await broker.heal('queue:worker-1')).toMatch(/^started worker-1/);
    await within(3000, 'worker-1 finishes what it held', () => clientNames().includes('name=baton-lab-worker-1') && pendingOf('worker-1') <= 1);
    expect((await broker.status()).failed).toEqual([]);
  });

  it('stop() leaves no redis-server and no socket', async () => {
    const pid = cli('INFO', 'server').out.match(/process_id:(\d+)/)?.[1];
    expect(processesMentioning(`${MQ}:${LAB_REDIS_PORT}`)).toEqual([expect.stringMatching(new RegExp(`^${pid}: redis-server ${MQ}:${LAB_REDIS_PORT}`))]);
    await broker.stop();
    // Killed means gone or a zombie its parent has not reaped yet.
    expect(allGone([Number(pid)])).toBe(true);
    expect(processesMentioning(`${MQ}:${LAB_REDIS_PORT}`)).toEqual([]);
    expect(existsSync(socket)).toBe(false);
    expect(cli('PING').out).toMatch(/Connection refused/);
    expect(await broker.status()).toMatchObject({ healthy: false, detail: 'not running' });
  });
});

describe('the lab going down', () => {
  it("stops every producer and consumer loop when the lab's signal aborts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-broker-'));
    const lab = new AbortController();
    const ctx = brokerContext(dir, lab.signal);
    const broker = new BrokerComponent();
    try {
      await broker.start(ctx);
      await within(3000, 'clients connect', () => clientNames().length >= 5);
      lab.abort();
      await within(2000, 'clients gone', () => clientNames().every((n) => n === 'name='));
    } finally {
      await broker.stop();
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
