// A canary step's backlog reading against a real redis-server on 127.0.27.1
// (this test's own address), run by /bin/sh as on the broker host: the lists'
// lengths and the stream groups' lag and pending at the start and the end of
// the pause, with names that need quoting.
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { backlogAnalysisCommand } from '../../../src/ops/deploy/deploy-commands.js';

const HOST = '127.0.27.1';
const PORT = 6392;
const LIST = `jobs "new" $(touch pwned)`;
const STREAM = "it's events";
let redis: TestRedis;
const cli = (...args: string[]) => redis.cli(...args);

/** Runs the reading over a 1 s pause while `during` adds work, as a canary's new release might leave it undone. */
async function reading(maxGrowth: number, during: () => void, role = { host: HOST, port: PORT, lists: [LIST], streams: [STREAM] }) {
  const child = spawn('sh', ['-c', backlogAnalysisCommand('mq1', role, 1000, maxGrowth)], { cwd: tmpdir() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await sleep(400);
  during();
  const code = await closed;
  return { code, stdout, stderr };
}

describe.runIf(redisAvailable)('backlog reading on a real redis-server', () => {
  beforeAll(async () => {
    redis = await startTestRedis(HOST, PORT);
    cli('XGROUP', 'CREATE', STREAM, 'workers', '$', 'MKSTREAM');
    cli('RPUSH', LIST, 'a', 'b');
  }, 20_000);
  afterAll(() => redis?.stop());

  it('passes when the backlog holds, and says what it read', async () => {
    const r = await reading(0, () => undefined);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mq1: backlog (\d+) -> \1 \(0\) over 1 s$/m);
  });

  it('fails when work piles up over the limit: list items and stream entries no consumer took', async () => {
    const r = await reading(3, () => {
      cli('RPUSH', LIST, 'c', 'd');
      for (let n = 0; n < 3; n++) cli('XADD', STREAM, '*', 'n', String(n));
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mq1: backlog grew by 5, over 3');
    expect(spawnSync('ls', [join(tmpdir(), 'pwned')]).status).not.toBe(0);
  });

  it('a broker it cannot read fails the step, saying so', async () => {
    const r = await reading(0, () => undefined, { host: HOST, port: PORT + 1, lists: [LIST], streams: [] });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('mq1: cannot read the backlog with redis-cli');
  });
});
