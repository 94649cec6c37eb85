import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/inventory/detect-format.js';
import { embeddedInventory, loadInventory } from '../../src/inventory/load.js';
import { asyncErrorsOf, fixture, located } from './helpers.js';

const noSsh = { sshConfigPath: fixture('ssh', 'empty') };
const EXAMPLE = path.resolve(import.meta.dirname, '../../inventories/example.yaml');

async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'baton-inv-')), name);
  await writeFile(file, text);
  return file;
}

describe('detectFormat', () => {
  it.each([
    ['lab.yaml', 'anything', 'baton'],
    ['lab.YML', '', 'baton'],
    ['config', '# mine\n\nHost web1\n', 'ssh-config'],
    ['config', '  match host x\n', 'ssh-config'],
    ['config', 'Include=config.d/*\n', 'ssh-config'],
    ['hosts', '# fleet\nweb1\nhost-a\n', 'pssh'],
    ['hosts', 'hostname\n', 'pssh'],
    ['hosts', '', 'pssh'],
  ] as const)('%s with %j is %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });
});

describe('loadInventory', () => {
  it('watches only this machine without an inventory', async () => {
    const inventory = await loadInventory(undefined, { user: 'ignored' });
    expect(inventory).toEqual(embeddedInventory());
    expect(inventory).toEqual({
      name: 'local',
      format: 'embedded',
      hosts: [
        {
          id: 'local',
          transport: 'local',
          address: '127.0.0.1',
          port: 22,
          user: os.userInfo().username,
          identityFiles: [],
          jump: [],
          tags: {},
          vars: {},
          roles: {},
          groups: [],
          source: { file: '(embedded)' },
        },
      ],
      groups: {},
    });
  });

  it('loads each format by detection', async () => {
    expect((await loadInventory(fixture('lab.yaml'), noSsh)).format).toBe('baton');
    expect((await loadInventory(fixture('hosts.pssh'), noSsh)).format).toBe('pssh');
    const ssh = await loadInventory(fixture('ssh', 'config'));
    expect(ssh.format).toBe('ssh-config');
    expect(ssh.hosts).toHaveLength(8);
  });

  it('loads the example inventory', async () => {
    const inventory = await loadInventory(EXAMPLE, noSsh);
    expect(inventory.name).toBe('prod-eu');
    expect(inventory.hosts.map((h) => h.id)).toEqual([
      'web01', 'web02', 'web03', 'lb1', 'lb2', 'etcd1', 'etcd2', 'etcd3', 'db1', 'db2', 'backup1', 'console',
    ]);
    expect(inventory.groups.prod).toHaveLength(10);
    expect(inventory.hosts.find((h) => h.id === 'lb1')?.roles.haproxy?.socket).toBe('/run/haproxy/admin.sock');
  });

  it('applies --user and --identity to every ssh host, not to local ones or jump hops', async () => {
    const inventory = await loadInventory(fixture('lab.yaml'), { ...noSsh, user: 'root', identity: '~/.ssh/break_glass' });
    const ssh = inventory.hosts.filter((h) => h.transport === 'ssh');
    expect(ssh.map((h) => h.user)).toEqual(['root', 'root', 'root', 'root', 'root']);
    expect(new Set(ssh.map((h) => h.identityFiles.join()))).toEqual(new Set([path.join(os.homedir(), '.ssh/break_glass')]));
    expect(inventory.hosts.find((h) => h.id === 'me')).toMatchObject({ user: 'ops', identityFiles: [] });
    const jumped = await loadInventory(fixture('hosts.pssh'), { sshConfigPath: fixture('ssh', 'config'), user: 'root' });
    expect(jumped.hosts.every((h) => h.user === 'root')).toBe(true);
    const db = await loadInventory(await tempFile('hosts', 'db1\n'), { sshConfigPath: fixture('ssh', 'config'), user: 'root' });
    expect(db.hosts[0]?.jump.map((j) => j.user)).toEqual(['jumper', 'fallback', 'admin']);
  });

  it('resolves aliases through the given ssh config', async () => {
    const inventory = await loadInventory(await tempFile('hosts', 'bastion\n'), { sshConfigPath: fixture('ssh', 'config') });
    expect(inventory.hosts[0]).toMatchObject({ address: 'bastion.example.net', port: 2222, user: 'jumper' });
  });

  it('names a missing file and says what to do', async () => {
    const missing = fixture('nope.yaml');
    const errors = await asyncErrorsOf(() => loadInventory(missing));
    expect(located(errors)).toEqual([`${missing}: inventory file not found`]);
    expect(errors.errors[0]?.hint).toBe('check the path, or omit --inventory to watch only this machine');
    expect(errors.message).toBe(`${missing}: inventory file not found\n  next: check the path, or omit --inventory to watch only this machine`);
  });

  it('reads a directory as an Ansible inventory directory, skipping files that are not inventories', async () => {
    const errors = await asyncErrorsOf(() => loadInventory(fixture('ssh'), noSsh));
    expect(located(errors)).toEqual([`${fixture('ssh')}: no hosts defined`]);
  });

  it('refuses an inventory without hosts', async () => {
    const file = await tempFile('empty.yaml', '# nothing yet\n');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)).toEqual([`${file}: no hosts defined`]);
  });

  it('fails on a missing --ssh-config', async () => {
    const missing = fixture('ssh', 'absent');
    const errors = await asyncErrorsOf(() => loadInventory(fixture('hosts.pssh'), { sshConfigPath: missing }));
    expect(errors.errors[0]?.message).toMatch(new RegExp(`^${missing}: cannot read ssh config: ENOENT`));
  });

  it('wraps ssh config errors like any other', async () => {
    const errors = await asyncErrorsOf(() => loadInventory(fixture('ssh', 'loop', 'config')));
    expect(located(errors)).toEqual([`${fixture('ssh', 'loop', 'loop-a.conf')}:2:1: Include loop: config -> loop-a.conf -> config`]);
  });
});
