// The events timeline: newest first, filter, focus, and what Enter opens.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { BatonEvent } from '../../src/store/types.js';
import { eventTarget } from '../../src/ui/panes/event-target.js';
import { fleetStore, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { etcdSnapshot, haproxyUpdate, nginxUpdates, pacemakerSnapshot, queueSnapshot, serviceStore, snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const eventLines = (text: string) => text.split('\n').filter((l) => /^[│┃][> ] \d\d:\d\d:\d\d/.test(l));

test('newest first, with severity', async () => {
  const m = mount(fleetStore());
  await tick();
  const lines = eventLines(screen(m));
  expect(lines[0]).toMatch(/crit lb01\s+lb01 up -> unreachable: lb01: connection refused/);
  expect(lines.slice(1).every((l) => / info /.test(l))).toBe(true);
});

test('tab focuses the events pane; its filter and enter act on it', async () => {
  const m = mount(fleetStore());
  await tick();
  await press(m, KEYS.tab, KEYS.tab);
  expect(screen(m)).toMatch(/┏━ Events 7/);
  await press(m, '/', ...'severity=crit', KEYS.enter);
  expect(eventLines(screen(m))).toHaveLength(1);
  expect(screen(m)).toContain('Events 1');
  // The hosts pane keeps its own (empty) filter.
  expect(screen(m)).toContain('Hosts 6/6');
  await press(m, KEYS.enter);
  expect(screen(m)).toMatch(/┏━ lb01 /);
  await press(m, KEYS.escape);
  expect(screen(m)).toMatch(/┏━ Events 1/);
  await press(m, KEYS.escape);
  expect(screen(m)).toContain('Events 7');
});

test('shift-tab cycles focus backwards', async () => {
  const m = mount(fleetStore());
  await tick();
  await press(m, KEYS.shiftTab);
  expect(screen(m)).toMatch(/┏━ Events/);
  await press(m, KEYS.shiftTab);
  expect(screen(m)).toMatch(/┏━ Cluster load/);
});

test('new events appear at the top while the cursor stays on its event', async () => {
  const store = fleetStore();
  const m = mount(store);
  await tick();
  await press(m, KEYS.tab, KEYS.tab, 'j');
  const before = eventLines(screen(m)).find((l) => /^[│┃]>/.test(l));
  store.getState().addEvent({ at: T0 + 500, hostId: 'web01', source: 'host', severity: 'warn', message: 'web01 up -> timed-out' });
  await tick();
  const lines = eventLines(screen(m));
  expect(lines[0]).toMatch(/warn web01/);
  expect(lines.find((l) => /^[│┃]>/.test(l))).toBe(before);
});

describe('enter on a service event opens what it is about', () => {
  const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
  const PM: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01', 'db02'] };
  const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['web01', 'web02', 'web03'] };
  const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };
  const RABBIT: ServiceDecl = { kind: 'queues', key: 'db01:rabbitmq', candidates: ['db01'] };
  const NG: ServiceDecl = { kind: 'nginx', key: 'lb01', candidates: ['lb01'] };

  function store() {
    const s = serviceStore([LB, PM, ETCD, BROKER, RABBIT, NG]);
    s.getState().applyServiceUpdates(
      [
        haproxyUpdate(LB, 'show-stat-down.csv'),
        snapshotUpdate(PM, pacemakerSnapshot('resource-failed')),
        snapshotUpdate(ETCD, etcdSnapshot('member-down.txt')),
        snapshotUpdate(BROKER, queueSnapshot('steady', T0)),
        ...nginxUpdates(NG, [{ page: 'lab-held.txt', at: T0 }]),
      ],
      [],
    );
    return s;
  }
  const event = (source: string, message: string, hostId = 'lb01'): BatonEvent => ({ id: 1, at: T0, hostId, source, severity: 'warn', message });
  const target = (source: string, message: string, hostId?: string) => eventTarget(event(source, message, hostId), store().getState().services);

  test('the item the message names first, by the names its probe uses', () => {
    expect(target('haproxy', 'lb01: app/web1 went DOWN (UP -> DOWN)')).toEqual({ kind: 'haproxy', serviceId: 'haproxy:lb01', item: 'server:app/web1' });
    expect(target('haproxy', 'lb01: backend empty lost its last server')).toEqual({ kind: 'haproxy', serviceId: 'haproxy:lb01', item: 'backend:empty' });
    expect(target('pacemaker', 'ha-web: resource web-server moved: node1 -> node2', 'db01')).toMatchObject({ serviceId: 'pacemaker:ha-web', item: 'resource:web-server' });
    expect(target('pacemaker', 'ha-web: node node2 went offline', 'db01')).toMatchObject({ item: 'node:node2' });
    // A failed action stands for its resource, as in the pane.
    expect(target('pacemaker', 'ha-web: web-server_monitor_10000 failed on node1: not running', 'db01')).toMatchObject({ item: 'resource:web-server' });
    const etcd2 = etcdSnapshot('member-down.txt').members.find((m) => m.name === 'etcd2')!;
    expect(target('etcd', `etcd-main: etcd member etcd2 (${etcd2.endpoint}) went down`, 'web01')).toMatchObject({ serviceId: 'etcd:etcd-main', item: `member:${etcd2.id}` });
    expect(target('queues', 'db01: jobs:dead: 3 new dead letters in the last 5 polls (3 in all)', 'db01')).toMatchObject({ serviceId: 'queues:db01', item: 'queue:jobs:dead' });
    expect(target('queues', 'db01: jobs: grew for 5 polls in a row (now 700)', 'db01')).toMatchObject({ item: 'queue:jobs' });
  });

  test('the service as a whole when no item is named, or before its first snapshot; the longest key wins', () => {
    expect(target('pacemaker', 'ha-web: cluster lost quorum', 'db01')).toEqual({ kind: 'pacemaker', serviceId: 'pacemaker:ha-web', item: '' });
    expect(target('nginx', 'lb01: nginx has 1204 active connections (over 1000)')).toEqual({ kind: 'nginx', serviceId: 'nginx:lb01', item: '' });
    expect(target('queues', 'db01:rabbitmq: jobs: grew for 5 polls in a row (now 700)', 'db01')).toEqual({ kind: 'queues', serviceId: 'queues:db01:rabbitmq', item: '' });
  });

  test('host events, and events of a service no longer configured, open the host', () => {
    expect(target('host', 'lb01 up -> unreachable: lb01: connection refused')).toEqual({ kind: 'host', hostId: 'lb01' });
    expect(target('haproxy', 'lb09: app/web1 went DOWN (UP -> DOWN)')).toEqual({ kind: 'host', hostId: 'lb01' });
    expect(eventTarget({ ...event('host', 'no host'), hostId: undefined }, {})).toBeUndefined();
  });

  test('in the pane: enter opens the server an HAProxy event names, esc comes back; a host event still opens the host', async () => {
    const s = store();
    s.getState().addEvent({ at: T0 - 1000, hostId: 'lb01', source: 'host', severity: 'crit', message: 'lb01 up -> unreachable: lb01: connection refused' });
    s.getState().addEvent({ at: T0, hostId: 'lb01', source: 'haproxy', severity: 'crit', message: 'lb01: app/web1 went DOWN (UP -> DOWN)' });
    const m = mount(s);
    await tick();
    await press(m, KEYS.tab, KEYS.tab);
    expect(screen(m)).toMatch(/┏━ Events 2/);
    await press(m, KEYS.enter);
    expect(screen(m)).toMatch(/┏━ HAProxy lb01 · server app\/web1 /);
    expect(screen(m)).toMatch(/EVENTS\s+│\n.*app\/web1 went DOWN/);
    await press(m, KEYS.escape);
    expect(screen(m)).toMatch(/┏━ Events 2/);
    await press(m, 'j', KEYS.enter);
    expect(screen(m)).toMatch(/┏━ lb01 /);
  });
});
