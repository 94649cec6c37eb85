// The postgresql and mysql roles: what they become, and a bad value or key
// reported at its file:line:column like every other role. No password field
// exists: credentials stay on the host.
import { describe, expect, it } from 'vitest';
import { loadBaton } from '../../src/inventory/load-baton.js';
import { SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, located } from './helpers.js';

const FILE = 'inventories/db.yaml';
const load = (text: string) => loadBaton(text, FILE, new SshConfig('(none)'));

describe('postgresql and mysql roles', () => {
  it('take their settings, or true for the defaults', () => {
    const inventory = load(
      'hosts:\n  db1:\n    roles:\n      postgresql: { cluster: main, host: /run/postgresql, port: 5433, user: monitor, database: app, sudo: postgres, lagThreshold: 30 }\n  db2:\n    roles:\n      postgresql: true\n      mysql: { defaultsFile: /etc/baton/my.cnf, sudo: true }\n',
    );
    expect(inventory.hosts.map((h) => h.roles)).toEqual([
      { postgresql: { cluster: 'main', host: '/run/postgresql', port: 5433, user: 'monitor', database: 'app', sudo: 'postgres', lagThreshold: 30 } },
      { postgresql: {}, mysql: { defaultsFile: '/etc/baton/my.cnf', sudo: true } },
    ]);
  });

  it('reports a bad port, a relative option file and a password key where they are', () => {
    const text = 'hosts:\n  db1:\n    roles:\n      postgresql: { port: 70000, password: x }\n      mysql: { defaultsFile: my.cnf }\n';
    const errors = located(errorsOf(() => load(text)));
    expect(errors).toContainEqual(expect.stringMatching(/^inventories\/db\.yaml:4:\d+: hosts\.db1\.roles\.postgresql\.port: expected an integer 1-65535/));
    expect(errors).toContainEqual(expect.stringMatching(/hosts\.db1\.roles\.postgresql\.password: unknown key/));
    expect(errors).toContainEqual(expect.stringMatching(/hosts\.db1\.roles\.mysql\.defaultsFile: expected an absolute path/));
  });
});
