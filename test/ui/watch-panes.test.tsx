// The Checks and Network panes in the network view at 80x24, fed by the
// monitor's own plan observing curl, ping and nc output captured from the
// real tools (test/fixtures/http-check, test/fixtures/device).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import type { HealthCheck, NetworkDevice } from '../../src/inventory/types.js';
import { planWatches } from '../../src/monitor/watch-plan.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { inventory, spec, T0 } from './fixtures.js';
import { KEYS, mount, press, screen, tick } from './render-app.js';

afterEach(cleanup);

const fx = (dir: string, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', dir, name), 'utf8');
const check = (name: string, over: Partial<HealthCheck> = {}): HealthCheck => ({ name, url: `http://10.0.0.5:6443/${name}`, from: { kind: 'host', host: 'web01' }, expectStatus: [], insecure: false, ...over });
const device = (name: string, type: NetworkDevice['type'], address: string, probe: NetworkDevice['probe']): NetworkDevice => ({ name, type, address, probe, from: { kind: 'local' } });

const CHECKS = [check('api-lb-readyz'), check('api1-livez'), check('web-health', { from: { kind: 'local' }, maxMs: 500 }), check('grafana')];
const DEVICES = [device('core-sw1', 'switch', '10.0.0.1', { kind: 'icmp' }), device('edge-fw', 'firewall', '10.0.0.2', { kind: 'tcp', port: 443 }), device('rtr1', 'router', '10.0.0.3', { kind: 'icmp' })];

/** Outputs per item, one per poll INTERVAL apart, the last at T0. */
const HISTORY: Record<string, string[]> = {
  'check:api-lb-readyz': ['curl-readyz.txt', 'curl-readyz.txt', 'curl-readyz-failing.txt'],
  'check:api1-livez': ['curl-healthz.txt', 'curl-refused.txt', 'curl-healthz.txt'],
  'check:web-health': ['curl-healthz.txt', 'curl-healthz.txt', 'curl-slow.txt'],
  'device:core-sw1': ['icmp-reply.txt', 'icmp-reply.txt', 'icmp-reply.txt'],
  'device:edge-fw': ['tcp-open.txt', 'tcp-open.txt', 'tcp-refused.txt'],
  'device:rtr1': ['icmp-reply.txt', 'icmp-no-reply.txt', 'icmp-reply.txt'],
};

function watchStore(): BatonStore {
  const inv = { ...inventory([spec('web01', ['web'])]), checks: CHECKS, devices: DEVICES };
  const probes = planWatches(inv);
  const store = createBatonStore(inv, { watches: probes });
  for (const p of probes) {
    const outputs = HISTORY[`${p.kind}:${p.name}`];
    if (!outputs) {
      store.getState().applyWatchUpdates([{ kind: p.kind, name: p.name, type: 'error', at: T0, message: 'cannot probe from web01: unreachable' }], []);
      continue;
    }
    outputs.forEach((file, i) => {
      const { update, events } = p.observe(fx(p.kind === 'check' ? 'http-check' : 'device', file), T0 - (outputs.length - 1 - i) * 2000);
      store.getState().applyWatchUpdates([update], events);
    });
  }
  return store;
}

const SMALL = { columns: 80, rows: 24 };

describe('network view at 80x24', () => {
  test('fits, and shows each check and device with its state, latency and availability', async () => {
    const m = mount(watchStore(), { viewName: 'network', size: SMALL });
    await tick();
    const s = screen(m);
    const lines = s.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(s).toMatch(/[─━] Checks [─━]/);
    expect(s).toContain('2/4 failing');
    // The focused pane's cursor line starts with > instead of the mark.
    expect(s).toMatch(/> api-lb-readyz\s+500\s+1\.1ms\s+██×\s+66\.7%\s+web01/);
    expect(s).toContain('✖ HTTP 500: etcd failed: reason withheld; poststarthook/rbac/bootst');
    // Recovered: its past failure stays under it, muted.
    expect(s).toMatch(/✓ api1-livez\s+200\s+0\.\d\dms\s+█×█\s+66\.7%\s+web01/);
    expect(s).toMatch(/last failure \d\d:\d\d:\d\d: Failed to connect to 127\.0\.13\.201 port 18222/);
    expect(s).toMatch(/✖ web-health\s+200\s+12\d\dms .* 66\.7%\s+local/);
    expect(s).toMatch(/✖ slow: 12\d\d ms \(max 500\)/);

    expect(s).toMatch(/[─━] Network [─━]/);
    expect(s).toContain('2/3 up · loss over 20 probes');
    expect(s).toMatch(/● core-sw1\s+switch\s+10\.0\.0\.1\s+0\.04ms\s+0%\s+100%\s+100%\s+\d\d:\d\d:\d\d/);
    expect(s).toMatch(/○ edge-fw\s+firewall\s+10\.0\.0\.2\s+–\s+33%\s+66\.7%\s+66\.7%/);
    expect(s).toContain('✖ Connection refused');
    expect(s).toMatch(/● rtr1\s+router\s+10\.0\.0\.3\s+0\.04ms\s+33%/);
    expect(s).toContain('last failure');
    expect(s).toMatch(/no reply within 1 s/);
  });

  test('the events under them say what failed and what came back', async () => {
    const store = watchStore();
    const messages = store.getState().events.map((e) => e.message);
    expect(messages).toContain('check api-lb-readyz failing from web01: HTTP 500: etcd failed: reason withheld; poststarthook/rbac/bootstrap-roles failed: reason withheld');
    expect(messages).toContain('check api1-livez passes again from web01 (down 2 s)');
    expect(messages).toContain('device edge-fw unreachable: Connection refused');
    expect(messages).toContain('device rtr1 reachable again (down 2 s)');
    const m = mount(store, { viewName: 'network', size: SMALL });
    await tick();
    expect(screen(m)).toMatch(/info\s+device\s+device rtr1 reachable again \(down 2 s\)/);
  });

  test('the cursor moves item by item, and the list scrolls to an item that did not fit', async () => {
    const m = mount(watchStore(), { viewName: 'network', size: SMALL });
    await tick();
    expect(screen(m)).not.toContain('grafana');
    await press(m, KEYS.down);
    expect(screen(m)).toMatch(/^[┃│]>\s*api1-livez/m);
    await press(m, KEYS.down, KEYS.down);
    const s = screen(m);
    expect(s).toMatch(/^[┃│]>\s*grafana/m);
    expect(s).toContain('? cannot probe from web01: unreachable');
  });

  test('says how to configure them when the inventory has none', async () => {
    const m = mount(createBatonStore(inventory([spec('web01', ['web'])])), { viewName: 'network', size: SMALL });
    await tick();
    const s = screen(m);
    expect(s).toContain('not configured: add checks: [{ name, url, from }] to the inventory');
    expect(s).toContain('not configured: add devices: [{ name, type, address, probe }]');
  });
});
