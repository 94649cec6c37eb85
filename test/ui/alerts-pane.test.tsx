// The Alerts pane in the alerts view at 80x24, fed through the monitor's own
// service plan with the real Alertmanager and Prometheus output
// (test/fixtures/alerts): groups, source marks, the host an alert names
// (and its ▲ badge in the hosts pane), silenced ones marked, baton's own
// alerts beside them; Enter lists every label and annotation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { planServices } from '../../src/monitor/service-plan.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { buildSnapshot } from '../../src/cli/snapshot-json.js';
import { inventory, spec } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

const fx = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/alerts', name), 'utf8');
/** A minute after the fixtures' alerts started. */
const NOW = Date.parse('2026-12-03T19:38:16.179Z');

function alertsStore(file = 'probe-full.txt'): BatonStore {
  const mon = { ...spec('mon1', ['mon']), roles: { alertmanager: { url: 'http://127.0.18.1:19093' }, prometheus: { url: 'http://127.0.18.1:19090' } } };
  // The dead scrape target's address is this host's: the alert names it.
  const web2 = { ...spec('web2', ['web']), address: '127.0.18.1' };
  const inv = inventory([mon, web2]);
  const probes = planServices(inv);
  const store = createBatonStore(inv, { services: probes, now: () => NOW });
  const probe = probes.find((p) => p.kind === 'alerts')!;
  const parsed = probe.parse(fx(file), NOW);
  if (parsed.kind !== 'snapshot') throw new Error(parsed.kind === 'parse-error' ? parsed.message : parsed.kind);
  store.getState().applyServiceUpdates(
    [{ kind: 'alerts', key: 'mon1', type: 'snapshot', at: NOW, answeredBy: 'mon1', snapshot: parsed.snapshot, alerts: probe.alerts(parsed.snapshot) }],
    probe.events(undefined, parsed.snapshot).map((n) => ({ at: NOW, source: 'alerts', severity: n.severity, message: `mon1: ${n.message}`, hostId: n.hostId })),
  );
  store.getState().applyServiceUpdates([{ kind: 'alerts', key: 'mon1', type: 'snapshot', at: NOW, answeredBy: 'mon1', snapshot: parsed.snapshot, alerts: probe.alerts(parsed.snapshot) }], []);
  store.getState().applyUpdates([{ hostId: 'web2', kind: 'conn', conn: 'unreachable', at: NOW - 90_000, reason: 'connect ECONNREFUSED' }]);
  return store;
}

const SMALL = { columns: 80, rows: 24 };

describe('alerts view at 80x24', () => {
  test('fits; groups by alertname and severity, marks the source, names the host, dims what is silenced', async () => {
    const store = alertsStore();
    const m = mount(store, { viewName: 'alerts', size: SMALL, clock: () => NOW + 60_000 });
    await tick();
    const s = screen(m);
    const lines = s.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(s).toMatch(/> BackendServerDown\s+critical · 1 firing/);
    expect(s).toMatch(/1m\s+AM\s+web2\s+127\.0\.18\.1:19099 does not answer/);
    expect(s).toMatch(/AM\s+\[silenced\] always firing; silenced by the/);
    expect(s).toMatch(/PROM\s+web2\s+\[pending\] pending for an hour/);
    // baton's own, beside them: the host that is down.
    expect(s).toMatch(/▲ host unreachable\s+crit · 1 firing/);
    expect(s).toMatch(/baton\s+web2\s+web2: connect ECONNREFUSED/);
    expect(s).toContain('1 firing · 2 silenced/inhibited · baton 1');
    // The hosts pane marks the host the firing alert names.
    expect(s).toMatch(/web2 ▲1/);
    // The starts-firing events are in the timeline, the firing one about web2.
    expect(s).toContain('alerts mon1: alert st');
    expect(store.getState().events.find((e) => e.message.includes('starts firing: BackendServerDown '))).toMatchObject({ severity: 'crit', hostId: 'web2', source: 'alerts' });
  });

  test('compact (the incident view at 160x45): a line per alertname that fires, naming its hosts; the rest in one line', async () => {
    const m = mount(alertsStore(), { size: { columns: 160, rows: 45 }, clock: () => NOW + 60_000 });
    await tick();
    expect(m.app.ui.getState().view).toBe('incident');
    const s = screen(m);
    expect(s).toMatch(/▲ BackendServerDown web2\s+critical · 1 firing/);
    expect(s).toMatch(/▲ host unreachable web2\s+crit · 1 firing/);
    // Not each alert's own line, and nothing silenced or pending by name.
    expect(s).not.toMatch(/127\.0\.18\.1:19099 does not answer/);
    expect(s).not.toMatch(/│▲ Watchdog/);
    expect(s).toMatch(/│ \+ 1 silenced, 1 inhibited, 1 pending\s+│/);
  });

  test('Enter on an alert lists every label and annotation; the silenced one names its silence', async () => {
    const m = mount(alertsStore(), { viewName: 'alerts', size: { columns: 100, rows: 40 }, clock: () => NOW + 60_000 });
    await tick();
    await press(m, KEYS.down, KEYS.enter);
    let s = screen(m);
    expect(s).toContain('BackendServerDown (critical)');
    for (const text of ['alertname', 'instance', '127.0.18.1:19099', 'job', 'dead', 'description', 'Scrape of 127.0.18.1:19099 failed.', 'generator']) expect(s).toContain(text);
    await press(m, KEYS.escape);
    // The silenced Watchdog: up from the last line, past baton's own and the pending group.
    await press(m, 'G', KEYS.up, KEYS.up, KEYS.up, KEYS.up, KEYS.enter);
    s = screen(m);
    expect(s).toContain('Watchdog (warning)');
    expect(s).toContain('SILENCED BY');
    expect(s).toMatch(/active\s+[0-9a-f]{8} alertname="Watchdog"/);
  });

  test('Enter on an alert event in the timeline opens that alert', async () => {
    const m = mount(alertsStore(), { viewName: 'alerts', size: { columns: 100, rows: 40 }, clock: () => NOW + 60_000 });
    await tick();
    // Focus the events pane (alerts, hosts, events), filter it to the critical alerts event.
    await press(m, KEYS.tab, KEYS.tab, '/');
    await press(m, ...'source=alerts severity=crit', KEYS.enter, KEYS.enter);
    const s = screen(m);
    expect(s).toContain('BackendServerDown (critical)');
    expect(s).toContain('Scrape of 127.0.18.1:19099 failed.');
  });

  test('--once --json: an alerts section, each alert with its source, state and labels', () => {
    const snap = buildSnapshot(alertsStore().getState(), NOW);
    expect(snap.alerts.map((a) => [a.source, a.name, a.severity, a.state, a.host])).toEqual([
      ['alertmanager', 'BackendServerDown', 'critical', 'firing', 'web2'],
      ['alertmanager', 'BackendServerDownInfo', 'info', 'inhibited', 'web2'],
      ['alertmanager', 'Watchdog', 'warning', 'silenced', null],
      ['prometheus', 'PrometheusUpLong', 'warning', 'pending', 'web2'],
      ['baton', 'host unreachable', 'crit', 'firing', 'web2'],
    ]);
    expect(snap.alerts[0]).toMatchObject({ startsAt: '2026-12-03T19:37:16.179Z', labels: { alertname: 'BackendServerDown', instance: '127.0.18.1:19099' }, annotations: { summary: '127.0.18.1:19099 does not answer' } });
  });
});
