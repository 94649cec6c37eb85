// The incident view (the default from 160x45: every pane at once, each in
// its compact form) and the overview's status strip at 80x24, whose keys
// jump to the service's pane.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { etcdAlerts } from '../../src/probes/etcd-alerts.js';
import { pacemakerAlerts } from '../../src/probes/pacemaker-alerts.js';
import { loadConsoleConfig } from '../../src/ui/config/load-console-config.js';
import { formatProblem } from '../../src/ui/config/yaml-file.js';
import { parseView } from '../../src/ui/views/load-views.js';
import { viewPanes } from '../../src/ui/layout.js';
import { fleetStore, T0 } from './fixtures.js';
import { KEYS, mount, NO_USER_CONFIG, press, screen, tick } from './render-app.js';
import { etcdSnapshot, haproxyUpdate, nginxUpdates, pacemakerSnapshot, queueSnapshot, serviceStore, snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const PM: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01', 'db02'] };
const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['web01', 'web02', 'web03'] };
const NGINX: ServiceDecl = { kind: 'nginx', key: 'lb01', candidates: ['lb01'] };
const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };

/** Every service kind configured, from the real probes' captures: a failed resource, a DOWN server, etcd without quorum. */
function incidentStore() {
  const store = serviceStore([PM, LB, ETCD, NGINX, BROKER]);
  const pm = pacemakerSnapshot('resource-failed');
  const etcd = etcdSnapshot('quorum-lost.txt');
  store.getState().applyServiceUpdates(
    [
      snapshotUpdate(PM, pm, T0, { alerts: pacemakerAlerts(pm) }),
      haproxyUpdate(LB, 'show-stat-down.csv'),
      snapshotUpdate(ETCD, etcd, T0, { alerts: etcdAlerts(etcd) }),
      ...nginxUpdates(NGINX, [{ page: 'lab-held.txt', at: T0 }]),
      snapshotUpdate(BROKER, queueSnapshot('steady', T0)),
    ],
    [
      { at: T0 - 2000, source: 'haproxy', hostId: 'lb01', severity: 'crit', message: 'web/web1 went DOWN (UP -> DOWN)' },
      { at: T0 - 1000, source: 'host', hostId: 'web02', severity: 'info', message: 'connected' },
    ],
  );
  return store;
}

const LARGE = { columns: 160, rows: 45 };

describe('the incident view', () => {
  test('is the default at 160x45: every pane at once, each compact, within the screen', async () => {
    const m = mount(incidentStore(), { size: LARGE });
    await tick();
    expect(m.app.ui.getState().view).toBe('incident');
    const s = screen(m);
    const lines = s.split('\n');
    expect(lines).toHaveLength(44);
    expect(lines.every((l) => l.length <= 160)).toBe(true);
    for (const title of ['Hosts', 'Alerts', 'Pacemaker', 'HAProxy', 'etcd', 'NGINX', 'Queues', 'Events 2']) expect(s).toContain(` ${title} `);
    // No database in this inventory: the incident view leaves its pane out.
    expect(s).not.toContain(' Databases ');
    // Compact service panes: the header and the alerts, not the probe's tables.
    expect(s).toMatch(/▲ app\/web1 is DOWN/);
    expect(s).toMatch(/▲ etcd quorum lost/);
    expect(s).not.toContain('BACKEND/SERVER');
    expect(s).toMatch(/lb01 via curl · now/);
    expect(s).toMatch(/✓ no alerts/);
    // The Alerts pane, compact: a line per alert name with the hosts it fires on.
    expect(s).toMatch(/│▲ \S.*crit · \d firing│/);
    expect(s).toMatch(/firing · baton \d+/);
  });

  test('smaller terminals, --view and the config file view keep their choice', async () => {
    const narrow = mount(fleetStore(), { size: { columns: 159, rows: 45 } });
    expect(narrow.app.ui.getState().view).toBe('overview');
    cleanup();
    const short = mount(fleetStore(), { size: { columns: 200, rows: 44 } });
    expect(short.app.ui.getState().view).toBe('overview');
    cleanup();
    // --view, or `view` in config.yaml (it arrives as the same option), wins.
    const chosen = mount(fleetStore(), { size: LARGE, viewName: 'hosts' });
    expect(chosen.app.ui.getState().view).toBe('hosts');
  });

  test('with nothing configured each service pane says which role configures it', async () => {
    const m = mount(fleetStore(), { size: LARGE });
    await tick();
    expect(screen(m).match(/not configured: add roles:/g)).toHaveLength(5);
  });
});

describe('view files', () => {
  test('compact is for service panes, filter for the events pane: elsewhere a problem with its line', () => {
    const bad = parseView('v.yaml', 'v', 'rows:\n  - panes:\n      - pane: hosts\n        compact: true\n      - pane: cluster-load\n        filter: x\n');
    expect(bad.view).toBeUndefined();
    expect(formatProblem(bad.problem!)).toMatch(/v\.yaml:4:.*the hosts pane has no compact form/);
    const always = parseView('v.yaml', 'v', 'rows:\n  - panes:\n      - pane: hosts\n        ifConfigured: true\n');
    expect(formatProblem(always.problem!)).toMatch(/v\.yaml:4:.*the hosts pane is always configured/);
    const good = parseView('v.yaml', 'v', 'strip: true\nrows:\n  - panes:\n      - { pane: etcd, compact: true }\n      - { pane: events, filter: "!severity=info" }\n      - { pane: sync, compact: true }\n      - { pane: databases, compact: true, ifConfigured: true }\n');
    expect(good.problem).toBeUndefined();
    expect(good.view).toMatchObject({ strip: true, rows: [{ panes: [{ pane: 'etcd', compact: true }, { pane: 'events', filter: '!severity=info' }, { pane: 'sync', compact: true }, { pane: 'databases', ifConfigured: true }] }] });
  });
});

describe('the status strip at 80x24', () => {
  const SMALL = { columns: 80, rows: 24 };

  test('the overview names each service state on one line, and the view still fits', async () => {
    const m = mount(incidentStore(), { size: SMALL });
    await tick();
    expect(m.app.ui.getState().view).toBe('overview');
    const lines = screen(m).split('\n');
    expect(lines).toHaveLength(23);
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    // Too long for 80 columns with the services' names: the kinds and their problems stay, names go.
    expect(lines[1]).toBe(' PCMK web-server failed · HAP web1 DOWN · etcd no leader · X NGINX ok · Q ok');
    expect(lines[2]).toMatch(/Hosts/);
  });

  test('jump keys move focus to the service pane, in the view that has it', async () => {
    const m = mount(incidentStore(), { size: SMALL });
    await tick();
    const { views } = loadConsoleConfig(NO_USER_CONFIG);
    const paneAt = async (key: string) => {
      await press(m, key);
      const { view, focus } = m.app.ui.getState();
      return { view, pane: viewPanes(views.find((v) => v.name === view)!)[focus]?.pane };
    };
    expect(await paneAt('H')).toEqual({ view: 'ha', pane: 'haproxy' });
    // The focused pane is drawn with the heavy top edge.
    expect(screen(m)).toMatch(/┏━ HAProxy /);
    expect(await paneAt('P')).toEqual({ view: 'ha', pane: 'pacemaker' });
    expect(await paneAt('e')).toEqual({ view: 'ha', pane: 'etcd' });
    expect(await paneAt('X')).toEqual({ view: 'ha', pane: 'nginx' });
    expect(await paneAt('Q')).toEqual({ view: 'queues', pane: 'queues' });
    // From a detail too: the jump closes it.
    await press(m, KEYS.enter);
    expect(m.app.ui.getState().detail).toBeDefined();
    expect(await paneAt('H')).toEqual({ view: 'ha', pane: 'haproxy' });
    expect(m.app.ui.getState().detail).toBeUndefined();
  });

  test('with room, the strip names the worst service of each kind', async () => {
    const m = mount(incidentStore(), { size: { columns: 120, rows: 30 } });
    await tick();
    expect(screen(m).split('\n')[1]).toBe(' PCMK web-server failed · HAP web1 DOWN +1 alert · etcd no leader +3 alerts · X NGINX ok · Q ok');
  });

  test('no services, no strip: the overview keeps every row', async () => {
    const m = mount(fleetStore(), { size: SMALL });
    await tick();
    expect(screen(m).split('\n')[1]).toMatch(/Hosts/);
  });

  test('? lists the jump keys', async () => {
    const m = mount(incidentStore(), { size: { columns: 160, rows: 44 } });
    await tick();
    await press(m, '?');
    const s = screen(m);
    expect(s).toMatch(/P H e X Q W B B\s+jump to the PCMK HAP etcd NGINX Q ALRT PG MY pane/);
  });
});
