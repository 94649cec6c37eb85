// M and b on a Pacemaker resource: the node picker (marks and reasons from
// the pane's snapshot, p pins, t types the lifetime, Esc cancels), Enter
// plans through the real action into the confirm dialog, y runs it, and the
// finished move offers C (clear its constraints) in the Actions pane. The
// cluster is a CIB file (real crm_mon, crm_resource, crm_simulate through a
// LocalTransport) that the real scheduler converges; no lab.
import { cleanup } from 'ink-testing-library';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe } from '../../src/probes/pacemaker.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { waitFor } from '../helpers/wait-for.js';
import { localHost } from '../ops/failover/failover-harness.js';
import { GROUP, startConverge, writePlainCib, type Converge } from '../ops/failover/pacemaker/cib-cluster.js';
import { inventory } from './fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from './render-app.js';
import { snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

// Its own cluster name: its own lock key, whatever else runs on the machine.
const CLUSTER = `ui-${process.pid}`;
const DECL: ServiceDecl = { kind: 'pacemaker', key: CLUSTER, candidates: ['pm1'] };
const inv = inventory([localHost('pm1', { pacemaker: { cluster: CLUSTER } })]);
const saved = process.env.CIB_file;
let dir = '';
let converge: Converge | undefined;
let transport: LocalTransport;
let m: Mounted | undefined;
let service: ActionService | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baton-picker-'));
  process.env.CIB_file = writePlainCib(dir);
  converge = startConverge(process.env.CIB_file, 300);
  transport = new LocalTransport('pm1', { commandTimeoutMs: 20_000 });
  await transport.connect();
});

afterEach(async () => {
  cleanup();
  m?.unmount();
  for (const a of service?.progress.getState().actions ?? []) service?.abort(a.id, true);
  await service?.settled();
});

afterAll(async () => {
  await converge?.stop();
  await transport.close();
  if (saved === undefined) delete process.env.CIB_file;
  else process.env.CIB_file = saved;
  rmSync(dir, { recursive: true, force: true });
});

/** The cluster as the pane's probe reads it now. */
async function probed(store: BatonStore): Promise<void> {
  const r = parsePacemakerProbe((await transport.exec(PACEMAKER_PROBE_COMMAND, { timeoutMs: 20_000 })).stdout);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  store.getState().applyServiceUpdates([snapshotUpdate(DECL, r.snapshot, Date.now())], []);
}

/** The console on the HA view, the Pacemaker pane focused, its cursor on web-vip (a member of web-group). */
async function onGroup(): Promise<{ m: Mounted; store: BatonStore; service: ActionService }> {
  const store = createBatonStore(inv, { services: [DECL] });
  await probed(store);
  const transports = new Map([['pm1', transport]]);
  service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(dir, 'journal') });
  m = mount(store, { viewName: 'ha', actions: service, clock: Date.now, size: { columns: 150, rows: 40 } });
  for (let i = 0; i < 6 && !/x standby/.test(screen(m)); i++) await press(m, KEYS.tab);
  const cursor = () => m!.app.ui.getState().cursors.pacemaker?.id ?? '';
  for (let i = 0; i < 40 && !cursor().includes('resource:web-vip'); i++) await press(m, 'j');
  expect(cursor()).toContain('resource:web-vip');
  return { m, store, service };
}

describe('pacemaker node picker', () => {
  test('the key line names M move and b ban; M lists the nodes with marks; Esc cancels', async () => {
    const { m } = await onGroup();
    expect(screen(m)).toMatch(/M move {2}b ban/);
    await press(m, 'M');
    const s = screen(m);
    expect(s).toContain(`Move ${GROUP}`);
    expect(s).toContain(`Pick the node to move ${GROUP} to (web-vip is in it: a member moves with its group or clone)`);
    expect(s).toMatch(/node1\s+runs here now/);
    expect(s).toMatch(/>\s*node2/);
    expect(s).toMatch(/\(no node: ban the current one\)\s+bans node1, even if it is the last node/);
    expect(s).toMatch(/pin off/);
    await press(m, KEYS.escape);
    expect(screen(m)).toContain('cancelled: nothing ran');
    expect(screen(m)).not.toContain(`Move ${GROUP}`);
  });

  test('a node it runs on is refused in the picker; a bad lifetime is refused by the action\'s own parser', async () => {
    const { m } = await onGroup();
    await press(m, 'M', 'k', KEYS.enter);
    expect(screen(m)).toContain(`${GROUP} cannot move to node1: runs here now`);
    await press(m, 'j', 't', ...'10m', KEYS.enter);
    expect(screen(m)).toMatch(/pin on .*lifetime 10m/);
    await press(m, KEYS.enter);
    expect(screen(m)).toContain('--lifetime expects an ISO 8601 duration');
    await press(m, KEYS.escape);
  });

  test('p pins and t types the lifetime: Enter plans pacemaker.move --pin --lifetime into the confirm dialog', async () => {
    const { m, service } = await onGroup();
    await press(m, 'M', 'j', 'p');
    expect(screen(m)).toMatch(/pin on \(move and pin/);
    await press(m, 't', ...'PT10M', KEYS.enter, KEYS.enter);
    await waitFor(() => /Confirm pacemaker\.move/.test(screen(m)), 20_000, 'the confirm dialog');
    expect(screen(m)).toContain(`pacemaker.move ${GROUP} node3 --pin --lifetime PT10M (cluster ${CLUSTER})`);
    expect(screen(m)).toMatch(/crm_resource --move --resource=web-group --node=node3 --lifetime=PT10M/);
    await press(m, KEYS.escape);
    expect(screen(m)).toContain('cancelled: nothing ran');
    expect(service.progress.getState().actions).toEqual([]);
  });

  test('b bans from the picked node: the plan names the cli-ban constraint', async () => {
    const { m } = await onGroup();
    expect(screen(m)).toMatch(/b ban/);
    await press(m, 'b');
    expect(screen(m)).toContain(`Ban ${GROUP}`);
    expect(screen(m)).not.toContain('(no node');
    await press(m, 'j', KEYS.enter);
    await waitFor(() => /Confirm pacemaker\.ban/.test(screen(m)), 20_000, 'the confirm dialog');
    expect(screen(m)).toContain(`pacemaker.ban ${GROUP} node2 (cluster ${CLUSTER})`);
    expect(screen(m)).toContain(`cli-ban-${GROUP}-on-node2`);
    await press(m, KEYS.escape);
  });

  test('n / N: pacemaker.maintenance on / off the item under the cursor, with the pane\'s cluster, into the confirm dialog', async () => {
    const { m } = await onGroup();
    expect(screen(m)).toMatch(/n\/N maint on\/off/);
    await press(m, 'n');
    await waitFor(() => /Confirm pacemaker\.maintenance/.test(screen(m)), 20_000, 'the confirm dialog');
    expect(screen(m)).toContain(`pacemaker.maintenance on web-vip (cluster ${CLUSTER})`);
    expect(screen(m)).toContain("--meta --set-parameter=maintenance --parameter-value=true");
    await press(m, KEYS.escape);
    expect(screen(m)).toContain('cancelled: nothing ran');
  });

  test('y runs the move; once verified, C on it in the Actions pane plans pacemaker.clear', async () => {
    const { m, service } = await onGroup();
    await press(m, 'M', 'j', KEYS.enter);
    await waitFor(() => /Confirm pacemaker\.move/.test(screen(m)), 20_000, 'the confirm dialog');
    await press(m, 'y');
    await waitFor(() => service.progress.getState().actions[0]?.state === 'ok', 60_000, 'the move verified');
    await waitFor(() => /verified · C on it in Actions removes any cli-prefer\/cli-ban left of web-group/.test(screen(m)), 5000, 'the clear offer');
    const where = execFileSync('crm_resource', ['--locate', '--resource', GROUP], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(where).toContain('is running on: node3');
    await press(m, 'C');
    await waitFor(() => /Confirm pacemaker\.clear/.test(screen(m)), 20_000, 'the clear dialog');
    expect(screen(m)).toContain(`pacemaker.clear ${GROUP} (cluster ${CLUSTER})`);
    await press(m, KEYS.escape);
  });
});
