// `checks:` and `devices:` in baton YAML: what a valid list becomes, and
// every mistake reported at its file:line:column, all at once.
import { describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, located } from './helpers.js';

const FILE = 'inventories/watch.yaml';
const none = new SshConfig('(none)');
const load = (text: string) => loadBaton(text, FILE, none);
const failures = (text: string) => located(errorsOf(() => load(text)));

const HOSTS = 'hosts:\n  web1: { address: 127.0.0.1 }\n';

describe('checks and devices: a valid inventory', () => {
  const inventory = load(`${HOSTS}checks:
  - name: api-lb
    url: https://10.0.0.5:6443/readyz?verbose
    from: web1
    expect: { status: [200, 204], body: "readyz check passed", maxMs: 500 }
    tls: { cacert: /etc/kubernetes/pki/ca.crt }
  - { name: web, url: "http://127.0.0.1:8080/health" }
devices:
  - { name: core-sw1, type: switch, address: 10.0.0.1 }
  - { name: fw1, type: firewall, address: fw1.example.net, probe: "tcp:443", from: web1 }
`);

  it('resolves each check with its defaults', () => {
    expect(inventory.checks).toEqual([
      { name: 'api-lb', url: 'https://10.0.0.5:6443/readyz?verbose', from: { kind: 'host', host: 'web1' }, expectStatus: [200, 204], expectBody: 'readyz check passed', maxMs: 500, cacert: '/etc/kubernetes/pki/ca.crt', insecure: false },
      { name: 'web', url: 'http://127.0.0.1:8080/health', from: { kind: 'local' }, expectStatus: [], insecure: false },
    ]);
  });

  it('resolves each device: ICMP from baton unless told otherwise', () => {
    expect(inventory.devices).toEqual([
      { name: 'core-sw1', type: 'switch', address: '10.0.0.1', probe: { kind: 'icmp' }, from: { kind: 'local' } },
      { name: 'fw1', type: 'firewall', address: 'fw1.example.net', probe: { kind: 'tcp', port: 443 }, from: { kind: 'host', host: 'web1' } },
    ]);
  });

  it('leaves both out when the file has none', () => {
    const plain = load(HOSTS);
    expect(plain.checks).toBeUndefined();
    expect(plain.devices).toBeUndefined();
  });
});

describe('checks and devices: errors at file:line:column', () => {
  it('reports every bad field at once', () => {
    expect(
      failures(`${HOSTS}checks:
  - name: api
    url: ftp://x
    from: nope
    expect: { stauts: 200 }
  - { name: api, url: "http://a/", from: web2, expect: { body: "(", status: 42 } }
  - { name: ok, url: "http://a/", tls: { insecure: yes please } }
devices:
  - { name: fw1, type: firewal, address: 10.0.0.2, probe: "udp:53" }
  - { name: sw1, address: "10.0.0.1; reboot", probe: "tcp:99999" }
  - { name: r1, address: 10.0.0.3, from: web9 }
`),
    ).toEqual([
      `${FILE}:5:10: checks[0].url: expected an http(s) URL for the check, got "ftp://x"`,
      `${FILE}:7:15: checks[0].expect.stauts: unknown key; expected one of status, body, maxMs`,
      `${FILE}:8:77: checks[1].expect.status: expected an HTTP status 100-599 or a list of them, got 42`,
      `${FILE}:9:52: checks[2].tls.insecure: expected true or false, got "yes please"`,
      `${FILE}:11:24: devices[0].type: expected switch, router, firewall, server or other, got "firewal"`,
      `${FILE}:11:59: devices[0].probe: expected icmp or tcp:PORT, got "udp:53"`,
      `${FILE}:12:27: devices[1].address: expected an address or host name, got "10.0.0.1; reboot"`,
      `${FILE}:13:42: devices[2].from: expected a host of this inventory or local; no host "web9"`,
    ]);
  });

  it('checks names, hosts, patterns and ports once the fields are well formed', () => {
    expect(
      failures(`${HOSTS}checks:
  - { name: api, url: "http://a/" }
  - { name: api, url: "http://b/", from: web2, expect: { body: "(" } }
devices:
  - { name: sw1, address: 10.0.0.1, probe: "tcp:99999" }
  - { name: "bad name", address: 10.0.0.2 }
`),
    ).toEqual([
      `${FILE}:5:13: checks[1].name: expected a unique name; "api" is already used above`,
      `${FILE}:5:42: checks[1].from: expected a host of this inventory or local; no host "web2"`,
      `${FILE}:5:64: checks[1].expect.body: expected a regular expression (Invalid regular expression: /(/: Unterminated group)`,
      `${FILE}:7:44: devices[0].probe: expected tcp:PORT with a port 1-65535, got 99999`,
      `${FILE}:8:13: devices[1].name: expected a name of letters, digits, ".", "_", ":", "/" and "-"`,
    ]);
  });

  it('wants lists', () => {
    expect(failures(`${HOSTS}checks: { name: api }\ndevices: sw1\n`)).toEqual([
      `${FILE}:3:9: checks: expected a list of health checks, got a mapping`,
      `${FILE}:4:10: devices: expected a list of network devices, got "sw1"`,
    ]);
  });
});
