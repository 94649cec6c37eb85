// R on the Cluster load pane with a Pacemaker cluster: the dialog offers the
// pacemaker levers (moves, balanced placement, stale constraints); Enter
// plans the move of web-group off the overloaded web1, judged by the real
// crm_simulate on a CIB file (CIB_file, as the lab's sessions have it); y
// runs crm_resource --move and verify sees it on node3.
import { cleanup } from 'ink-testing-library';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import type { HostMetrics } from '../../src/probes/host-metrics.js';
import { createBatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { localHost } from '../ops/failover/failover-harness.js';
import { startConverge, writePlainCib, type Converge } from '../ops/failover/pacemaker/cib-cluster.js';
import { inventory } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';

const WEB = ['web1', 'web2', 'web3'];
let dir = '';
let converge: Converge | undefined;
let m: Mounted | undefined;
const saved = process.env.CIB_file;
const transports = new Map(WEB.map((id) => [id, new LocalTransport(id, { commandTimeoutMs: 30_000 })]));

const metrics = (load: number): HostMetrics => ({ load1: 0, load5: 0, load15: 0, cores: 2, cpuPercent: load, memUsedPercent: load, memTotalBytes: 1, swapUsedPercent: null, disks: [], diskUsedPercentMax: null, disksProblem: null, rxBytesPerSec: 0, txBytesPerSec: 0, uptimeSeconds: 1, kernel: 'k', os: 'os' });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-rebalance-pcmk-ui-'));
  process.env.CIB_file = writePlainCib(dir);
  converge = startConverge(process.env.CIB_file);
});
afterAll(async () => {
  cleanup();
  m?.unmount();
  await converge?.stop();
  await Promise.all([...transports.values()].map((t) => t.close()));
  if (saved === undefined) delete process.env.CIB_file;
  else process.env.CIB_file = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('R with a Pacemaker cluster', () => {
  test('the dialog offers the pacemaker levers; the plan moves web-group off the overloaded node, checked by the scheduler; y runs it', async () => {
    const inv = inventory(WEB.map((id, i) => localHost(id, { pacemaker: { cluster: 'baton-lab', node: `node${i + 1}` } })));
    const store = createBatonStore(inv);
    const now = Date.now();
    store.getState().applyUpdates(WEB.map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: now })));
    store.getState().applyUpdates(Object.entries({ web1: 95, web2: 35, web3: 10 }).map(([hostId, load]) => ({ hostId, kind: 'metrics' as const, metrics: metrics(load), at: now })));
    const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
    m = mount(store, { viewName: 'overview', actions: service, clock: Date.now, size: { columns: 140, rows: 44 } });
    for (let i = 0; i < 6 && !/R rebalance/.test(screen(m)); i++) await press(m, KEYS.tab);
    await press(m, 'R');
    expect(screen(m)).toMatch(/☑ pacemaker {2}☐ pacemaker-balanced {2}☐ pacemaker-stale/);
    expect(screen(m)).toMatch(/pacemaker: resources off an overloaded node, pinned, checked by crm_simulate/);
    // The stale lever is there to pick (and put back): l walks the levers, space toggles.
    await press(m, 'j', ...Array<string>(5).fill('l'), ' ');
    expect(screen(m)).toMatch(/☑ pacemaker-stale/);
    await press(m, ' ');
    expect(screen(m)).toMatch(/☐ pacemaker-stale/);

    await press(m, KEYS.enter);
    await waitFor(() => /Confirm rebalance/.test(screen(m!)), 30_000, 'the confirm dialog');
    const plan = screen(m);
    expect(plan).toMatch(/1 Pacemaker move \(web-group node1 → node3\), checked by the scheduler/);
    expect(plan).toMatch(/web-group: runs on \(crm_resource --move, pinned\): node1 \(web1\) -> node3 \(web3\)/);
    expect(plan).toMatch(/web-vip: runs on \(scheduler prediction\): node1 -> node3/);

    await press(m, 'y');
    await waitFor(() => ['ok', 'failed', 'unknown'].includes(service.progress.getState().actions[0]?.state ?? ''), 45_000, 'the rebalance to finish');
    const done = service.progress.getState().actions[0]!;
    expect(done.state).toBe('ok');
  }, 90_000);
});
