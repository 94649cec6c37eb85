// "held by" marks on locked items: an etcd snapshot parsed from a real
// capture with baton's locks (test/fixtures/etcd/locks-held.txt), its lock
// keys renamed to the test fleet's hosts and the fixtures' items.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { EtcdSnapshot } from '../../src/probes/etcd-types.js';
import { describeHolder, type LockHolder } from '../../src/probes/lock-records.js';
import { lockHolders } from '../../src/store/lock-holders.js';
import { etcdDetail } from '../../src/ui/panes/etcd-detail-lines.js';
import { etcdLines } from '../../src/ui/panes/etcd-lines.js';
import { haproxyDetail } from '../../src/ui/panes/haproxy-detail-lines.js';
import { pacemakerDetail } from '../../src/ui/panes/pacemaker-detail-lines.js';
import type { Line } from '../../src/ui/widgets/styled-lines.js';
import { FLEET, fleetUpdates, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { CTX, etcdSnapshot, haproxySnapshot, pacemakerSnapshot, serviceStore, snapshotUpdate, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd', candidates: ['db01'] };
const captured = etcdSnapshot('locks-held.txt');
const holderOf = (key: string): LockHolder => captured.locks.find((l) => l.key === key)!.holder;
const ops = holderOf('host:web1');
const RENAMED: Record<string, string> = { 'host:web1': 'host:web02', 'pacemaker:prod:resource:web-group; touch /tmp/pwned': 'pacemaker:prod:resource:web-server' };
const snapshot: EtcdSnapshot = { ...captured, locks: captured.locks.map((l) => ({ ...l, key: RENAMED[l.key] ?? l.key })) };
const held = `held by ${describeHolder(ops)}`;
const text = (lines: readonly Line[]) => lines.map((l) => l.map((p) => p.text).join('')).join('\n');

/** The fleet up with metrics, and the etcd snapshot given. */
function lockedStore(etcd: EtcdSnapshot = snapshot) {
  const store = serviceStore([ETCD]);
  store.getState().applyUpdates([...FLEET.map((h) => ({ hostId: h.id, kind: 'conn' as const, conn: 'up' as const, at: T0 })), ...fleetUpdates(T0)]);
  store.getState().applyServiceUpdates([snapshotUpdate(ETCD, etcd)], []);
  return store;
}

describe('lock marks', () => {
  test('the store gathers every etcd snapshot\'s locks by key', () => {
    const holders = lockHolders(lockedStore().getState().services);
    expect([...holders.keys()].sort()).toEqual(['haproxy:lb1:app/web2', 'host:db1', 'host:web02', 'pacemaker:prod:resource:web-server']);
    expect(holders.get('host:web02')).toEqual(ops);
  });

  test('the hosts pane marks the locked host after its state, at 80 columns', async () => {
    const m = mount(lockedStore(), { size: { columns: 80, rows: 30 } });
    await tick();
    const s = screen(m);
    expect(s).toMatch(/│ {2}up L\s+web02 /);
    expect(s).toMatch(/│> up\s+web01 /);
    expect(s).not.toMatch(/up L\s+web01/);
    for (const line of s.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  test('the host detail says who holds the lock, since when and for what', async () => {
    const m = mount(lockedStore());
    await tick();
    await press(m, 'j', KEYS.enter);
    await tick();
    const s = screen(m);
    expect(s).toMatch(/┏━ web02 /);
    expect(s).toMatch(/lock\s+held by ops@laptop \(pid 4242\) since \d\d:\d\d:\d\d: exec "uptime"/);
  });

  test('the etcd pane counts the locks and names the newest holder', async () => {
    const lines = etcdLines(snapshot, { ...CTX, width: 120 });
    // The unreadable record has no time: the newest is one of the action's three (the first by key).
    expect(text(lines)).toContain(` locks 4 held · newest haproxy:lb1:app/web2 ${held}`);
    expect(tokenOf(lines, '4 held')).toBe('warn');
    const m = mount(lockedStore(), { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    // The pane is half the screen wide: the line is cut, the etcd detail has it whole.
    expect(screen(m)).toContain('locks 4 held · newest haproxy:lb1:app/web2 hel…');
  });

  test('the service details show the line on the locked server, resource and member only', () => {
    const holders = lockHolders(lockedStore().getState().services);
    const haproxy = haproxySnapshot('show-stat-down.csv');
    expect(text(haproxyDetail(haproxy, 'server:app/web2', { serviceKey: 'lb1', holders }).lines)).toMatch(new RegExp(`lock\\s+${escape(held)}`));
    expect(text(haproxyDetail(haproxy, 'server:app/web1', { serviceKey: 'lb1', holders }).lines)).not.toContain('held by');
    expect(text(haproxyDetail(haproxy, 'server:app/web2', { serviceKey: 'lb2', holders }).lines)).not.toContain('held by');
    const pacemaker = pacemakerSnapshot('healthy');
    expect(text(pacemakerDetail(pacemaker, 'resource:web-server', { serviceKey: 'prod', holders }).lines)).toMatch(new RegExp(`lock\\s+${escape(held)}`));
    expect(text(pacemakerDetail(pacemaker, 'resource:web-vip', { serviceKey: 'prod', holders }).lines)).not.toContain('held by');
    const withNode = new Map([...holders, ['pacemaker:prod:node:node1', ops], ['etcd:etcd:member:etcd2', ops]]);
    expect(text(pacemakerDetail(pacemaker, 'node:node1', { serviceKey: 'prod', holders: withNode }).lines)).toMatch(new RegExp(`lock\\s+${escape(held)}`));
    const etcd2 = snapshot.members.find((x) => x.name === 'etcd2')!;
    expect(text(etcdDetail(snapshot, `member:${etcd2.id}`, { serviceKey: 'etcd', holders: withNode }).lines)).toMatch(new RegExp(`lock\\s+${escape(held)}`));
    expect(text(etcdDetail(snapshot, `member:${etcd2.id}`, { serviceKey: 'etcd', holders }).lines)).not.toContain('held by');
    expect(text(etcdDetail(snapshot, 'cluster', { serviceKey: 'etcd', holders }).lines)).toMatch(/LOCKS 4\n.*haproxy:lb1:app\/web2 held by ops@laptop/);
  });

  test('a holder\'s control characters reach the screen as visible text', async () => {
    const hostile: EtcdSnapshot = { ...snapshot, locks: [{ key: 'host:web02', holder: { ...ops, action: 'exec "x\x1b[2Jy"' } }] };
    const m = mount(lockedStore(hostile));
    await tick();
    await press(m, 'j', KEYS.enter);
    await tick();
    expect(m.lastFrame()).not.toContain('\x1b[2J');
    expect(screen(m)).toContain('exec "x^[[2Jy"');
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
