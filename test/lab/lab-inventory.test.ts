// inventories/lab.yaml is what `baton lab up` writes for the default lab (as
// root, in the default dir), rendered by the same code, so it cannot drift.
// Regenerate it with: BATON_UPDATE_LAB_INVENTORY=1 npx vitest run test/lab/lab-inventory.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { labInventoryYaml } from '../../src/lab/lab-inventory.js';
import { DEFAULT_LAB_HOSTS, labHosts, LAB_SSH_PORT } from '../../src/lab/layout.js';

const COMMITTED = join(import.meta.dirname, '../../inventories/lab.yaml');
const ALL = ['hosts', 'apps', 'haproxy', 'nginx', 'etcd', 'pacemaker', 'broker', 'devices'];

function defaultLab(dir: string): string {
  return labInventoryYaml({ dir, hosts: labHosts().map((h) => ({ ...h, sshPort: LAB_SSH_PORT })), user: 'baton-lab', components: ALL });
}

describe('the lab inventory', () => {
  it('is committed as inventories/lab.yaml, exactly as the default lab renders it', () => {
    const rendered = defaultLab('~/.local/state/baton/lab');
    if (process.env.BATON_UPDATE_LAB_INVENTORY) writeFileSync(COMMITTED, rendered);
    expect(readFileSync(COMMITTED, 'utf8')).toBe(rendered);
  });

  it('loads as a baton inventory with every host, role and group', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-lab-inv-'));
    try {
      const file = join(dir, 'inventory.yaml');
      await writeFile(file, defaultLab(dir));
      const inv = await loadInventory(file, { sshConfigPath: '/dev/null' });
      expect(inv.knownHostsFile).toBe(join(dir, 'known_hosts'));
      expect(inv.hosts.map((h) => [h.id, h.address, h.port, h.user])).toEqual([
        ['web1', '127.0.3.1', 2222, 'baton-lab'],
        ['web2', '127.0.3.2', 2222, 'baton-lab'],
        ['web3', '127.0.3.3', 2222, 'baton-lab'],
        ['db1', '127.0.3.4', 2222, 'baton-lab'],
        ['mq1', '127.0.3.5', 2222, 'baton-lab'],
        ['lb1', '127.0.3.6', 2222, 'baton-lab'],
        ['lb2', '127.0.3.251', 2222, 'baton-lab'],
      ]);
      const lb1 = inv.hosts.find((h) => h.id === 'lb1');
      expect(lb1?.identityFiles).toEqual([join(dir, 'id_ed25519')]);
      expect(lb1?.roles).toEqual({ haproxy: { socket: join(dir, 'haproxy/admin.sock'), tcp: '127.0.3.6:9999' }, nginx: { statusUrl: 'http://127.0.3.6:8088/nginx-status' }, etcd: { endpoint: 'http://127.0.3.6:2379' } });
      // The standby LB: its own HAProxy (own run dir), no NGINX, no etcd.
      expect(inv.hosts.find((h) => h.id === 'lb2')?.roles).toEqual({ haproxy: { socket: join(dir, 'haproxy-lb2/admin.sock'), tcp: '127.0.3.251:9999' } });
      expect(inv.hosts.find((h) => h.id === 'web2')?.roles).toEqual({ pacemaker: { cluster: 'baton-lab', node: 'node2' } });
      expect(inv.hosts.find((h) => h.id === 'web2')?.vars).toEqual({ deploy_root: '/srv/baton' });
      expect(inv.groups).toMatchObject({ web: ['web1', 'web2', 'web3'], etcd: ['db1', 'mq1', 'lb1'], pacemaker: ['web1', 'web2', 'web3'], lb: ['lb1', 'lb2'] });
      expect(inv.sync?.map((s) => [s.name, s.source, s.targets, s.path, s.validate])).toEqual([
        ['app-config', { kind: 'local', path: join(dir, 'app-conf') }, 'group=web', '/srv/baton/conf', undefined],
        ['haproxy-cfg', { kind: 'host', host: 'lb1', path: '/srv/baton/haproxy/haproxy.cfg' }, 'group=lb', '/srv/baton/haproxy/haproxy.cfg', 'haproxy -c -f %s'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names only the services that run, and each host its own deploy root without root', () => {
    const yaml = labInventoryYaml({
      dir: '/tmp/lab',
      hosts: labHosts(DEFAULT_LAB_HOSTS.length + 1).map((h) => ({ ...h, sshPort: 40022 })),
      user: 'alice',
      components: ['hosts', 'apps', 'haproxy'],
      deployRoot: (h) => `/tmp/lab/hosts/${h.id}`,
    });
    expect(yaml).not.toMatch(/etcd:|pacemaker:/);
    expect(yaml).toContain('web4:');
    expect(yaml).toContain('deploy_root: /tmp/lab/hosts/web4');
    expect(yaml).toContain('port: 40022');
    // One path for every target cannot name per-host areas: no sync sets then.
    expect(yaml).not.toContain('sync:');
  });
});
