// The NGINX pane and its detail on stub_status pages captured from the lab's
// real nginx (and the hand-made ones for what the lab cannot reach: over
// 1000 active, dropped connections), read by the monitor's real probe plan.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { nginxLines } from '../../src/ui/panes/nginx-lines.js';
import type { BatonStore } from '../../src/store/store.js';
import { T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';
import { CTX, NGINX_STATUS_URL, nginxUpdates, serviceStore, tokenOf, withNginx, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

const NG: ServiceDecl = { kind: 'nginx', key: 'lb01', candidates: ['lb01'] };
const TRAFFIC = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/nginx/lab-traffic.json'), 'utf8')) as { t0: number; t10: number };

/** The lab under a curl loop, 10 s apart, with the newest sample at T0. */
const traffic = [
  { page: 'lab-traffic-t0.txt', at: T0 - (TRAFFIC.t10 - TRAFFIC.t0) },
  { page: 'lab-traffic-t10.txt', at: T0 },
];
/** Over the alert threshold, with dropped connections. */
const overloaded = [
  { page: 'handmade-stub-status-docs-example.txt', at: T0 - 10_000 },
  { page: 'handmade-stub-status-10s-later.txt', at: T0 },
];

function nginxStore(pages: ReadonlyArray<{ page: string; at: number }>): BatonStore {
  const store = serviceStore([NG], withNginx('lb01'));
  for (const u of nginxUpdates(NG, pages)) store.getState().applyServiceUpdates([u], []);
  return store;
}

async function haView(store: BatonStore, size = { columns: 100, rows: 40 }) {
  const m = mount(store, { viewName: 'ha', size });
  await tick();
  return m;
}

const snapshotOf = (pages: ReadonlyArray<{ page: string; at: number }>) => nginxStore(pages).getState().services['nginx:lb01']!;

describe('nginx pane', () => {
  test('a block per host: who answered and how, age, connections now beside the counters', async () => {
    const m = await haView(nginxStore([{ page: 'lab-held.txt', at: T0 }]));
    const s = screen(m);
    expect(s).toMatch(/[─━] NGINX [─━]/);
    expect(s).toContain('lb01 via curl · now');
    expect(s).toMatch(/active\s+151\s+req\/s\s+–/);
    expect(s).toMatch(/reading\s+100\s+accepts\/s\s+–/);
    expect(s).toMatch(/writing\s+1\s+dropped\s+0/);
    expect(s).toMatch(/waiting\s+50\s+handled\s+1482/);
    expect(s).not.toContain('▲');
  });

  test('rates after two samples: requests and accepts per second of real traffic', async () => {
    const seconds = (TRAFFIC.t10 - TRAFFIC.t0) / 1000;
    const rate = String(Math.round((1124 - 100) / seconds));
    const s = screen(await haView(nginxStore(traffic)));
    expect(s).toMatch(new RegExp(`active\\s+1\\s+req/s\\s+${rate}\\b`));
    expect(s).toMatch(new RegExp(`reading\\s+0\\s+accepts/s\\s+${rate}\\b`));
    expect(s).toMatch(/waiting\s+0\s+handled\s+1124/);
  });

  test('over 1000 active: the alert first, active and dropped connections warn', async () => {
    const s = screen(await haView(nginxStore(overloaded)));
    expect(s).toContain('▲ nginx has 1204 active connections (over 1000)');
    expect(s.indexOf('▲ nginx has 1204')).toBeLessThan(s.indexOf('active '));
    expect(s).toMatch(/active\s+1204\s+req\/s\s+120\b/);
    expect(s).toMatch(/reading\s+12\s+accepts\/s\s+50\b/);
    expect(s).toMatch(/writing\s+402\s+dropped\s+8\b/);
    const lines = nginxLines(snapshotOf(overloaded).snapshot, CTX);
    expect(tokenOf(lines, '1204')).toBe('warn');
    expect(tokenOf(lines, '8')).toBe('warn');
    // lab-held: the first 0 is its dropped count.
    expect(tokenOf(nginxLines(snapshotOf([{ page: 'lab-held.txt', at: T0 }]).snapshot, CTX), '0')).toBe('muted');
  });

  test('nginx stopped: curl\'s error and raw output; the last figures stay, marked stale', async () => {
    const store = nginxStore([...traffic, { page: 'lab-stopped.txt', at: T0 + 8_000 }]);
    const m = mount(store, { viewName: 'ha', size: { columns: 100, rows: 40 }, clock: () => T0 + 9_000 });
    await tick();
    const s = screen(m);
    expect(s).toMatch(/lb01 via curl · \d+s ago STALE/);
    expect(s).toContain('✖ lb01: nginx: curl got no stub_status page');
    expect(s).toMatch(/│ {3}curl: \(7\) Failed to connect to 127\.0\.3\.6/);
    expect(s).toMatch(/handled\s+1124/);
  });

  test('a narrow pane lists one figure per line', () => {
    const text = nginxLines(snapshotOf(overloaded).snapshot, { ...CTX, width: 24 }).map((l) => l.map((p) => p.text).join(''));
    expect(text).toEqual([
      ' active        1204',
      ' reading         12',
      ' writing        402',
      ' waiting        790',
      ' req/s          120',
      ' accepts/s       50',
      ' dropped          8',
      ' handled   16631440',
    ]);
  });

  test('not configured: the role to add', async () => {
    // Side by side panes wrap their text apart: look for this pane's own words.
    const s = screen(await haView(serviceStore([])));
    for (const words of ['add roles: { nginx: {', 'statusUrl: http://127.0.0.1/nginx-status } }', 'to a web or LB']) expect(s).toContain(words);
  });
});

describe('nginx detail', () => {
  test('enter on its block: every figure, the raw counters, the rates, the URL asked; esc goes back', async () => {
    const store = nginxStore(overloaded);
    const m = await haView(store, { columns: 100, rows: 50 });
    // Pacemaker, HAProxy, etcd, then NGINX.
    await press(m, KEYS.tab, KEYS.tab, KEYS.tab);
    expect(screen(m)).toMatch(/┏━ NGINX [━]/);
    await press(m, KEYS.enter);
    const s = screen(m);
    expect(s).toMatch(/┏━ NGINX lb01 · stub_status /);
    expect(s).toMatch(/answered by lb01 via curl/);
    expect(s).toMatch(/data\s+\d+s old \(\d\d:\d\d:\d\d\)/);
    expect(s).toContain(`status URL  ${NGINX_STATUS_URL}`);
    expect(s).toMatch(/active\s+1204 \(alert over 1000\)/);
    expect(s).toMatch(/reading\s+12 reading a request header/);
    expect(s).toMatch(/writing\s+402 writing a response/);
    expect(s).toMatch(/waiting\s+790 idle keep-alive/);
    expect(s).toMatch(/accepts\s+16631448/);
    expect(s).toMatch(/handled\s+16631440/);
    expect(s).toMatch(/requests\s+31071665/);
    expect(s).toMatch(/dropped\s+8 accepts - handled: worker_connections or another limit ran out/);
    expect(s).toMatch(/RATES between the last two polls\s+│\n.*requests\s+120\/s\s+│\n.*accepts\s+50\/s/);
    expect(s).toMatch(/ALERTS\s+│\n.*▲ nginx has 1204 active connections \(over 1000\)/);
    expect(s).toContain('EVENTS');
    await press(m, KEYS.escape);
    expect(screen(m)).toMatch(/┏━ NGINX [━]/);
  });

  test('nginx down before any answer: the URL asked, the error with its raw output', async () => {
    const m = await haView(nginxStore([{ page: 'lab-stopped.txt', at: T0 }]), { columns: 100, rows: 50 });
    m.app.ui.getState().openServiceDetail({ kind: 'nginx', serviceId: 'nginx:lb01', item: '' });
    await tick();
    const s = screen(m);
    expect(s).toMatch(/NGINX lb01 · no data yet/);
    expect(s).toContain(`status URL  ${NGINX_STATUS_URL}`);
    expect(s).toMatch(/error\s+\d\d:\d\d:\d\d lb01: nginx: curl got no stub_status page/);
    expect(s).toMatch(/ {3}curl: \(7\) Failed to connect to 127\.0\.3\.6 port 8088/);
  });

  test('the first sample has no rate yet; a host without a statusUrl is asked at the default', async () => {
    const store = serviceStore([NG]);
    for (const u of nginxUpdates(NG, [{ page: 'lab-fresh.txt', at: T0 }])) store.getState().applyServiceUpdates([u], []);
    const m = await haView(store, { columns: 100, rows: 50 });
    m.app.ui.getState().openServiceDetail({ kind: 'nginx', serviceId: 'nginx:lb01', item: '' });
    await tick();
    expect(screen(m)).toContain('status URL  http://127.0.0.1/nginx-status (the default: the inventory names none)');
    expect(screen(m)).toMatch(/requests\s+– \(needs two polls in a row without an nginx restart\)/);
  });
});
