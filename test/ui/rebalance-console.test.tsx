// R on the Cluster load pane: the rebalance dialog (strategy, levers, band,
// from the inventory's defaults), the plan in the confirm dialog with each
// host's load before → after drawn as bars and every weight change, run by
// y through the real `rebalance` against a real haproxy 2.6 on 127.0.14.x;
// then the pane marks the host that came back into the band.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import type { HostMetrics } from '../../src/probes/host-metrics.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { localHost } from '../ops/failover/failover-harness.js';
import { inventory } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';

let dir = '';
let haproxy: ChildProcess | undefined;
let m: Mounted | undefined;
const transports = new Map<string, LocalTransport>();
const WEB = ['web1', 'web2', 'web3'];

const config = (socket: string) => `global
  stats socket ${socket} mode 600 level admin
defaults
  mode tcp
  timeout connect 1s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.14.21:18534
  default_backend web
backend web
${WEB.map((w, i) => `  server ${w} 127.0.14.${31 + i}:18534`).join('\n')}
`;

function metrics(load: number): HostMetrics {
  return { load1: 0, load5: 0, load15: 0, cores: 2, cpuPercent: load, memUsedPercent: load, memTotalBytes: 1, swapUsedPercent: null, disks: [], diskUsedPercentMax: null, disksProblem: null, rxBytesPerSec: 0, txBytesPerSec: 0, uptimeSeconds: 1, kernel: 'k', os: 'os' };
}

const setLoads = (store: BatonStore, loads: Record<string, number>) =>
  store.getState().applyUpdates(Object.entries(loads).map(([hostId, load]) => ({ hostId, kind: 'metrics' as const, metrics: metrics(load), at: Date.now() })));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-rebalance-ui-'));
  writeFileSync(join(dir, 'lb1.cfg'), config(join(dir, 'lb1.sock')));
  haproxy = spawn('haproxy', ['-db', '-f', join(dir, 'lb1.cfg')], { stdio: 'ignore' });
  await waitFor(() => existsSync(join(dir, 'lb1.sock')), 10_000, 'the admin socket');
  for (const id of ['lb1', ...WEB]) transports.set(id, new LocalTransport(id, { commandTimeoutMs: 10_000 }));
});

afterEach(() => {
  cleanup();
  m?.unmount();
});

afterAll(async () => {
  haproxy?.kill('SIGKILL');
  await Promise.all([...transports.values()].map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('R on the Cluster load pane', () => {
  test('the dialog, the plan with its before/after bars, y runs it, and the pane marks web2 back in the band', async () => {
    const inv = { ...inventory([localHost('lb1', { haproxy: { socket: join(dir, 'lb1.sock') } }), ...WEB.map((id) => localHost(id, {}))]), rebalance: { band: 10, settleSeconds: 1 } };
    const store = createBatonStore(inv);
    store.getState().applyUpdates(['lb1', ...WEB].map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: Date.now() })));
    setLoads(store, { lb1: 20, web1: 20, web2: 90, web3: 20 });
    const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
    m = mount(store, { viewName: 'overview', actions: service, clock: Date.now, size: { columns: 140, rows: 44 } });
    for (let i = 0; i < 6 && !/R rebalance/.test(screen(m)); i++) await press(m, KEYS.tab);
    expect(screen(m)).toContain('R rebalance');
    await press(m, '?');
    expect(screen(m)).toMatch(/R\s+Cluster load pane: rebalan/);
    await press(m, KEYS.escape);

    await press(m, 'R');
    expect(screen(m)).toMatch(/Rebalance/);
    expect(screen(m)).toMatch(/strategy\s+\[resource_based\]/);
    expect(screen(m)).toMatch(/☑ haproxy/);
    await press(m, 'l');
    expect(screen(m)).toMatch(/\[least_loaded\]/);
    await press(m, 'h', 'j', 'j', '+');
    expect(screen(m)).toMatch(/band\s+±11 points/);
    await press(m, KEYS.enter);
    await waitFor(() => /Confirm rebalance/.test(screen(m!)), 30_000, 'the confirm dialog');
    const plan = screen(m);
    expect(plan).toMatch(/load per host, now → predicted · target \d+% → \d+% ±11 · spread \d+ → \d+ points/);
    expect(plan).toMatch(/web2\s+→/); // the bar labels of the host pair
    expect(plan).toMatch(/lb1 web\/web2: weight \(share\): 1 \(33%\) -> 50 \(\d+%\)/);

    await press(m, 'y');
    await waitFor(() => service.progress.getState().actions[0]?.state === 'ok', 30_000, 'the rebalance to finish ok');
    // Back on the overview: web2's load comes back inside the band.
    await press(m, '1');
    setLoads(store, { lb1: 30, web1: 30, web2: 35, web3: 30 });
    // Every host that was outside the band (web2 over, the rest under) and is inside it now.
    await waitFor(() => /back in band after rebalance: lb1 web1 web2 web3/.test(screen(m!)), 5_000, 'the mark');
  }, 60_000);

  test('the queues lever: idle threshold and weight 0 in the dialog; the plan lists pending per consumer before → after; y claims them on a real redis-server', async () => {
    const [host, port] = ['127.0.24.3', 6392];
    const redis = spawn('redis-server', ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const cli = (...args: string[]) => spawnSync('redis-cli', ['-h', host, '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 }).stdout.trim();
    try {
      await waitFor(() => cli('PING') === 'PONG', 10_000, 'redis-server');
      cli('XGROUP', 'CREATE', 'orders', 'workers', '$', 'MKSTREAM');
      for (let n = 0; n < 5; n++) cli('XADD', 'orders', '*', 'n', String(n));
      cli('XREADGROUP', 'GROUP', 'workers', 'dead', 'COUNT', '5', 'STREAMS', 'orders', '>');
      const deadSince = Date.now();
      transports.set('mq1', new LocalTransport('mq1', { commandTimeoutMs: 10_000 }));
      const inv = inventory([localHost('mq1', { redis: { host, port, streams: ['orders'] } })]);
      const store = createBatonStore(inv);
      store.getState().applyUpdates([{ hostId: 'mq1', kind: 'conn' as const, conn: 'up' as const, at: Date.now() }]);
      const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
      m = mount(store, { viewName: 'overview', actions: service, clock: Date.now, size: { columns: 160, rows: 48 } });
      for (let i = 0; i < 6 && !/R rebalance/.test(screen(m)); i++) await press(m, KEYS.tab);
      await press(m, 'R');
      expect(screen(m)).toMatch(/☑ queues/);
      expect(screen(m)).toMatch(/idle\s+60 s/);
      await press(m, 'j', 'j', 'j', ...Array<string>(15).fill('-'));
      expect(screen(m)).toMatch(/idle\s+5 s/);
      await press(m, 'j', ' ');
      expect(screen(m)).toMatch(/weight 0\s+☑ allowed/);
      await press(m, ' ');
      expect(screen(m)).toMatch(/weight 0\s+☐ never/);
      // dead has been idle over 5 s; alive reads now, so it is the live consumer.
      await new Promise((r) => setTimeout(r, Math.max(0, deadSince + 6000 - Date.now())));
      cli('XREADGROUP', 'GROUP', 'workers', 'alive', 'COUNT', '1', 'STREAMS', 'orders', '0');
      setLoads(store, { mq1: 30 });
      await press(m, KEYS.enter);
      await waitFor(() => /Confirm rebalance/.test(screen(m!)), 30_000, 'the confirm dialog');
      expect(screen(m)).toMatch(/mq1 orders\/workers alive: pending entries: 0 -> 5/);
      expect(screen(m)).toMatch(/mq1 orders\/workers dead: pending entries: 5 -> 0/);
      await press(m, 'y');
      await waitFor(() => service.progress.getState().actions[0]?.state === 'ok', 30_000, 'the rebalance to finish ok');
      expect(cli('XINFO', 'CONSUMERS', 'orders', 'workers')).toMatch(/name\nalive\npending\n5\n[\s\S]*name\ndead\npending\n0\n/);
    } finally {
      redis.kill('SIGTERM');
    }
  }, 60_000);

  test('--read-only refuses R before the dialog opens', async () => {
    const inv = inventory(WEB.map((id) => localHost(id, {})));
    const store = createBatonStore(inv, { readOnly: true });
    const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
    m = mount(store, { viewName: 'overview', actions: service, clock: Date.now, size: { columns: 140, rows: 44 } });
    // A focused pane's frame is drawn heavy.
    for (let i = 0; i < 6 && !/┏━ Cluster load/.test(screen(m)); i++) await press(m, KEYS.tab);
    expect(screen(m)).toMatch(/┏━ Cluster load/);
    await press(m, 'R');
    await waitFor(() => /rebalance refused: baton runs with --read-only/.test(screen(m!)), 3_000, 'the refusal');
    expect(screen(m)).not.toMatch(/strategy\s+\[/);
  });
});
