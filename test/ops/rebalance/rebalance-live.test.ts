// `rebalance` (HAProxy lever) against a real haproxy 2.6 on 127.0.14.x in
// front of three real HTTP servers that count what they get, through the
// engine (lock dir, journal). Host loads are the store's, as the console
// has them; traffic is real HTTP through the frontend, so the measured
// shares are HAProxy's and the servers' own counts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, get, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../src/ops/engine/execute.js';
import type { Plan } from '../../../src/ops/engine/plan.js';
import type { Refusal } from '../../../src/ops/engine/registry.js';
import { rebalanceAction } from '../../../src/ops/rebalance/rebalance-action.js';
import type { RebalancePlanArgs } from '../../../src/ops/rebalance/rebalance-plan.js';
import { haproxyProbeCommand, parseHaproxyProbe } from '../../../src/probes/haproxy.js';
import type { HostMetrics } from '../../../src/probes/host-metrics.js';
import { harness, localHost, type Harness } from '../failover/failover-harness.js';

const LB = '127.0.14.1';
const WEB = ['127.0.14.11', '127.0.14.12', '127.0.14.13'];
const PORT = 18514;
let h: Harness;
let haproxy: ChildProcess | undefined;
const servers: Server[] = [];
const counts = [0, 0, 0];

function metrics(load: number): HostMetrics {
  return { load1: 0, load5: 0, load15: 0, cores: 2, cpuPercent: load, memUsedPercent: load, memTotalBytes: 1, swapUsedPercent: null, disks: [], diskUsedPercentMax: null, disksProblem: null, rxBytesPerSec: 0, txBytesPerSec: 0, uptimeSeconds: 1, kernel: 'k', os: 'os' };
}

/** The console's store as the monitor would have it: web2 overloaded. (The harness's state is a plain snapshot; fresh "forever" so the settle does not age it.) */
function setLoads(loads: Record<string, number>): void {
  for (const [id, load] of Object.entries(loads)) Object.assign(h.live.state.hosts[id]!, { conn: 'up', metrics: metrics(load), updatedAt: Number.MAX_SAFE_INTEGER });
}

function request(): Promise<void> {
  return new Promise((resolve) => {
    get({ host: LB, port: PORT, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', () => resolve());
  });
}

/** Requests through the frontend, about `perSecond`, until `stop` resolves. */
async function traffic(perSecond: number, until: Promise<unknown>): Promise<void> {
  let stopped = false;
  void until.finally(() => (stopped = true));
  while (!stopped) {
    await Promise.all([request(), new Promise((r) => setTimeout(r, 1000 / perSecond))]);
  }
}

async function weights(): Promise<Record<string, number | null>> {
  const r = await h.live.transports.get('lb1')!.exec(haproxyProbeCommand(h.live.inventory.hosts[0]!.roles.haproxy!), { timeoutMs: 5000 });
  const parsed = parseHaproxyProbe(r.stdout);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.message);
  return Object.fromEntries(parsed.snapshot.backends.find((b) => b.name === 'web')!.servers.map((s) => [s.name, s.weight]));
}

const done = (r: ActionResult | Refusal): ActionResult => {
  if ('refused' in r) throw new Error(`refused: ${r.reason}`);
  return r;
};

beforeAll(async () => {
  for (const [i, address] of WEB.entries()) {
    const s = createServer((_req, res) => {
      counts[i]! += 1;
      res.end('ok\n');
    });
    await new Promise<void>((r) => s.listen(PORT, address, r));
    servers.push(s);
  }
  h = harness([localHost('lb1', { haproxy: { socket: '' } }), ...['web1', 'web2', 'web3'].map((id) => localHost(id, {}))]);
  const socket = join(h.dir, 'lb1.sock');
  h.live.inventory.hosts[0]!.roles.haproxy = { socket };
  const cfg = join(h.dir, 'lb1.cfg');
  writeFileSync(
    cfg,
    `global\n  stats socket ${socket} mode 600 level admin\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 10s\n  timeout server 10s\nfrontend fe\n  bind ${LB}:${PORT}\n  default_backend web\nbackend web\n  balance roundrobin\n${WEB.map((a, i) => `  server web${i + 1} ${a}:${PORT}\n`).join('')}`,
  );
  haproxy = spawn('haproxy', ['-db', '-f', cfg], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!existsSync(socket) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}, 20_000);

afterAll(async () => {
  haproxy?.kill('SIGKILL');
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

describe('rebalance --lever haproxy on a real haproxy', () => {
  it('refuses when every host is within the band', async () => {
    setLoads({ lb1: 30, web1: 30, web2: 35, web3: 30 });
    const p = await h.plan(rebalanceAction, [], {});
    expect(p).toMatchObject({ refused: true, reason: expect.stringMatching(/^nothing to rebalance: every host is within ±10 of the target 31%/) });
  });

  it('resource_based lowers the overloaded web2\'s weight; show stat and the measured shares follow; verify reports the band', async () => {
    setLoads({ lb1: 20, web1: 20, web2: 90, web3: 20 });
    const plan = (await h.plan(rebalanceAction, [], { strategy: 'resource_based', settle: 3 })) as Plan;
    expect('refused' in plan).toBe(false);
    const args = plan.args as unknown as RebalancePlanArgs;
    // HAProxy's default weight 1 is rescaled by 100 so a 50 % step can move it.
    expect(args.haproxy!.changes.map(({ lb, backend, server, before, after }) => ({ lb, backend, server, before, after }))).toEqual([
      { lb: 'lb1', backend: 'web', server: 'web1', before: 1, after: 141 },
      { lb: 'lb1', backend: 'web', server: 'web2', before: 1, after: 50 },
      { lb: 'lb1', backend: 'web', server: 'web3', before: 1, after: 141 },
    ]);
    expect(plan.locks).toEqual(['haproxy:lb1:web/web1', 'haproxy:lb1:web/web2', 'haproxy:lb1:web/web3']);
    expect(plan.changes).toContainEqual({ target: 'web2', what: 'load (predicted)', before: '90% over', after: expect.stringMatching(/^\d+% /) });

    counts.fill(0);
    let finish!: () => void;
    const running = traffic(60, new Promise<void>((r) => (finish = r)));
    const result = done(await h.act(rebalanceAction, [], { strategy: 'resource_based', settle: 3 }));
    finish();
    await running;
    expect(result.state).toBe('ok');
    expect(await weights()).toEqual({ web1: 141, web2: 50, web3: 141 });
    expect(result.verify.detail).toMatch(/show stat: lb1: web1 weight 141 .*web2 weight 50/);
    const measured = /web2 (\d+)% \(predicted 15%\)/.exec(result.verify.detail);
    expect(measured, result.verify.detail).not.toBeNull();
    expect(Number(measured![1])).toBeLessThan(25);
    expect(result.verify.detail).toMatch(/band: target \d+% ±10: .*outside: .*web2 90% over/);

    // The servers' own counts agree: web2 got well under a third while the new weights held.
    counts.fill(0);
    let stop!: () => void;
    const more = traffic(80, new Promise<void>((r) => (stop = r)));
    await new Promise((r) => setTimeout(r, 2000));
    stop();
    await more;
    const total = counts.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(40);
    expect(counts[1]! / total).toBeLessThan(0.25);

    // Its undo puts the weights back.
    const undo = plan.undo.map((s) => s.label);
    expect(undo).toEqual(['weights back: web1 1, web2 1, web3 1']);
  }, 40_000);

  it('--allow-zero --max-step 100 takes web2, its host at 100 %, out of rotation on the real haproxy; never without it', async () => {
    setLoads({ lb1: 20, web1: 20, web2: 100, web3: 20 });
    const without = (await h.plan(rebalanceAction, [], { strategy: 'resource_based', maxStep: '100', settle: 0 })) as Plan;
    expect((without.args as unknown as RebalancePlanArgs).haproxy!.changes.find((c) => c.server === 'web2')!.after).toBeGreaterThanOrEqual(1);
    const result = done(await h.act(rebalanceAction, [], { strategy: 'resource_based', maxStep: '100', settle: 0, allowZero: true }));
    expect(result.state).toBe('ok');
    expect((await weights()).web2).toBe(0);
    expect(result.verify.detail).toMatch(/show stat: lb1: .*web2 weight 0 \(/);
    expect(result.plan.preconditions).toContainEqual({ what: 'lb1: web/web2 out of rotation (--allow-zero)', ok: true, detail: expect.stringMatching(/sessions drain/) });
  }, 40_000);
});
