// `sync:` in the baton YAML inventory: resolved sets, and every mistake at
// its file:line:column like the rest of the inventory.
import { describe, expect, it } from 'vitest';
import { InventoryErrors } from '../../../src/inventory/errors.js';
import { loadBaton } from '../../../src/inventory/load-baton.js';
import { SshConfig } from '../../../src/inventory/ssh-config.js';

const FILE = '/srv/inv/prod.yaml';
const load = (text: string) => loadBaton(text, FILE, new SshConfig('(none)'));
function errors(text: string): string[] {
  try {
    load(text);
  } catch (err) {
    if (err instanceof InventoryErrors) return err.errors.map((e) => e.message);
    throw err;
  }
  throw new Error('expected errors');
}

const HOSTS = 'hosts:\n  lb1: {}\n  lb2: {}\n  web1: {}\n';

describe('sync sets in the inventory', () => {
  it('resolves a reference-host source, a local source, defaults and a serial rollout', () => {
    const inv = load(`${HOSTS}sync:
  haproxy-cfg:
    source: lb1:/etc/haproxy/haproxy.cfg
    targets: "!lb1 lb"
    path: /etc/haproxy/haproxy.cfg
    validate: haproxy -c -f %s
    reload: systemctl reload haproxy
    health: { url: "http://127.0.0.1:8404/", deadline: 10 }
    rollout: { serial: [1, "25%", "100%"] }
  app:
    source: ./app-conf
    path: /srv/app/conf/
    include: ["**/*.ini"]
    mode: "0640"
    keep: 3
`);
    expect(inv.sync).toEqual([
      {
        name: 'haproxy-cfg',
        source: { kind: 'host', host: 'lb1', path: '/etc/haproxy/haproxy.cfg' },
        targets: '!lb1 lb',
        path: '/etc/haproxy/haproxy.cfg',
        include: [],
        exclude: [],
        mode: undefined,
        owner: undefined,
        group: undefined,
        validate: 'haproxy -c -f %s',
        reload: 'systemctl reload haproxy',
        health: { url: 'http://127.0.0.1:8404/', command: undefined, haproxy: undefined, etcd: undefined, deadlineSeconds: 10 },
        keep: 5,
        serial: [1, '25%', '100%'],
        versions: '/etc/haproxy/.baton-sync/haproxy-cfg',
      },
      expect.objectContaining({ name: 'app', source: { kind: 'local', path: '/srv/inv/app-conf' }, path: '/srv/app/conf', mode: 0o640, keep: 3, serial: undefined, targets: 'all', versions: '/srv/app/.baton-sync/app' }),
    ]);
  });

  it('a service state as health check: haproxy all-up, or a backend and a count', () => {
    const health = (h: string) => load(`${HOSTS}sync:\n  s:\n    source: lb1:/x\n    path: /x\n    health: ${h}\n`).sync![0]!.health;
    expect(health('{ haproxy: all-up, deadline: 20 }')).toEqual({ url: undefined, command: undefined, haproxy: { up: 'all' }, deadlineSeconds: 20 });
    expect(health('{ haproxy: { backend: web } }')).toMatchObject({ haproxy: { backend: 'web', up: 'all' }, deadlineSeconds: 30 });
    expect(health('{ haproxy: { backend: web, up: 2 } }')).toMatchObject({ haproxy: { backend: 'web', up: 2 } });
    expect(health('{ etcd: healthy, deadline: 10 }')).toMatchObject({ etcd: 'healthy', deadlineSeconds: 10 });
  });

  it('a wrong service state is reported at file:line:column', () => {
    const bad = (h: string) => errors(`${HOSTS}sync:\n  s:\n    source: lb1:/x\n    path: /x\n    health: ${h}\n`);
    expect(bad('{ haproxy: all-down }')).toEqual([`${FILE}:9:24: sync.s.health.haproxy: expected all-up, or { backend: NAME, up: all or a server count }, got "all-down"`]);
    expect(bad('{ haproxy: { backend: web, up: 0 } }')).toEqual([`${FILE}:9:44: sync.s.health.haproxy.up: expected all or a server count (1, 2, ...), got 0`]);
    expect(bad('{ haproxy: { backnd: web } }')).toEqual([`${FILE}:9:26: sync.s.health.haproxy.backnd: unknown key; expected one of backend, up`]);
    expect(bad('{ haproxy: all-up, url: "http://x/" }')).toEqual([`${FILE}:9:13: sync.s.health: expected exactly one of url, command, haproxy or etcd, got a mapping`]);
    expect(bad('{ etcd: up }')).toEqual([`${FILE}:9:21: sync.s.health.etcd: expected healthy (every voting member healthy, a leader, no alarm), got "up"`]);
  });

  it('an inventory without sync: has no sets', () => {
    expect(load(HOSTS).sync).toBeUndefined();
  });

  it('reports every mistake at file:line:column', () => {
    expect(
      errors(`${HOSTS}sync:
  bad:
    source: nohost:/x
    path: etc
    mdoe: "0644"
    validate: haproxy -c
    health: { url: "http://x/", command: "true" }
    rollout: { serial: ["0%"] }
    keep: 0
`),
    ).toEqual([
      `${FILE}:8:11: sync.bad.path: expected an absolute path for the path on the targets, got "etc"`,
      `${FILE}:9:5: sync.bad.mdoe: unknown key; expected one of source, targets, path, include, exclude, mode, owner, group, validate, reload, health, keep, rollout, versions`,
      `${FILE}:10:15: sync.bad.validate: expected a command with %s for the staged path (haproxy -c -f %s), got "haproxy -c"`,
      `${FILE}:11:13: sync.bad.health: expected exactly one of url, command, haproxy or etcd, got a mapping`,
      `${FILE}:12:25: sync.bad.rollout.serial[0]: expected a host count (1, 2, ...) or a percentage ("25%"), got "0%"`,
      `${FILE}:13:11: sync.bad.keep: expected at least 1 version, got 0`,
    ]);
    expect(errors(`${HOSTS}sync:\n  s:\n    source: nohost:/x\n    path: /etc/x\n`)).toEqual([`${FILE}:7:13: sync.s.source: expected HOST:PATH with a host of this inventory; no host "nohost"`]);
  });
});
