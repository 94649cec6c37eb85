// The HAProxy, Pacemaker and etcd details on snapshots parsed from the real
// captures: every field of the item, who answered, and only the alerts and
// events about that item.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { ServiceDetail } from '../../src/ui/state/ui-store.js';
import { mentions } from '../../src/ui/panes/detail-lines.js';
import type { BatonStore } from '../../src/store/store.js';
import { T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { etcdSnapshot, haproxyUpdate, pacemakerSnapshot, serviceStore, snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const PM: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01', 'db02'] };
const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['web01', 'web02', 'web03'] };

async function openDetail(store: BatonStore, detail: ServiceDetail, size = { columns: 100, rows: 50 }) {
  const m = mount(store, { viewName: 'ha', size });
  await tick();
  m.app.ui.getState().openServiceDetail(detail);
  await tick();
  return m;
}

const event = (source: string, message: string, severity: 'info' | 'warn' | 'crit' = 'crit') => ({ at: T0, hostId: 'lb01', source, severity, message });

describe('haproxy detail', () => {
  test('a server: every parsed field, the show info figures, who answered and how, its own alerts and events', async () => {
    const store = serviceStore([LB]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-down.csv')], [
      event('haproxy', 'lb01: app/web1 went DOWN (UP -> DOWN)'),
      event('haproxy', 'lb01: app/web2 DRAIN', 'warn'),
    ]);
    const m = await openDetail(store, { kind: 'haproxy', serviceId: 'haproxy:lb01', item: 'server:app/web1' });
    const s = screen(m);
    expect(s).toMatch(/┏━ HAProxy lb01 · server app\/web1 /);
    expect(s).toMatch(/answered by lb01 via socat unix socket/);
    expect(s).toMatch(/data\s+\d+s old \(\d\d:\d\d:\d\d\)/);
    expect(s).toMatch(/HAProxy\s+2\.6\.12-1\+deb12u4 · up 12s · pid \d+ · node \S+ · \d+ threads/);
    expect(s).toMatch(/connections\s+\d+ of \d+ maxconn · \d+ conn\/s · \d+ sess\/s/);
    expect(s).toMatch(/load\s+\d+ % idle · run queue \d+/);
    expect(s).toMatch(/status\s+DOWN/);
    expect(s).toMatch(/weight\s+20 · active server/);
    expect(s).toMatch(/sessions\s+0 now · max 0 · limit 50/);
    expect(s).toMatch(/check\s+L4CON in \d+ ms/);
    expect(s).toMatch(/last change\s+1s ago/);
    expect(s).toMatch(/downtime\s+12s/);
    expect(s).toMatch(/ALERTS\s+│\n.*▲ app\/web1 is DOWN \(check L4CON\)/);
    expect(s).not.toContain('backend empty has no server up');
    expect(s).toMatch(/EVENTS\s+│\n.*\d\d:\d\d:\d\d app\/web1 went DOWN/);
    expect(s).not.toContain('app/web2 DRAIN');
  });

  test('a backend lists its servers; an item gone from the stats says so', async () => {
    const store = serviceStore([LB]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-down.csv')], []);
    const m = await openDetail(store, { kind: 'haproxy', serviceId: 'haproxy:lb01', item: 'backend:app' });
    expect(screen(m)).toMatch(/servers\s+\d\/4 serving/);
    expect(screen(m)).toMatch(/web1\s+DOWN w 20 · 0 sessions · check L4CON/);
    m.app.ui.getState().openServiceDetail({ kind: 'haproxy', serviceId: 'haproxy:lb01', item: 'server:app/gone' });
    await tick();
    expect(screen(m)).toContain('server app/gone is no longer in the stats');
  });
});

describe('pacemaker detail', () => {
  test('a failed resource: record, fail count against its threshold, its failed action; the cluster summary', async () => {
    const store = serviceStore([PM]);
    store.getState().applyServiceUpdates([snapshotUpdate(PM, pacemakerSnapshot('resource-failed'))], [event('pacemaker', 'ha-web: resource web-server moved: node1 -> node2', 'warn')]);
    const m = await openDetail(store, { kind: 'pacemaker', serviceId: 'pacemaker:ha-web', item: 'resource:web-server' });
    const s = screen(m);
    expect(s).toMatch(/┏━ Pacemaker ha-web · resource web-server /);
    expect(s).toMatch(/quorum\s+yes/);
    expect(s).toMatch(/DC\s+node1 · Pacemaker 2\.1\.5/);
    expect(s).toMatch(/stonith\s+DISABLED/);
    expect(s).toMatch(/agent\s+ocf:/);
    expect(s).toMatch(/in\s+group web-group/);
    expect(s).toMatch(/role\s+Started on node2/);
    expect(s).toMatch(/fail count\s+1 on node1/);
    expect(s).toMatch(/migration\s+threshold 1/);
    expect(s).toMatch(/web-server_monitor_10000 on node1/);
    expect(s).toMatch(/not running \(rc 7\) · complete: Simulated action result/);
    expect(s).toMatch(/EVENTS\s+│\n.*resource web-server moved: node1 -> node2/);
  });

  test('a moved resource shows the cli-prefer of its group; a node lists what runs on it', async () => {
    const store = serviceStore([PM]);
    store.getState().applyServiceUpdates([snapshotUpdate(PM, pacemakerSnapshot('resource-moved', 'resource-moved-constraints'))], []);
    const m = await openDetail(store, { kind: 'pacemaker', serviceId: 'pacemaker:ha-web', item: 'resource:web-vip' });
    expect(screen(m)).toMatch(/cli-prefer\s+web-group moved to node3 role Started score ∞ \(cli-prefer-web-group\)/);
    m.app.ui.getState().openServiceDetail({ kind: 'pacemaker', serviceId: 'pacemaker:ha-web', item: 'node:node3' });
    await tick();
    expect(screen(m)).toMatch(/NODE node3/);
    expect(screen(m)).toMatch(/state\s+online/);
    expect(screen(m)).toMatch(/web-vip\s+Started \(web-group\)/);
    expect(screen(m)).toMatch(/cli-prefer\s+web-group moved to node3/);
  });
});

describe('etcd detail', () => {
  test('a member that is down: exact ids, state, raft progress, its errors; quorum and leader', async () => {
    const store = serviceStore([ETCD]);
    store.getState().applyServiceUpdates([snapshotUpdate(ETCD, etcdSnapshot('member-down.txt'))], [event('etcd', 'etcd-main: etcd member etcd2 (http://127.0.47.5:2379) went down', 'warn')]);
    const m = await openDetail(store, { kind: 'etcd', serviceId: 'etcd:etcd-main', item: 'member:9773768292593860544' });
    const s = screen(m);
    expect(s).toMatch(/┏━ etcd etcd-main · member etcd2 /);
    expect(s).toMatch(/cluster id\s+1585119279004528960/);
    expect(s).toMatch(/quorum\s+2\/3 voting members up, 2 needed · tolerates 1 down/);
    expect(s).toMatch(/leader\s+etcd1 \(9025980610755022110\) · raft term 2/);
    expect(s).toMatch(/id\s+9773768292593860544/);
    expect(s).toMatch(/state\s+DOWN/);
    expect(s).toMatch(/raft index\s+– · applied – · gap –/);
    expect(s).toMatch(/error\s+connect: http:\/\/127\.0\.47\.5:2379 refuses connections/);
    expect(s).toMatch(/EVENTS\s+│\n.*etcd member etcd2 .* went down/);
  });

  test('the leader: term, index, applied index and db size', async () => {
    const store = serviceStore([ETCD]);
    store.getState().applyServiceUpdates([snapshotUpdate(ETCD, etcdSnapshot('healthy.txt'))], []);
    const leader = etcdSnapshot('healthy.txt').members.find((x) => x.leader)!;
    const m = await openDetail(store, { kind: 'etcd', serviceId: 'etcd:etcd-main', item: `member:${leader.id}` });
    expect(screen(m)).toMatch(/leader\s+yes · learner no/);
    expect(screen(m)).toMatch(new RegExp(`raft index\\s+${leader.raftIndex} · applied ${leader.raftAppliedIndex} · gap 0`));
    expect(screen(m)).toMatch(/db size\s+\d+K · in use \d+K/);
    expect(screen(m)).toMatch(/errors\s+none/);
  });
});

describe('every detail', () => {
  test('80x24: fits, scrolls with j/k and G, esc goes back', async () => {
    const store = serviceStore([PM]);
    store.getState().applyServiceUpdates([snapshotUpdate(PM, pacemakerSnapshot('resource-failed'))], []);
    const m = await openDetail(store, { kind: 'pacemaker', serviceId: 'pacemaker:ha-web', item: '' }, { columns: 80, rows: 24 });
    const lines = screen(m).split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(screen(m)).toMatch(/cluster ━+ 1-19\/\d+ ━┓/);
    await press(m, 'j');
    expect(screen(m)).toMatch(/cluster ━+ 2-20\/\d+ ━┓/);
    await press(m, 'G');
    expect(screen(m)).toContain('EVENTS');
    await press(m, KEYS.escape);
    expect(screen(m)).toMatch(/┏━ Pacemaker ━/);
  });

  test('a service with no data yet, and one no longer configured', async () => {
    const m = await openDetail(serviceStore([LB]), { kind: 'haproxy', serviceId: 'haproxy:lb01', item: '' });
    expect(screen(m)).toMatch(/HAProxy lb01 · no data yet/);
    expect(screen(m)).toMatch(/data\s+none yet/);
    m.app.ui.getState().openServiceDetail({ kind: 'haproxy', serviceId: 'haproxy:gone', item: '' });
    await tick();
    expect(screen(m)).toContain('this service is no longer configured — esc goes back');
  });

  test('events and alerts match the item by whole name', () => {
    expect(mentions('app/web1 went DOWN', 'app/web1')).toBe(true);
    expect(mentions('app/web1 went DOWN', 'app')).toBe(false);
    expect(mentions('app/web1 went DOWN', 'web1')).toBe(true);
    expect(mentions('app/web10 went DOWN', 'web1')).toBe(false);
    expect(mentions('jobs: 700 waiting', 'jobs')).toBe(true);
    expect(mentions('jobs:dead: 3 new dead letters', 'jobs')).toBe(false);
  });
});
