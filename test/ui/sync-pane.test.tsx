// The Sync pane on real reads: hosts that are this machine (LocalTransport),
// sets whose drift the sync poller reads with find + sha256sum there (one
// changed byte, a set in sync, a path that is missing), Enter on a drifted
// host shows the diff fetched over the transport, y opens the confirm
// dialog with the sync.apply plan, c asks the poller for a re-check.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSet } from '../../src/inventory/types.js';
import { SyncPoller } from '../../src/monitor/sync-poller.js';
import { builtinActions } from '../../src/ops/builtin-actions.js';
import { createLockManager } from '../../src/ops/engine/locks/create-lock-manager.js';
import { liveFromStore } from '../../src/ops/engine/live-context.js';
import { createSyncReader } from '../../src/ops/sync/sync-reader.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { LocalTransport } from '../../src/transport/local.js';
import type { Transport } from '../../src/transport/types.js';
import { ActionService } from '../../src/ui/actions/action-service.js';
import { syncLines } from '../../src/ui/sync/sync-lines.js';
import { visibleText } from '../../src/ui/visible-text.js';
import { inventory, spec } from './fixtures.js';
import { mount, tick, type Mounted } from './render-app.js';

const IDS = ['sx01', 'sx02'];
let work: string;
let store: BatonStore;
let transports: Map<string, Transport>;
let service: ActionService;
let m: Mounted | undefined;
const savedState = process.env.XDG_STATE_HOME;

const set = (name: string, source: string, path: string): SyncSet => ({ name, source: { kind: 'local', path: source }, targets: 'all', path, include: [], exclude: [], keep: 5, versions: join(work, '.versions', name) });

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error(`timed out; the screen:\n${screen()}`);
    await tick(50);
  }
}
const screen = () => visibleText(m!.lastFrame() ?? '');

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'baton-sync-pane-'));
  process.env.XDG_STATE_HOME = join(work, 'state');
  mkdirSync(join(work, 'src/conf'), { recursive: true });
  mkdirSync(join(work, 'live/conf'), { recursive: true });
  writeFileSync(join(work, 'src/conf/a.cfg'), 'listen 80\nserver web1\n');
  writeFileSync(join(work, 'live/conf/a.cfg'), 'listen 81\nserver web1\n');
  writeFileSync(join(work, 'src/motd'), 'hello\n');
  writeFileSync(join(work, 'live/motd'), 'hello\n');
  writeFileSync(join(work, 'src/one.txt'), 'two\n');
  writeFileSync(join(work, 'live/one.txt'), 'one\n');
  const inv = { ...inventory(IDS.map((id) => ({ ...spec(id, ['local']), transport: 'local' as const, address: '127.0.0.1' }))), sync: [set('conf', join(work, 'src/conf'), join(work, 'live/conf')), set('motd', join(work, 'src/motd'), join(work, 'live/motd')), set('gone', join(work, 'src/motd'), join(work, 'live/nothing-here')), { ...set('one', join(work, 'src/one.txt'), join(work, 'live/one.txt')), targets: 'sx01' }] };
  store = createBatonStore(inv);
  store.getState().applyUpdates(IDS.map((hostId) => ({ hostId, kind: 'conn' as const, conn: 'up' as const, at: Date.now() })));
  transports = new Map<string, Transport>(IDS.map((id) => [id, new LocalTransport(id)]));
  service = new ActionService({ store, registry: builtinActions(), transports, locks: () => createLockManager(inv, transports, 5000), journalDir: join(work, 'journal') });
  await new SyncPoller(createSyncReader(liveFromStore(store, transports)), { store, intervalMs: 1000, everyIntervals: 10, now: Date.now }).checkAll();
  m = mount(store, { actions: service, clock: Date.now, viewName: 'sync', size: { columns: 100, rows: 30 } });
  await tick(100);
});

afterAll(async () => {
  m?.unmount();
  await service.settled();
  await Promise.all([...transports.values()].map((t) => t.close()));
  if (savedState === undefined) delete process.env.XDG_STATE_HOME;
  else process.env.XDG_STATE_HOME = savedState;
  rmSync(work, { recursive: true, force: true });
});

describe('Sync pane', () => {
  it('shows each set and its hosts as read on them: drifted (1 file), in sync, missing, with when checked', () => {
    const text = screen();
    expect(text).toMatch(/conf\s+2 drifted\s+checked \d+s ago/);
    expect(text).toMatch(/sx01\s+drifted \(1 file\)\s+checked \d+s ago\s+a\.cfg drifted/);
    expect(text).toMatch(/motd\s+2 in-sync/);
    expect(text).toMatch(/gone\s+2 missing/);
    expect(text).toMatch(/y apply\s+R rollback\s+c\/r re-check/);
  });

  it('Enter on a drifted host shows the diff, target -> source; esc goes back', async () => {
    m!.stdin.write('j');
    await tick();
    m!.stdin.write('\r');
    await until(() => screen().includes('+listen 80'));
    expect(screen()).toContain('-listen 81');
    expect(screen()).toContain('conf on sx01: target → source');
    m!.stdin.write('\u001b');
    await until(() => !screen().includes('+listen 80'));
    expect(screen()).toMatch(/sx01\s+drifted/);
  });

  it('y plans sync.apply into the confirm dialog', async () => {
    m!.stdin.write('y');
    await until(() => screen().includes('sync conf'));
    expect(screen()).toContain(`sync conf (${join(work, 'live/conf')}) to sx[01-02]`);
    m!.stdin.write('n');
    await tick();
  });

  it('R on a host lists the versions it keeps (hash, time, who); Enter plans sync.rollback to before one', async () => {
    m!.stdin.write('G');
    await tick();
    m!.stdin.write('y');
    await until(() => screen().includes('sync one'));
    m!.stdin.write('y');
    await tick(100);
    await service.settled();
    expect(readFileSync(join(work, 'live/one.txt'), 'utf8')).toBe('two\n');
    m!.stdin.write('4');
    await tick();
    m!.stdin.write('9');
    await tick();
    m!.stdin.write('R');
    await until(() => screen().includes('versions of one on sx01'));
    await until(() => /\d{8}T\d{6}Z-\w+\s+[0-9a-f]{12}\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\S+@\S+\s+1 file/.test(screen()));
    m!.stdin.write('\r');
    await until(() => screen().includes('roll one back on sx01 to before'));
    m!.stdin.write('n');
    await tick();
  });

  it('c asks the poller for a re-check', async () => {
    const before = store.getState().sync.recheckAsked;
    m!.stdin.write('\u001b');
    await tick();
    m!.stdin.write('c');
    await tick();
    expect(store.getState().sync.recheckAsked).toBe(before + 1);
  });
});

describe('the compact block (compact: true in another view)', () => {
  it('keeps one line per set, the hosts left out', () => {
    const lines = syncLines(Object.values(store.getState().sync.sets), Date.now(), true).map((l) => l.map((p) => p.text).join(''));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ conf\s+2 drifted\s+checked/);
    expect(lines.some((l) => l.includes('sx01'))).toBe(false);
  });
});
