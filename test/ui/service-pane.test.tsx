// What every service pane does around its data: not configured (with the
// role to add), waiting for its hosts, a failed poll with its raw output,
// and the HA (with every HA pane filled) and queues views at 80x24.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { alertLines, statusLines } from '../../src/ui/panes/service-block.js';
import type { ServiceState } from '../../src/store/services.js';
import { fleetStore, T0 } from './fixtures.js';
import { mount, screen, tick } from './render-app.js';
import { etcdSnapshot, haproxyUpdate, nginxUpdates, pacemakerSnapshot, queueSnapshot, serviceStore, snapshotUpdate, tokenOf, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const PM: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01', 'db02'] };
const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['web01', 'web02', 'web03'] };
const NGINX: ServiceDecl = { kind: 'nginx', key: 'lb01', candidates: ['lb01'] };
const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };

const flat = (s: string) => s.replace(/[│┃]/g, ' ').replace(/\s+/g, ' ');

describe('service panes without data', () => {
  test('not configured: each pane names the inventory role that configures it', async () => {
    const m = mount(fleetStore(), { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    // Side by side panes wrap their text apart: look for each pane's own words.
    const ha = screen(m);
    expect(ha.match(/not configured: add roles: \{/g)).toHaveLength(5);
    for (const role of ['pacemaker: {', 'haproxy: {', 'etcd: {', 'nginx: {', 'postgresql: {', '/run/haproxy/admin.sock', 'http://127.0.0.1:2379', 'http://127.0.0.1/nginx-status']) expect(ha).toContain(role);
    cleanup();
    const q = mount(fleetStore(), { viewName: 'queues' });
    await tick();
    expect(flat(screen(q))).toContain('not configured: add roles: { redis: { streams: [...], lists: [...] } } to a broker host');
  });

  test('configured, no data yet: waiting for the candidate hosts', async () => {
    const m = mount(serviceStore([PM, LB]), { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    expect(screen(m)).toContain('waiting for db01, db02');
    expect(screen(m)).toContain('waiting for lb01');
  });

  test('a failed poll: the message, then the raw snippet muted; the last snapshot stays', async () => {
    const store = serviceStore([LB]);
    store.getState().applyServiceUpdates([haproxyUpdate(LB, 'show-stat-down.csv', T0 - 10_000)], []);
    store.getState().applyServiceUpdates([{ kind: 'haproxy', key: 'lb01', type: 'error', at: T0, message: "haproxy: no 'show stat' CSV", raw: 'Unknown command.\nPlease enter one of' }], []);
    const m = mount(store, { viewName: 'ha', size: { columns: 100, rows: 40 } });
    await tick();
    const s = screen(m);
    expect(s).toMatch(/lb01 via socat unix socket · 10s ago STALE/);
    expect(s).toMatch(/✖ haproxy: no 'show stat' CSV\s+│\n.*│ {3}Unknown command\.\s+│\n.*│ {3}Please enter one of/);
    expect(s).toMatch(/web1\s+DOWN/);
    const svc = store.getState().services['haproxy:lb01']!;
    expect(tokenOf(statusLines(svc), "✖ haproxy: no 'show stat' CSV")).toBe('crit');
    expect(tokenOf(statusLines(svc), 'Unknown command.')).toBe('muted');
  });

  test('alerts: crit before warn, in their colours', () => {
    const s: ServiceState = { kind: 'etcd', key: 'e', candidates: [], alerts: [{ severity: 'warn', message: 'slow' }, { severity: 'crit', message: 'no leader' }] };
    expect(alertLines(s).map((l) => [l[0]!.text, l[0]!.token])).toEqual([[' ▲ no leader', 'crit'], [' ▲ slow', 'warn']]);
  });
});

describe('80x24', () => {
  async function full(view: string) {
    const store = serviceStore([PM, LB, { ...LB, key: 'lb02', candidates: ['lb02'] }, ETCD, NGINX, BROKER]);
    store.getState().applyServiceUpdates(
      [
        snapshotUpdate(PM, pacemakerSnapshot('resource-failed')),
        haproxyUpdate(LB, 'show-stat-down.csv'),
        haproxyUpdate({ ...LB, key: 'lb02', candidates: ['lb02'] }, 'show-stat-drain-maint.csv'),
        snapshotUpdate(ETCD, etcdSnapshot('quorum-lost.txt')),
        ...nginxUpdates(NGINX, [{ page: 'lab-held.txt', at: T0 }]),
        snapshotUpdate(BROKER, queueSnapshot('steady', T0)),
      ],
      [],
    );
    const m = mount(store, { viewName: view, size: { columns: 80, rows: 24 } });
    await tick();
    return screen(m).split('\n');
  }

  test.each(['ha', 'queues'])('the %s view fits without overflow', async (view) => {
    const lines = await full(view);
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(lines[22]).toMatch(/^j\/k move/);
  });

  test('the HA view still shows the essentials at 80 columns', async () => {
    const s = (await full('ha')).join('\n');
    expect(s).toMatch(/quorum yes DC/);
    expect(s).toMatch(/lb01 via socat/);
    expect(s).toMatch(/quorum 1\/3 up, need 2/);
    expect(s).toMatch(/lb01 via curl · now/);
    expect(s).toMatch(/active\s+151\s+req\/s/);
  });
});
