import { readFileSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { loadSshConfig, SshConfig } from '../../src/inventory/ssh-config.js';
import type { HostSpec } from '../../src/inventory/types.js';
import { errorsOf, fixture, located } from './helpers.js';

const FILE = 'inventories/lab.yaml';
const none = new SshConfig('(none)');
const me = os.userInfo().username;

function load(text: string, ssh: SshConfig = none) {
  return loadBaton(text, FILE, ssh);
}

function failures(text: string, ssh: SshConfig = none): string[] {
  return located(errorsOf(() => load(text, ssh)));
}

function byId(hosts: HostSpec[], id: string): HostSpec {
  const host = hosts.find((h) => h.id === id);
  if (host === undefined) throw new Error(`no host ${id}`);
  return host;
}

describe('loadBaton: a valid inventory', () => {
  const file = fixture('lab.yaml');
  const inventory = loadBaton(readFileSync(file, 'utf8'), file, none);

  it('names the inventory and keeps host order', () => {
    expect(inventory.name).toBe('lab');
    expect(inventory.format).toBe('baton');
    expect(inventory.file).toBe(file);
    expect(inventory.hosts.map((h) => h.id)).toEqual(['web1', 'web2', 'web3', 'db1', 'lb1', 'me']);
  });

  it('zips a nodeset name with a nodeset address', () => {
    expect(inventory.hosts.slice(0, 3).map((h) => h.address)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });

  it('uses the name as address when there is none', () => {
    expect(byId(inventory.hosts, 'db1').address).toBe('db1');
  });

  it('applies host > group > defaults, children over parents', () => {
    const web1 = byId(inventory.hosts, 'web1');
    expect(web1.vars).toEqual({ color: 'blue', level: 'web' });
    expect(web1.tags).toEqual({ env: 'lab', tier: 'web', owner: 'ops' });
    const db1 = byId(inventory.hosts, 'db1');
    expect(db1.vars).toEqual({ color: 'red', level: 'host' });
    expect(db1.user).toBe('postgres');
    const web3 = byId(inventory.hosts, 'web3');
    expect(web3.vars).toEqual({ color: 'grey', level: 'defaults' });
    expect(web3.tags).toEqual({ env: 'lab', tier: 'web' });
    expect(web3).toMatchObject({ user: 'ops', port: 2022 });
  });

  it('resolves relative identity files against the inventory', () => {
    expect(byId(inventory.hosts, 'web1').identityFiles).toEqual([fixture('keys/lab_ed25519')]);
  });

  it('expands groups transitively and lists every group of a host', () => {
    expect(inventory.groups).toEqual({ web: ['web1', 'web2'], all: ['web1', 'web2', 'db1'], dbs: ['db1'] });
    expect(byId(inventory.hosts, 'web1').groups).toEqual(['web', 'all']);
    expect(byId(inventory.hosts, 'db1').groups).toEqual(['all', 'dbs']);
    expect(byId(inventory.hosts, 'web3').groups).toEqual([]);
  });

  it('reads roles, `true` and empty meaning present with defaults', () => {
    expect(byId(inventory.hosts, 'db1').roles).toEqual({ pacemaker: { cluster: 'pg' } });
    expect(byId(inventory.hosts, 'lb1').roles).toEqual({ haproxy: {}, etcd: {} });
  });

  it('needs no address for a local host and applies no ssh settings to it', () => {
    expect(byId(inventory.hosts, 'me')).toMatchObject({ transport: 'local', address: '127.0.0.1', identityFiles: [], jump: [] });
  });

  it('records where each host was defined', () => {
    expect(byId(inventory.hosts, 'web2').source).toEqual({ file, line: 11 });
    expect(byId(inventory.hosts, 'lb1').source).toEqual({ file, line: 19 });
  });
});

describe('loadBaton: defaults of its own', () => {
  it('names the inventory after the file, uses the local user and port 22', () => {
    const inventory = load('hosts:\n  web1:\n');
    expect(inventory.name).toBe('lab');
    expect(inventory.hosts).toEqual([
      {
        id: 'web1',
        transport: 'ssh',
        address: 'web1',
        port: 22,
        user: me,
        identityFiles: [],
        jump: [],
        tags: {},
        vars: {},
        roles: {},
        groups: [],
        source: { file: FILE, line: 2 },
      },
    ]);
  });

  it('accepts a host list as key=value tags and a single identity', () => {
    const [host] = load('hosts:\n  a:\n    tags: [rack=r1, "note=a=b"]\n    identity: /k/id\n').hosts;
    expect(host?.tags).toEqual({ rack: 'r1', note: 'a=b' });
    expect(host?.identityFiles).toEqual(['/k/id']);
  });

  it('turns numeric tag values into text', () => {
    expect(load('hosts:\n  a:\n    tags: { rack: 12, spare: false }\n').hosts[0]?.tags).toEqual({ rack: '12', spare: 'false' });
  });

  it('shares settings through YAML anchors and merge keys', () => {
    const inventory = load('defaults: &common\n  port: 2200\nhosts:\n  a: { <<: *common, user: u }\n');
    expect(inventory.hosts[0]).toMatchObject({ port: 2200, user: 'u' });
  });
});

describe('loadBaton: ~/.ssh/config', () => {
  let ssh: SshConfig;
  beforeAll(async () => {
    ssh = await loadSshConfig(fixture('ssh', 'config'));
  });

  it('gives a host named like an alias that alias settings', () => {
    const db1 = byId(load('hosts:\n  db1:\n', ssh).hosts, 'db1');
    expect(db1).toMatchObject({ address: 'db1', user: 'postgres', port: 22 });
    expect(db1.jump.map((j) => `${j.user}@${j.address}:${j.port}`)).toEqual([
      'jumper@bastion.example.net:2222',
      'fallback@10.9.0.1:22',
      'admin@edge:2200',
    ]);
  });

  it('lets what the inventory sets win', () => {
    const text = 'defaults:\n  user: ops\nhosts:\n  bastion:\n    port: 22\n    identity: /k/mine\n  db1:\n    jump: none\n';
    const { hosts } = load(text, ssh);
    expect(byId(hosts, 'bastion')).toMatchObject({ address: 'bastion.example.net', port: 22, user: 'ops', identityFiles: ['/k/mine'] });
    expect(byId(hosts, 'db1').jump).toEqual([]);
  });

  it('looks the address up when only the address is an alias', () => {
    const [host] = load('hosts:\n  cache:\n    address: cache1\n', ssh).hosts;
    expect(host).toMatchObject({ id: 'cache', address: '10.1.1.1', port: 6380, user: 'fallback' });
  });

  it('applies Host patterns to inventory names', () => {
    const [host] = load('hosts:\n  n1.lab:\n    address: 10.5.0.1\n', ssh).hosts;
    expect(host).toMatchObject({ address: '10.5.0.1', user: 'labuser' });
  });

  it('resolves an inventory jump chain through the config', () => {
    const [host] = load('hosts:\n  a:\n    jump: inner-bastion\n', ssh).hosts;
    expect(host?.jump).toEqual([
      { address: 'bastion.example.net', port: 2222, user: 'jumper', identityFiles: [`${os.homedir()}/.ssh/bastion_key`, `${os.homedir()}/.ssh/id_default`] },
      { address: '10.9.0.1', port: 22, user: 'fallback', identityFiles: [`${os.homedir()}/.ssh/id_default`] },
    ]);
  });
});

describe('loadBaton: every error at file:line:column', () => {
  it('reports YAML syntax errors', () => {
    expect(failures('hosts:\n  web1: {}\n  web1: {}\n')).toEqual([`${FILE}:3:3: YAML syntax: Map keys must be unique`]);
    const flow = errorsOf(() => load('groups:\n  g:\n    hosts: [web[1-2]]\n'));
    expect(flow.errors[0]?.message).toBe(`${FILE}:3:16: YAML syntax: Missing , or : between flow sequence items`);
    expect(flow.errors[0]?.hint).toBe('quote nodesets inside [ ] lists ("web[1-3]"), or use a block list (- web[1-3])');
  });

  it('reports a top level that is not a mapping', () => {
    expect(failures('- a\n- b\n')).toEqual([`${FILE}:1:1: (top level): expected a mapping, got a list`]);
  });

  it('reports unknown keys at the key, suggesting the one meant', () => {
    const errors = errorsOf(() => load('hostz:\n  web1: {}\n'));
    expect(located(errors)).toEqual([`${FILE}:1:1: hostz: unknown key; expected one of name, knownHosts, defaults, hosts, groups, sync, deploys, checks, devices, rebalance`]);
    expect(errors.errors[0]?.hint).toBe('did you mean "hosts"?');
    const nested = errorsOf(() => load('hosts:\n  web1:\n    prot: 22\n    roles:\n      nginx: { statsurl: x }\n      oracle: true\n'));
    expect(located(nested)).toEqual([
      `${FILE}:3:5: hosts.web1.prot: unknown key; expected one of address, port, user, identity, jump, transport, tags, vars, roles`,
      `${FILE}:5:16: hosts.web1.roles.nginx.statsurl: unknown key; expected one of statusUrl`,
      `${FILE}:6:7: hosts.web1.roles.oracle: unknown key; expected one of pacemaker, haproxy, etcd, nginx, alertmanager, prometheus, redis, rabbitmq, postgresql, mysql`,
    ]);
    expect(nested.errors.map((e) => e.hint)).toEqual(['did you mean "port"?', 'did you mean "statusUrl"?', undefined]);
    expect(failures('defaults:\n  adress: x\nhosts:\n  a:\ngroups:\n  g:\n    host: [a]\n')).toEqual([
      `${FILE}:2:3: defaults.adress: unknown key; expected one of port, user, identity, jump, transport, tags, vars`,
      `${FILE}:7:5: groups.g.host: unknown key; expected one of hosts, children, vars, tags`,
    ]);
  });

  it('reads a RabbitMQ role and wants exactly one source for the management password', () => {
    const role = (management: string) => load(`hosts:\n  mq1:\n    roles:\n      rabbitmq: { vhost: /, node: rabbit@mq1, deadLetters: [orders.dlq], management: ${management} }\n`);
    const ok = role('{ url: "http://127.0.0.1:15672", user: mon, passwordFile: /etc/baton/mon.pw }');
    expect(byId(ok.hosts, 'mq1').roles.rabbitmq).toEqual({
      vhost: '/', node: 'rabbit@mq1', deadLetters: ['orders.dlq'], management: { url: 'http://127.0.0.1:15672', user: 'mon', passwordFile: '/etc/baton/mon.pw' },
    });
    expect(located(errorsOf(() => role('{ url: "http://127.0.0.1:15672", user: mon }')))).toEqual([
      `${FILE}:4:86: hosts.mq1.roles.rabbitmq.management: expected exactly one of passwordFile or passwordEnv, got a mapping`,
    ]);
    expect(located(errorsOf(() => role('{ url: "http://x", user: mon, passwordFile: mon.pw }')))[0]).toMatch(/management\.passwordFile: expected an absolute path/);
  });

  it('reports bad values with what was found', () => {
    const text = [
      'hosts:',
      '  web1:',
      '    port: abc',
      '    transport: telnet',
      '    tags: [a=1, b]',
      '    identity: 5',
      '    jump: "a b"',
      '    user: ""',
      '  web2:',
      '    port: 70000',
      '    roles:',
      '      haproxy: 5',
      '      etcd: { endpoint: not-a-url }',
      '      nginx: { statusUrl: "ftp://x/" }',
      '  web3:',
      '    roles: { haproxy: { socket: run/admin.sock, tcp: localhost } }',
      '    tags: 5',
      '    vars: [1]',
      '',
    ].join('\n');
    expect(failures(text)).toEqual([
      `${FILE}:3:11: hosts.web1.port: expected an integer 1-65535, got "abc"`,
      `${FILE}:4:16: hosts.web1.transport: expected "ssh" or "local", got "telnet"`,
      `${FILE}:5:17: hosts.web1.tags[1]: expected "key=value", got "b"`,
      `${FILE}:6:15: hosts.web1.identity: expected a key file path or a list of them, got 5`,
      `${FILE}:7:11: hosts.web1.jump: expected [user@]host[:port] hops separated by commas (unexpected whitespace in "a b"), got "a b"`,
      `${FILE}:8:11: hosts.web1.user: expected a user name without whitespace, got ""`,
      `${FILE}:10:11: hosts.web2.port: expected an integer 1-65535, got 70000`,
      `${FILE}:12:16: hosts.web2.roles.haproxy: expected true or a mapping, got 5`,
      `${FILE}:13:25: hosts.web2.roles.etcd.endpoint: expected an http(s) URL for the client endpoint, got "not-a-url"`,
      `${FILE}:14:27: hosts.web2.roles.nginx.statusUrl: expected an http(s) URL for stub_status, got "ftp://x/"`,
      `${FILE}:16:33: hosts.web3.roles.haproxy.socket: expected an absolute socket path, got "run/admin.sock"`,
      `${FILE}:16:54: hosts.web3.roles.haproxy.tcp: expected host:port, got "localhost"`,
      `${FILE}:17:11: hosts.web3.tags: expected a mapping of key: value or a list of "key=value", got 5`,
      `${FILE}:18:11: hosts.web3.vars: expected a mapping of variables, got a list`,
    ]);
  });

  it('reads an etcd TLS role, and wants absolute paths with cert and key together', () => {
    const tls = 'hosts:\n  db1:\n    roles:\n      etcd: { endpoint: "https://10.0.0.1:2379", cacert: /etc/etcd/ca.crt, cert: /etc/etcd/c.crt, key: /etc/etcd/c.key }\n';
    expect(byId(load(tls).hosts, 'db1').roles.etcd).toEqual({ endpoint: 'https://10.0.0.1:2379', cacert: '/etc/etcd/ca.crt', cert: '/etc/etcd/c.crt', key: '/etc/etcd/c.key' });
    expect(failures('hosts:\n  db1:\n    roles:\n      etcd: { cacert: ca.crt, cert: /etc/etcd/c.crt }\n')).toEqual([
      `${FILE}:4:13: hosts.db1.roles.etcd: expected cert and key together (the client certificate and its key), got a mapping`,
      `${FILE}:4:23: hosts.db1.roles.etcd.cacert: expected an absolute path for the CA certificate file, got "ca.crt"`,
    ]);
  });

  it('reports bad defaults and top-level fields', () => {
    expect(failures('name: ""\ndefaults:\n  port: 0\n  user: "a b"\nhosts: [web1]\ngroups: 3\n')).toEqual([
      `${FILE}:1:7: name: expected an inventory name, not an empty string, got ""`,
      `${FILE}:3:9: defaults.port: expected an integer 1-65535, got 0`,
      `${FILE}:4:9: defaults.user: expected a user name without whitespace, got "a b"`,
      `${FILE}:5:8: hosts: expected a mapping of host name or nodeset -> settings, got a list`,
      `${FILE}:6:9: groups: expected a mapping of group name -> members, got 3`,
    ]);
  });

  it('reports nodeset errors at the offending character of the key', () => {
    expect(failures('hosts:\n  web[3-1]: {}\n  "db[1-": {}\n  x[1-2]y[a]:\n')).toEqual([
      `${FILE}:2:7: hosts.web[3-1]: reversed range "3-1" in nodeset "web[3-1]"`,
      `${FILE}:3:6: hosts.db[1-: unclosed "[" in nodeset "db[1-"`,
      `${FILE}:4:11: hosts.x[1-2]y[a]: non-numeric range "a" in nodeset "x[1-2]y[a]"`,
    ]);
    expect(failures('hosts:\n  n[1-200000]:\n')).toEqual([
      `${FILE}:2:5: hosts.n[1-200000]: expands to more than 100000 names in nodeset "n[1-200000]"`,
    ]);
  });

  it('reports address patterns that do not match the name pattern', () => {
    const errors = errorsOf(() => load('hosts:\n  web[1-3]:\n    address: 10.0.0.[1-2]\n  db[1-2]:\n    address: 10.0.1.[x]\n'));
    expect(located(errors)).toEqual([
      `${FILE}:3:14: hosts.web[1-3].address: "10.0.0.[1-2]" expands to 2 address(es) but "web[1-3]" names 3 host(s)`,
      `${FILE}:5:22: hosts.db[1-2].address: non-numeric range "x" in nodeset "10.0.1.[x]"`,
    ]);
    expect(errors.errors[0]?.hint).toBe('give the address pattern the same count as the name pattern, or give each host its own entry');
  });

  it('reports duplicate host ids after expansion and ids with whitespace', () => {
    expect(failures('hosts:\n  web[1-3]: {}\n  web2: {}\n  "web 4": {}\n  a,web3:\n')).toEqual([
      `${FILE}:3:3: hosts.web2: duplicate host id "web2" (already defined by "web[1-3]" on line 2)`,
      `${FILE}:4:3: hosts.web 4: host id "web 4" contains whitespace`,
      `${FILE}:5:3: hosts.a,web3: duplicate host id "web3" (already defined by "web[1-3]" on line 2)`,
    ]);
  });

  it('reports unknown group members, unknown children and cycles', () => {
    const text = [
      'hosts:',
      '  web1:',
      'groups:',
      '  g:',
      '    hosts: [web2, "web[1-]"]',
      '    children: [h, nope]',
      '  h:',
      '    children: [g]',
      '  s:',
      '    children:',
      '      - s',
      '',
    ].join('\n');
    const errors = errorsOf(() => load(text));
    expect(located(errors)).toEqual([
      `${FILE}:5:13: groups.g.hosts[0]: unknown host "web2"`,
      `${FILE}:5:24: groups.g.hosts[1]: non-numeric range "1-" in nodeset "web[1-]"`,
      `${FILE}:6:19: groups.g.children[1]: unknown group "nope"`,
      `${FILE}:8:16: groups.h.children[0]: cycle in group children: g -> h -> g`,
      `${FILE}:11:9: groups.s.children[0]: cycle in group children: s -> s`,
    ]);
    expect(errors.errors.map((e) => e.hint)).toEqual([
      'did you mean "web1"?',
      undefined,
      'define it under groups: first',
      'remove "g" from the children of "h"',
      'remove "s" from the children of "s"',
    ]);
  });

  it('collects errors from every entry in one pass', () => {
    const text = 'bogus: 1\nhosts:\n  a: { port: x }\n  b: { port: y }\ngroups:\n  g: { hosts: [c] }\n';
    expect(failures(text).map((m) => m.split(': ')[0])).toEqual([
      `${FILE}:1:1`,
      `${FILE}:3:14`,
      `${FILE}:4:14`,
      `${FILE}:6:16`,
    ]);
  });

  it('reports ~/.ssh/config problems where they are written', async () => {
    const ssh = await loadSshConfig(fixture('ssh', 'bad', 'config'));
    expect(failures('hosts:\n  c:\n  d:\n    jump: a\n', ssh)).toEqual([
      `${fixture('ssh', 'bad', 'config')}:2:3: ProxyJump loop: d -> a -> b -> a`,
      `${fixture('ssh', 'bad', 'config')}:6:3: Port: expected an integer 1-65535, got "abc"`,
    ]);
  });
});

describe('knownHosts', () => {
  it('resolves the known_hosts path relative to the inventory file', async () => {
    const ssh = await loadSshConfig('/nonexistent/ssh_config', { optional: true });
    const inv = loadBaton('knownHosts: lab_known_hosts\nhosts:\n  web1: {}\n', '/srv/lab/inventory.yaml', ssh);
    expect(inv.knownHostsFile).toBe('/srv/lab/lab_known_hosts');
    expect(loadBaton('hosts:\n  web1: {}\n', '/srv/lab/i.yaml', ssh).knownHostsFile).toBeUndefined();
  });
});
