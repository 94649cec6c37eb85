// The sync poller over a real read (this machine through a LocalTransport,
// find + sha256sum): the first check at start, none again before N
// intervals, one at once when the store is asked for it, and a clean stop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { HostDrift } from '../../../src/ops/sync/drift.js';
import { SyncPoller } from '../../../src/monitor/sync-poller.js';
import { liveFromStore } from '../../../src/ops/engine/live-context.js';
import { createSyncReader } from '../../../src/ops/sync/sync-reader.js';
import { createBatonStore } from '../../../src/store/store.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { inventory, spec } from '../../ui/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'baton-sync-poller-'));
const transport = new LocalTransport('sp01');
afterAll(async () => {
  await transport.close();
  rmSync(work, { recursive: true, force: true });
});

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('checks at start, again only when asked (N intervals not reached), and stops', async () => {
  writeFileSync(join(work, 'src.cfg'), 'a\n');
  writeFileSync(join(work, 'live.cfg'), 'a\n');
  const inv = { ...inventory([{ ...spec('sp01', ['local']), transport: 'local' as const }]), sync: [{ name: 'cfg', source: { kind: 'local' as const, path: join(work, 'src.cfg') }, targets: 'all', path: join(work, 'live.cfg'), include: [], exclude: [], keep: 5, versions: join(work, 'v') }] };
  const store = createBatonStore(inv);
  store.getState().applyUpdates([{ hostId: 'sp01', kind: 'conn', conn: 'up', at: Date.now() }]);
  const poller = new SyncPoller(createSyncReader(liveFromStore(store, new Map([['sp01', transport]]))), { store, intervalMs: 60_000, everyIntervals: 10, now: Date.now });
  const state = () => (store.getState().sync.sets.cfg!.drift as HostDrift[] | undefined)?.[0]?.state;
  const loop = poller.run(Date.now());
  await until(() => state() === 'in-sync');
  const first = store.getState().sync.sets.cfg!.checkedAt!;
  writeFileSync(join(work, 'live.cfg'), 'b\n');
  await new Promise((r) => setTimeout(r, 300));
  expect(state()).toBe('in-sync');
  store.getState().askSyncRecheck();
  await until(() => state() === 'drifted');
  expect(store.getState().sync.sets.cfg!.checkedAt!).toBeGreaterThan(first);
  poller.stop();
  await loop;
});
