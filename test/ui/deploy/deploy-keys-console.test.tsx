// The Deploy pane's keys through the real engine (plan, confirm dialog,
// locks, journal) on three "hosts" that are this machine (LocalTransports,
// each with a deploy root of its own): n picks the inventory's deploy and a
// release, the confirm dialog shows the batches; p during batch 1 pauses it
// at the boundary (journaled: ux01 on v2, the others on v1); a second
// console resumes it with p; u rolls it back; A aborts, and the pane says
// where each host ended; --read-only refuses n.
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { builtinActions } from '../../../src/ops/builtin-actions.js';
import { createLockManager } from '../../../src/ops/engine/locks/create-lock-manager.js';
import { createBatonStore, type BatonStore } from '../../../src/store/store.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { ActionService } from '../../../src/ui/actions/action-service.js';
import { waitFor } from '../../helpers/wait-for.js';
import { inventory, spec } from '../fixtures.js';
import { KEYS, mount, press, screen, type Mounted } from '../render-app.js';

const ids = ['ux01', 'ux02', 'ux03'];
let dir = '';
let journalDir = '';
const transports = new Map(ids.map((id) => [id, new LocalTransport(id)]));
const mounted: Array<{ m: Mounted; service: ActionService }> = [];

// The inventory's own deploy (its deploys: key), rolling one host at a time; ux01's check is slow, so p lands in batch 1.
const INVENTORY = `name: t
hosts:
  ux01: { address: 127.0.0.1 }
deploys:
  web:
    targets: all
    release: { version: v2, fetch: "echo fetched > marker" }
    deploy_to: "\${vars.deploy_root}"
    strategy: { kind: rolling, serial: 1 }
    stages:
      - { name: fetch, builtin: upload }
      - { name: switch, builtin: link, needs: [fetch] }
      - { name: check, command: "[ \\"$HOST\\" != ux01 ] || sleep 3", needs: [switch] }
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-deploy-keys-'));
  journalDir = join(dir, 'journal');
  writeFileSync(join(dir, 'inventory.yaml'), INVENTORY);
  for (const id of ids) {
    mkdirSync(join(dir, id, 'releases', 'v1'), { recursive: true });
    symlinkSync('releases/v1', join(dir, id, 'current'));
  }
});

afterEach(async () => {
  cleanup();
  for (const { m, service } of mounted.splice(0)) {
    m.unmount();
    for (const a of service.progress.getState().actions) service.abort(a.id, true);
    await service.settled();
  }
});

afterAll(async () => {
  await Promise.all([...transports.values()].map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

const current = () => ids.map((id) => readlinkSync(join(dir, id, 'current')));

function deployConsole(readOnly = false): { m: Mounted; store: BatonStore; service: ActionService } {
  const inv = { ...inventory(ids.map((id) => ({ ...spec(id, ['web'], {}, { deploy_root: join(dir, id) }), transport: 'local' as const, address: '127.0.0.1' }))), file: join(dir, 'inventory.yaml') };
  const store = createBatonStore(inv, { readOnly });
  store.getState().applyUpdates(ids.map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: Date.now() })));
  const service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir });
  const m = mount(store, { viewName: 'deploy', actions: service, clock: Date.now, size: { columns: 140, rows: 44 } });
  mounted.push({ m, service });
  return { m, store, service };
}

describe('Deploy pane keys', () => {
  test('n, the deploy and release, the plan by batch, y; p pauses at the boundary; another console resumes with p; u rolls back', async () => {
    const { m } = deployConsole();
    expect(screen(m)).toContain('no deploy in the journal: n starts one');
    expect(screen(m)).toMatch(/n new deploy.*F promote canary.*u roll back/);
    await press(m, 'n');
    await waitFor(() => /New deploy/.test(screen(m)), 5000, 'the pick dialog');
    expect(screen(m)).toMatch(/lab-rolling\s+rolling · group=web/);
    // The inventory's deploy comes after the shipped files.
    const names = [...screen(m).matchAll(/^[│┃][> ] (\S+) {2,}\S/gm)].map((x) => x[1]);
    await press(m, ...Array<string>(names.indexOf('web')).fill(KEYS.down));
    expect(screen(m)).toMatch(/> web\s+rolling · all/);
    expect(screen(m)).toMatch(/release: v2/);
    await press(m, KEYS.enter);
    await waitFor(() => /Confirm deploy/.test(screen(m)), 15_000, 'the confirm dialog');
    const plan = screen(m);
    expect(plan).toMatch(/batch 1\/3: ux01/);
    expect(plan).toMatch(/switch\s+ux01 current -> releases\/v2/);
    expect(plan).toMatch(/batch 3\/3: ux03/);
    await press(m, 'y');
    await waitFor(() => /web v2 running/.test(screen(m)), 10_000, 'the run in the pane');
    expect(m.app.ui.getState().view).toBe('deploy');
    // In batch 1 (ux01's check takes 3 s): the boundary is the one before batch 2.
    await waitFor(() => /ux01\s+b1 ✓fetch ✓switch/.test(screen(m)), 10_000, 'batch 1 under way');
    await press(m, 'p');
    await waitFor(() => /pausing at the next batch boundary/.test(screen(m)), 5000, 'the pause asked');
    await waitFor(() => /web v2 paused/.test(screen(m)), 20_000, 'paused at the boundary');
    expect(screen(m)).toMatch(/paused by the operator before batch 2\/3 · p resumes, u rolls back/);
    expect(current()).toEqual(['releases/v2', 'releases/v1', 'releases/v1']);
    m.unmount();

    const second = deployConsole();
    await waitFor(() => /web v2 paused/.test(screen(second.m)), 5000, 'the paused deploy in a new console');
    await press(second.m, 'p');
    await waitFor(() => /web v2 ok/.test(screen(second.m)), 30_000, 'resumed to the end');
    expect(current()).toEqual(['releases/v2', 'releases/v2', 'releases/v2']);
    expect(screen(second.m)).toMatch(/ended: current on ux01: v2, ux02: v2, ux03: v2/);

    await press(second.m, 'u');
    await waitFor(() => /Confirm deploy/.test(screen(second.m)), 15_000, 'the rollback plan');
    expect(screen(second.m)).toMatch(/deploy web v1 \(rollback\)/);
    await press(second.m, 'y');
    await waitFor(() => /web v1 ok/.test(screen(second.m)), 30_000, 'rolled back');
    expect(current()).toEqual(['releases/v1', 'releases/v1', 'releases/v1']);
  }, 90_000);

  test('A aborts: no new step; the pane says where each host ended', async () => {
    const { m } = deployConsole();
    await waitFor(() => /web v1 ok/.test(screen(m)), 5000, 'the last run');
    await press(m, 'n');
    await waitFor(() => /New deploy/.test(screen(m)), 5000, 'the pick dialog');
    const names = [...screen(m).matchAll(/^[│┃][> ] (\S+) {2,}\S/gm)].map((x) => x[1]);
    await press(m, ...Array<string>(names.indexOf('web')).fill(KEYS.down), KEYS.enter);
    await waitFor(() => /Confirm deploy/.test(screen(m)), 15_000, 'the confirm dialog');
    await press(m, 'y');
    await waitFor(() => /web v2 running/.test(screen(m)), 10_000, 'the run in the pane');
    await press(m, 'A');
    await waitFor(() => /Abort deploy web v2/.test(screen(m)), 5000, 'the abort dialog');
    await press(m, 'f');
    await waitFor(() => /web v2 (failed|rolled-back)/.test(screen(m)), 30_000, 'the run over');
    // rollback: auto (the default): the deploy stopped, so ux01 went back too.
    expect(screen(m)).toMatch(/ended: current on ux01: v1, ux02: v1, ux03: v1/);
    expect(current()).toEqual(['releases/v1', 'releases/v1', 'releases/v1']);
    await press(m, 'F');
    expect(screen(m)).toMatch(/is not a canary deploy: nothing to promote/);
  }, 60_000);

  test('--read-only: n is refused before anything is read or planned', async () => {
    const { m } = deployConsole(true);
    await press(m, 'n');
    expect(screen(m)).not.toContain('New deploy');
    expect(screen(m)).toMatch(/read-only/);
  });
});
