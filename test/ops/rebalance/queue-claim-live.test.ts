// The queue lever against a real redis-server on 127.0.24.2 (this lever's
// own loopback address): the read command and the XAUTOCLAIM step run by
// /bin/sh as they would on the broker host, with names that need quoting;
// pending per consumer after the step is what the plan said.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import type { Inventory } from '../../../src/inventory/types.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import { planQueueLever } from '../../../src/ops/rebalance/queue-lever.js';
import { rebalanceAction } from '../../../src/ops/rebalance/rebalance-action.js';
import type { RebalancePlanArgs } from '../../../src/ops/rebalance/rebalance-plan.js';
import type { HostMetrics } from '../../../src/probes/host-metrics.js';
import { harness, localHost } from '../failover/failover-harness.js';
import { claimReadCommand, parseClaimRead, type ClaimRead } from '../../../src/ops/rebalance/queue-read.js';

const sh = promisify(execFile);
const HOST = '127.0.24.2';
const PORT = 6391;
const STREAM = `it's "odd" $(touch pwned)`;
const GROUP = 'work ers';
let redis: TestRedis;
const cli = (...args: string[]) => redis.cli(...args);

describe.runIf(redisAvailable)('queue lever on a real redis-server', () => {
  // The commands run here: a name that ran as code would leave `pwned` in it.
  const dir = mkdtempSync(join(tmpdir(), 'baton-queue-lever-'));
  const role = { host: HOST, port: PORT, streams: [STREAM] };
  const inventory = { name: 't', format: 'baton', groups: {}, hosts: [{ id: 'mq1', roles: { redis: role } }] } as unknown as Inventory;

  beforeAll(async () => {
    redis = await startTestRedis(HOST, PORT);
    cli('XGROUP', 'CREATE', STREAM, GROUP, '$', 'MKSTREAM');
    for (let n = 0; n < 12; n++) cli('XADD', STREAM, '*', 'n', String(n));
    cli('XREADGROUP', 'GROUP', GROUP, 'gone $(id)', 'COUNT', '7', 'STREAMS', STREAM, '>');
    cli('XREADGROUP', 'GROUP', GROUP, 'busy', 'COUNT', '3', 'STREAMS', STREAM, '>');
    await sleep(1200);
    // Live consumers: they read again after the pause (busy gets 1 more, calm none).
    cli('XREADGROUP', 'GROUP', GROUP, 'busy', 'COUNT', '1', 'STREAMS', STREAM, '>');
    cli('XREADGROUP', 'GROUP', GROUP, 'calm', 'COUNT', '1', 'STREAMS', STREAM, '0');
  }, 20_000);
  afterAll(() => {
    redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function readNow(minIdleMs: number): Promise<ClaimRead> {
    const { stdout } = await sh('/bin/sh', ['-c', claimReadCommand(role, minIdleMs)], { cwd: dir, timeout: 10_000 });
    const r = parseClaimRead(stdout);
    if ('error' in r) throw new Error(r.error);
    return r;
  }

  it('claims the idle consumer\'s entries (and the live one\'s stale ones) for calm, exactly as planned; nothing is run from a name', async () => {
    const lever = planQueueLever(inventory, { redis: [{ hostId: 'mq1', read: await readNow(1000) }], rabbitmq: [] }, 1000, 10_000);
    if (typeof lever === 'string') throw new Error(lever);
    expect(lever.plan.claims).toMatchObject([{ stream: STREAM, group: GROUP, claimer: 'calm', idle: ['gone $(id)'], entries: 10 }]);
    expect(lever.plan.changes.map((c) => [c.consumer, c.before, c.after])).toEqual([
      ['busy', 4, 1],
      ['calm', 0, 10],
      ['gone $(id)', 7, 0],
    ]);
    expect(lever.locks).toEqual([`redis:mq1:${STREAM}/${GROUP}`]);
    const step = lever.steps[0]!;
    expect(step.spec.kind).toBe('command');
    const { stdout } = await sh('/bin/sh', ['-c', (step.spec as { command: string }).command], { cwd: dir, timeout: 10_000 });
    expect(stdout).toMatch(/^10 ids back from XAUTOCLAIM for calm in 1 calls$/m);
    const after = (await readNow(1000)).groups[0]!.consumers;
    for (const c of lever.plan.changes) expect(after.find((x) => x.name === c.consumer)!.pending).toBe(c.after);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout).not.toMatch(/pwned/);
  });

  it('a step against a group that is gone fails with redis-cli\'s words', async () => {
    const lever = planQueueLever(inventory, { redis: [{ hostId: 'mq1', read: { groups: [{ stream: 'nope', group: 'g', consumers: [{ name: 'a', pending: 1, idleMs: 9000 }, { name: 'b', pending: 0, idleMs: 0 }], idleEntries: { a: 1 }, capped: false }], errors: [] } }], rabbitmq: [] }, 1000, 10_000);
    if (typeof lever === 'string') throw new Error(lever);
    const r = await sh('/bin/sh', ['-c', (lever.steps[0]!.spec as { command: string }).command], { timeout: 10_000 }).catch((e: { code: number; stderr: string }) => e);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringMatching(/XAUTOCLAIM: NOGROUP No such key 'nope'/) });
  });

  it('through the engine: hosts within the band do not stop it; plan, lock, XAUTOCLAIM, verify per consumer; no undo', async () => {
    cli('XGROUP', 'CREATE', 'engine', 'g', '$', 'MKSTREAM');
    for (let n = 0; n < 5; n++) cli('XADD', 'engine', '*', 'n', String(n));
    cli('XREADGROUP', 'GROUP', 'g', 'dead', 'COUNT', '5', 'STREAMS', 'engine', '>');
    await sleep(1200);
    cli('XREADGROUP', 'GROUP', 'g', 'alive', 'COUNT', '1', 'STREAMS', 'engine', '0');
    const h = harness([localHost('mq1', { redis: { host: HOST, port: PORT, streams: ['engine'] } })]);
    try {
      const metrics = { load1: 0, load5: 0, load15: 0, cores: 2, cpuPercent: 30, memUsedPercent: 30, memTotalBytes: 1, swapUsedPercent: null, disks: [], diskUsedPercentMax: null, disksProblem: null, rxBytesPerSec: 0, txBytesPerSec: 0, uptimeSeconds: 1, kernel: 'k', os: 'os' } satisfies HostMetrics;
      Object.assign(h.live.state.hosts.mq1!, { conn: 'up', metrics, updatedAt: Number.MAX_SAFE_INTEGER });
      const plan = (await h.plan(rebalanceAction, [], { lever: ['queues'], idle: '1' })) as Plan;
      expect(plan).not.toHaveProperty('refused');
      const args = plan.args as unknown as RebalancePlanArgs;
      expect(args.queues!.changes).toEqual([
        { broker: 'mq1', stream: 'engine', group: 'g', consumer: 'alive', before: 0, after: 5 },
        { broker: 'mq1', stream: 'engine', group: 'g', consumer: 'dead', before: 5, after: 0 },
      ]);
      expect(plan.title).toMatch(/5 pending entries of consumers idle over 1 s claimed \(engine\/g → alive\)/);
      expect(plan.undo).toEqual([]);
      expect(plan.preconditions).toContainEqual({ what: 'queues: no undo', ok: true, detail: expect.stringMatching(/not given back/) });
      const result = await h.act(rebalanceAction, [], { lever: ['queues'], idle: '1' });
      if ('refused' in result) throw new Error(result.reason);
      expect(result.state).toBe('ok');
      expect(result.verify.detail).toMatch(/queues: mq1 pending: engine\/g alive 0 → 5 \(planned 5\), engine\/g dead 5 → 0 \(planned 0\)/);
      // Nothing idle is left: a second rebalance has nothing to claim.
      expect(await h.plan(rebalanceAction, [], { lever: ['queues'], idle: '1' })).toMatchObject({ refused: true, reason: expect.stringMatching(/queues: redis: no consumer idle over 1 s owns pending entries/) });
    } finally {
      await h.close();
    }
  }, 30_000);
});
