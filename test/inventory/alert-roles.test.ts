// The alertmanager and prometheus roles: what they become, and a bad URL or
// key reported at its file:line:column like every other role.
import { describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, located } from './helpers.js';

const FILE = 'inventories/alerts.yaml';
const load = (text: string) => loadBaton(text, FILE, new SshConfig('(none)'));

describe('alertmanager and prometheus roles', () => {
  it('take a URL, or true for the defaults', () => {
    const inventory = load('hosts:\n  mon1:\n    roles:\n      alertmanager: { url: "http://127.0.0.1:9093" }\n      prometheus: true\n');
    expect(inventory.hosts[0]?.roles).toEqual({ alertmanager: { url: 'http://127.0.0.1:9093' }, prometheus: {} });
  });

  it('reports a URL that is not http(s) and a misspelt key where they are', () => {
    const text = 'hosts:\n  mon1:\n    roles:\n      alertmanager: { url: "ftp://x/" }\n      prometheus: { uri: "http://x/" }\n';
    expect(located(errorsOf(() => load(text)))).toEqual([
      `${FILE}:4:28: hosts.mon1.roles.alertmanager.url: expected an http(s) URL for the Alertmanager API, got "ftp://x/"`,
      `${FILE}:5:21: hosts.mon1.roles.prometheus.uri: unknown key; expected one of url`,
    ]);
  });
});
