// Names and messages from every source (inventory hosts, tags, Pacemaker
// resources, HAProxy servers, etcd members, Redis queues, errors, events)
// holding terminal escapes: the console draws them as visible text, and the
// only escapes in a frame are its own colours.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { parseEtcdProbe } from '../../src/probes/etcd.js';
import { haproxyAlerts } from '../../src/probes/haproxy-alerts.js';
import { parseHaproxyProbe } from '../../src/probes/haproxy.js';
import { parsePacemakerProbe } from '../../src/probes/pacemaker.js';
import { createBatonStore, type BatonStore } from '../../src/store/store.js';
import { parsed, probeOutput } from '../probes/queues/fixtures.js';
import { FLEET, fleetUpdates, INTERVAL, inventory, T0 } from './fixtures.js';
import { KEYS, mount, press, tick, type Mounted } from './render-app.js';
import { snapshotUpdate, type ServiceDecl } from './service-fixtures.js';

afterEach(cleanup);

// OSC 0 retitles the terminal (and the tmux pane); CSI 2J wipes the screen; CSI as one C1 character.
const TITLE = '\x1b]0;x\x07';
const WIPE = '\x1b[2J';
const C1_CSI = '\x9b2J';
const evil = (name: string) => `${name}${TITLE}${WIPE}`;
const shown = (name: string) => `${name}^[]0;x^G^[[2J`;

const fixture = (dir: string, name: string) => readFileSync(join(import.meta.dirname, '../fixtures', dir, name), 'utf8');
const section = (name: string, stdout: string) => `@@baton:${name}\n${stdout}\n@@baton:stderr\n\n@@baton:exit 0\n`;

/** A real capture with `name` renamed to its hostile form, through the real parser. */
function haproxy(): unknown {
  const csv = fixture('haproxy', 'show-stat-down.csv').replaceAll('web1', evil('web1'));
  const r = parseHaproxyProbe(`@@baton:via socat unix socket\n${fixture('haproxy', 'show-info.txt')}\n${csv}`);
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

function pacemaker(): unknown {
  const xml = fixture('pacemaker', 'resource-failed.xml').replaceAll('"web-server"', `"${evil('web-server')}"`);
  const r = parsePacemakerProbe(section('crm_mon', xml) + section('constraints', '<constraints/>'));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

/** etcdctl prints a member's name JSON-escaped. */
function etcd(): unknown {
  const r = parseEtcdProbe(fixture('etcd', 'healthy.txt').replaceAll('"etcd2"', JSON.stringify(evil('etcd2'))));
  if (r.kind !== 'snapshot') throw new Error(r.message);
  return r.snapshot;
}

const queues = () => parsed(probeOutput('backlog', 'json').replace('@@baton:stream orders', `@@baton:stream ${evil('orders')}`), T0);

const HA: ServiceDecl = { kind: 'pacemaker', key: 'ha-web', candidates: ['db01'] };
const LB: ServiceDecl = { kind: 'haproxy', key: 'lb01', candidates: ['lb01'] };
const ETCD: ServiceDecl = { kind: 'etcd', key: 'etcd-main', candidates: ['db02'] };
const BROKER: ServiceDecl = { kind: 'queues', key: 'db01', candidates: ['db01'] };

const BAD_HOST = evil('web01');

function hostileStore(): BatonStore {
  const hosts = FLEET.map((h) =>
    h.id === 'web01' ? { ...h, id: BAD_HOST, tags: { ...h.tags, note: `two\nlines\tand${C1_CSI}` } } : h,
  );
  const store = createBatonStore({ ...inventory(hosts), name: evil('prod') }, { now: () => T0 - INTERVAL, services: [HA, LB, ETCD, BROKER] });
  const s = store.getState();
  s.applyUpdates(hosts.map((h) => ({ hostId: h.id, kind: 'conn', conn: 'up', at: T0 - INTERVAL })));
  s.applyUpdates(fleetUpdates(T0).map((u) => (u.hostId === 'web01' ? { ...u, hostId: BAD_HOST } : u)));
  s.applyUpdates([{ hostId: 'db02', kind: 'conn', conn: 'unreachable', at: T0, reason: `db02: banner ${evil('said')}\rover`, hint: evil('hint') }]);
  s.applyServiceUpdates(
    [
      snapshotUpdate(HA, pacemaker()),
      snapshotUpdate(LB, haproxy(), T0, { alerts: haproxyAlerts(haproxy() as Parameters<typeof haproxyAlerts>[0]) }),
      snapshotUpdate(ETCD, etcd()),
      snapshotUpdate(BROKER, queues()),
    ],
    [{ at: T0, source: 'haproxy', severity: 'crit', message: `lb01: ${evil('app/web1')} went DOWN` }],
  );
  return store;
}

/** The frame less its own colour codes: what must hold no control character but line ends. */
function uncoloured(m: Mounted): string {
  // eslint-disable-next-line no-control-regex
  return (m.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

function expectClean(m: Mounted): string {
  const text = uncoloured(m);
  if (process.env.SHOW_FRAMES) console.log(text);
  expect(text).not.toMatch(CONTROL);
  return text;
}

/** A config directory with one view: the hosts table, tags right after the name. */
function tagsView(): string {
  const dir = mkdtempSync(join(tmpdir(), 'baton-hostile-'));
  mkdirSync(join(dir, 'views'));
  writeFileSync(join(dir, 'views', 'tags.yaml'), 'name: tags\ntitle: Tags\nrows:\n  - panes:\n      - pane: hosts\n        columns: [host, tags, cpu]\n');
  return dir;
}

describe('control characters in data are shown, never sent to the terminal', () => {
  test('overview: host names, the inventory name, errors and events', async () => {
    const m = mount(hostileStore(), { size: { columns: 100, rows: 40 } });
    await tick();
    const text = expectClean(m);
    expect(text).toContain(`baton  ${shown('prod')} up`);
    expect(text).toMatch(/> up {10}web01\^\[\]0;x\^G\^… {3}0\.50/);
    expect(text).toContain(`info ${shown('web01')}   ${shown('web01')} connecting -> up`);
    expect(text).toContain(`lb01: ${shown('app/web1')} went DOWN`);
    expect(text).toContain(`db02 up -> unreachable: db02: banner ${shown('said')}^Mover`);
  });

  test('a tag with a newline and a tab keeps its host on one row, the columns after it in place', async () => {
    const m = mount(hostileStore(), { configDir: tagsView(), viewName: 'tags', size: { columns: 100, rows: 20 } });
    await tick();
    const rows = expectClean(m).split('\n');
    const row = rows.find((r) => r.includes('web01'));
    expect(row).toMatch(/web01\^\[\]0;x\^G\^… env=prod,type=web,note=two\^Jlines\^Iand\\x9b2J +40%│$/);
    expect(rows.find((r) => r.includes('web02'))).toMatch(/45%│$/);
  });

  test('ha: Pacemaker resources, HAProxy servers and their alerts, etcd members', async () => {
    const m = mount(hostileStore(), { viewName: 'ha', size: { columns: 100, rows: 60 } });
    await tick();
    const text = expectClean(m);
    expect(text).toMatch(/│ web-server\^\[\]0;x\S* +Started +node2/);
    expect(text).toContain(`▲ ${shown('app/web1')} is DOWN`);
    expect(text).toMatch(/│ {2}web1\^\[\]0;x\S* +DOWN/);
    expect(text).toMatch(/│ {3}etcd2\^\[\]0;\S* +ok/);
  });

  test('queues: a Redis stream name', async () => {
    const m = mount(hostileStore(), { viewName: 'queues', size: { columns: 100, rows: 40 } });
    await tick();
    expect(expectClean(m)).toMatch(/│ {3}orders\^\[\]0;x\^G\^\[\[2J +80 /);
  });

  test('host detail: the name in the title, the error and its hint', async () => {
    const m = mount(hostileStore(), { size: { columns: 100, rows: 40 }, fetchHostLog: () => Promise.resolve('') });
    await tick();
    await press(m, KEYS.enter);
    expect(expectClean(m)).toContain(`┏━ ${shown('web01')} ━`);
    await press(m, KEYS.escape, ':', ...'host db02', KEYS.enter);
    const text = expectClean(m);
    expect(text).toContain(`db02: banner ${shown('said')}^Mover`);
    expect(text).toContain(shown('hint'));
  });
});
