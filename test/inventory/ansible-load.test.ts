// The Ansible loader on its own: format detection, baton_roles/baton_tags,
// vault values and files skipped with their file:line, dynamic scripts only
// with --inventory-script, and errors located at file:line.
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/inventory/detect-format.js';
import { loadInventory } from '../../src/inventory/load.js';
import { asyncErrorsOf, fixture, located } from './helpers.js';

const ANSIBLE = path.resolve(import.meta.dirname, '../fixtures/ansible');
const noSsh = { sshConfigPath: fixture('ssh', 'empty') };

async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'baton-ansible-')), name);
  await writeFile(file, text);
  return file;
}

describe('detectFormat with Ansible inventories', () => {
  it.each([
    ['hosts', '[web]\nweb1\n', 'ansible'],
    ['hosts', '# x\nweb1 ansible_host=10.0.0.1\n', 'ansible'],
    ['hosts.ini', 'web1\nweb2\n', 'ansible'],
    ['inventory.json', '{"all": {"hosts": {"a": null}}}', 'ansible'],
    ['inventory.yml', 'all:\n  hosts:\n    web1:\n', 'ansible'],
    ['inventory.yaml', 'web:\n  hosts: { web1: }\ndb:\n  children: { pg: }\n', 'ansible'],
    ['lab.yaml', 'hosts:\n  web1: { address: 10.0.0.1 }\ngroups:\n  web: { hosts: [web1] }\n', 'baton'],
    ['hosts', 'all:\n  children:\n    web:\n', 'ansible'],
    ['inventory', '#!/usr/bin/env python3\nprint("{}")\n', 'ansible-script'],
    ['hosts', 'web1\nuser@web2:2222\n[::1]:2200\n', 'pssh'],
    ['config', 'Host web1\n  HostName 10.0.0.1\n', 'ssh-config'],
  ] as const)('%s with %j is %s', (file, text, format) => {
    expect(detectFormat(file, text)).toBe(format);
  });

  it('takes an executable binary for a script, but not a text file with the x bit', () => {
    expect(detectFormat('inv', '\x7fELF\0\0', { executable: true })).toBe('ansible-script');
    expect(detectFormat('hosts', 'web1\n', { executable: true })).toBe('pssh');
  });

  it('says which formats were tried when a file falls through to pssh and fails there', async () => {
    const file = await tempFile('hosts', 'web1 web2\n');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)[0]).toBe(
      `${file}: read as a pssh hosts file, the last format tried: not baton YAML (no .yaml/.yml extension), not ssh_config (the first line is not Host, Match or Include), not an Ansible inventory (no [group] section, no "host key=value" line, no YAML mapping of groups)`,
    );
    expect(located(errors)[1]).toMatch(/:1:5: unexpected whitespace/);
  });
});

describe('baton roles and tags declared in an Ansible inventory', () => {
  it('reads baton_roles and baton_tags as baton YAML reads roles: and tags:', async () => {
    const ini = await loadInventory(path.join(ANSIBLE, 'ini/hosts'), noSsh);
    const host = (id: string) => ini.hosts.find((h) => h.id === id);
    expect(host('lb1')?.roles).toEqual({ haproxy: { socket: '/run/haproxy/admin.sock' } });
    expect(host('db-a')?.roles).toEqual({ pacemaker: {} });
    expect(host('db-x')?.tags).toEqual({ tier: 'db', backup: 'true' });
    expect(host('db-x')?.vars).not.toHaveProperty('baton_tags');
    const yaml = await loadInventory(path.join(ANSIBLE, 'yaml/inventory.yml'), noSsh);
    const web1 = yaml.hosts.find((h) => h.id === 'web1.example.net');
    expect(web1?.roles).toEqual({ nginx: {}, redis: {} });
    expect(web1?.tags).toEqual({ tier: 'web' });
    expect(yaml.hosts.find((h) => h.id === 'db1.example.net')?.roles).toEqual({ pacemaker: { cluster: 'pg' } });
  });

  it('reports a baton_roles the schema refuses at the line that set it', async () => {
    const file = await tempFile('hosts', '[lb]\nlb1 baton_roles="{\'haproxy\': {\'socket\': \'admin.sock\'}}"\nlb2 baton_roles="{\'haproxi\': True}"\n');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)).toEqual([
      `${file}:2:1: baton_roles.haproxy.socket: expected an absolute socket path`,
      `${file}:3:1: baton_roles: unknown key(s) haproxi`,
    ]);
  });
});

describe('Ansible Vault', () => {
  it('skips an inline !vault value with a warning at its line, the rest of the host kept', async () => {
    const file = path.join(ANSIBLE, 'yaml/inventory.yml');
    const inventory = await loadInventory(file, noSsh);
    expect(inventory.warnings).toEqual([`${file}:29:35: db_password: Ansible Vault value: encrypted, skipped`]);
    const db1 = inventory.hosts.find((h) => h.id === 'db1.example.net');
    expect(db1?.vars).not.toHaveProperty('db_password');
    expect(db1?.jump).toHaveLength(1);
  });

  it('skips a vault-encrypted group_vars file with a warning naming it', async () => {
    const dir = path.join(ANSIBLE, 'dir');
    const inventory = await loadInventory(dir, noSsh);
    expect(inventory.warnings).toEqual([
      `${path.join(dir, 'group_vars/db.yml')}:1:1: Ansible Vault file: encrypted, skipped\n  next: baton reads no vault password; put the variables baton needs in a file that is not encrypted`,
    ]);
    expect(inventory.hosts.map((h) => h.id)).toEqual(['web01', 'web02', 'db-a', 'web03']);
  });
});

describe('dynamic inventory scripts', () => {
  it('are not run without --inventory-script, and the error says so', async () => {
    const file = path.join(ANSIBLE, 'script/with-meta');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(errors.message).toBe(`${file}: an executable inventory (an Ansible dynamic inventory script): not run\n  next: baton runs it (with-meta --list) only with --inventory-script`);
  });

  it('report a script that fails, with its stderr', async () => {
    const file = await tempFile('broken', '#!/bin/sh\necho "no cloud credentials" >&2\nexit 3\n');
    await chmod(file, 0o755);
    const errors = await asyncErrorsOf(() => loadInventory(file, { ...noSsh, inventoryScript: true }));
    expect(located(errors)).toEqual([expect.stringMatching(/broken: inventory script .*broken --list failed: .*; stderr: "no cloud credentials"$/)]);
  });
});

describe('connection variables baton cannot use', () => {
  it('warns about ssh options it ignores and skips hosts of another connection type', async () => {
    const file = await tempFile('hosts', 'web1 ansible_ssh_common_args="-o StrictHostKeyChecking=no -o ProxyJump=bastion"\nwin1 ansible_connection=winrm\n');
    const inventory = await loadInventory(file, noSsh);
    expect(inventory.hosts.map((h) => h.id)).toEqual(['web1']);
    expect(inventory.hosts[0]?.jump.map((j) => j.address)).toEqual(['bastion']);
    expect(inventory.groups.ungrouped).toEqual(['web1']);
    expect(inventory.warnings).toEqual([
      `${file}:1:1: ansible_ssh_common_args: "-o StrictHostKeyChecking=no" not used by baton (it reads -J, -o ProxyJump and -o ProxyCommand="ssh -W %h:%p ...")`,
      `${file}:2:1: host "win1": ansible_connection=winrm is not ssh or local, host skipped`,
    ]);
  });

  it('refuses a port that is not one, at the line that set it', async () => {
    const file = await tempFile('hosts', '[web]\nweb1\n[web:vars]\nansible_port=http\n');
    const errors = await asyncErrorsOf(() => loadInventory(file, noSsh));
    expect(located(errors)).toEqual([`${file}:4:1: host "web1": expected a port 1-65535, got "http"`]);
  });
});
