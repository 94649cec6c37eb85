// The queue lever on the lab, end to end with the built CLI: `lab fail
// queue:worker-1` kills one stream worker while it holds entries, and
// `baton act rebalance --lever queues` (over SSH to mq1, redis-cli there)
// claims them for worker-2, the live consumer with the fewest pending;
// pending per consumer before -> after matches the plan. The lab's RabbitMQ
// (one node) is read too and skipped: nothing to spread.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_REDIS_PORT } from '../../src/lab/layout.js';
import { BATON_CLI, startTestLab, type TestLab } from '../helpers/lab.js';

let lab: TestLab;
const state = mkdtempSync(join(tmpdir(), 'baton-rebalance-queues-state-'));

beforeAll(async () => {
  lab = await startTestLab({ with: ['rabbitmq'] });
}, 120_000);
afterAll(async () => {
  await lab?.down();
  rmSync(state, { recursive: true, force: true });
});

const act = (...args: string[]) => spawnSync(process.execPath, [BATON_CLI, 'act', 'rebalance', '--lever', 'queues', '--idle', '2', ...args, '-i', lab.files.inventory, '--json'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, XDG_STATE_HOME: state } });

const pending = (): Record<string, number> => {
  const out = spawnSync('redis-cli', ['-h', '127.0.3.5', '-p', String(LAB_REDIS_PORT), 'XINFO', 'CONSUMERS', 'orders', 'workers'], { encoding: 'utf8', timeout: 5000 }).stdout;
  return Object.fromEntries([...out.matchAll(/name\n(\S+)\npending\n(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
};

interface QueueChange {
  consumer: string;
  before: number;
  after: number;
}

describe('rebalance --lever queues on the lab', () => {
  it('a killed worker\'s pending entries are claimed by the live one; before -> after as planned', async () => {
    // A worker holds an entry most of the time; kill it until it dies holding one (bounded).
    let held = 0;
    for (let attempt = 0; attempt < 10 && held === 0; attempt++) {
      if (attempt > 0) {
        expect(lab.baton('heal', 'queue:worker-1').code).toBe(0);
        await sleep(300);
      }
      const r = lab.baton('fail', 'queue:worker-1');
      expect(r.code, r.stderr).toBe(0);
      held = Number(/leaves (\d+) pending/.exec(r.stdout)?.[1]);
    }
    expect(held).toBeGreaterThan(0);
    expect(lab.status().components.find((c) => c.name === 'broker')!.failed).toEqual(['queue:worker-1']);
    // Idle longer than --idle 2.
    await sleep(2500);
    expect(pending()['worker-1']).toBe(held);

    const planned = act('--plan');
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as { title: string; undo: unknown[]; preconditions: { what: string; ok: boolean; detail?: string }[]; args: { queues: { changes: QueueChange[]; claims: { claimer: string; idle: string[] }[] } } };
    expect(plan.args.queues.claims).toMatchObject([{ claimer: 'worker-2', idle: ['worker-1'] }]);
    const byName = Object.fromEntries(plan.args.queues.changes.map((c) => [c.consumer, c]));
    expect(byName['worker-1']).toMatchObject({ before: held, after: 0 });
    expect(byName['worker-2']!.after).toBe(byName['worker-2']!.before + held);
    expect(plan.undo).toEqual([]);
    expect(plan.preconditions).toContainEqual({ what: 'queues: nothing to move', ok: true, detail: 'mq1 rabbitmq: single-node broker: nothing to spread' });

    const run = act('--yes');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { state: string; verify: string };
    expect(result.state).toBe('ok');
    expect(result.verify).toContain(`orders/workers worker-1 ${held} → 0 (planned 0)`);
    // worker-2 keeps working: its own one entry in flight comes and goes around the claimed ones.
    const w2 = /orders\/workers worker-2 (\d+) → (\d+) \(planned (\d+)\)/.exec(result.verify);
    expect(w2, result.verify).not.toBeNull();
    expect(Math.abs(Number(w2![2]) - Number(w2![3]))).toBeLessThanOrEqual(1);
    const now = pending();
    expect(now['worker-1']).toBe(0);
    // The lab's worker reads only new entries while it runs: the claimed ones stay with it, pending.
    expect(now['worker-2']).toBeGreaterThanOrEqual(held);
    expect(now['worker-2']).toBeLessThanOrEqual(held + 1);

    // Nothing idle is left to claim.
    expect(act('--plan').stderr).toMatch(/queues: redis: no consumer idle over 2 s owns pending entries; mq1 rabbitmq: single-node broker: nothing to spread/);
    expect(lab.baton('heal', 'queue:worker-1').code).toBe(0);
  }, 120_000);
});
