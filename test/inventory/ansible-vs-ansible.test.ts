// baton's reading of Ansible inventories checked against Ansible itself:
// `ansible-inventory -i SOURCE --list` on every fixture must name the same
// hosts, the same groups (members through children), the same connection
// values and the same variables (precedence included) as baton's loader.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentUser } from '../../src/inventory/local-env.js';
import { loadInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/types.js';
import { fixture } from './helpers.js';

const ANSIBLE_FIXTURES = path.resolve(import.meta.dirname, '../fixtures/ansible');
const VAULT_PASSWORD = path.join(ANSIBLE_FIXTURES, 'vault-password');
const noSsh = { sshConfigPath: fixture('ssh', 'empty'), inventoryScript: true };

function which(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAVE_ANSIBLE = which('ansible-inventory');

/** Connection variables baton turns into HostSpec fields instead of vars. */
const CONSUMED = new Set([
  'ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port', 'ansible_user', 'ansible_ssh_user',
  'ansible_private_key_file', 'ansible_ssh_private_key_file', 'ansible_ssh_common_args', 'ansible_ssh_extra_args',
  'ansible_connection', 'baton_roles', 'baton_tags',
]);

/** The jump host each ssh args value in the corpus means, written out by hand. */
const JUMPS: Record<string, { user: string; address: string; port: number }> = {
  '-o ProxyJump=jump@203.0.113.10:22': { user: 'jump', address: '203.0.113.10', port: 22 },
  '-J ops@bastion2.example.net:2200': { user: 'ops', address: 'bastion2.example.net', port: 2200 },
  '-o ProxyCommand="ssh -W %h:%p -q -p 2201 ops@203.0.113.11"': { user: 'ops', address: '203.0.113.11', port: 2201 },
  '-o ProxyJump=ops@mgmt.example.net': { user: 'ops', address: 'mgmt.example.net', port: 22 },
};

interface AnsibleList {
  hostvars: Record<string, Record<string, unknown>>;
  /** Group -> every host in it, through children. */
  groups: Record<string, string[]>;
}

function ansibleList(source: string): AnsibleList {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'baton-ansible-'));
  // An empty config: no /etc/ansible/ansible.cfg, no playbook dir vars from the cwd.
  writeFileSync(path.join(cwd, 'ansible.cfg'), '');
  const out = execFileSync('ansible-inventory', ['--vault-password-file', VAULT_PASSWORD, '-i', source, '--list'], {
    cwd,
    env: { ...process.env, ANSIBLE_CONFIG: path.join(cwd, 'ansible.cfg'), ANSIBLE_LOCAL_TEMP: cwd, ANSIBLE_HOME: cwd, ANSIBLE_NOCOLOR: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const data = JSON.parse(out) as Record<string, { hosts?: string[]; children?: string[]; hostvars?: AnsibleList['hostvars'] }>;
  const hostvars = data._meta?.hostvars ?? {};
  const members = (group: string): string[] => [
    ...(data[group]?.hosts ?? []),
    ...(data[group]?.children ?? []).flatMap(members),
  ];
  const groups: Record<string, string[]> = {};
  for (const group of Object.keys(data)) if (group !== '_meta') groups[group] = group === 'all' ? Object.keys(hostvars) : [...new Set(members(group))];
  return { hostvars, groups };
}

function nonEmptySorted(groups: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(groups).filter(([, m]) => m.length > 0).map(([g, m]) => [g, [...m].sort()]));
}

/** What the host's Ansible variables say baton must connect to, derived independently of baton's code. */
function expectedConnection(name: string, vars: Record<string, unknown>, baseDir: string) {
  const pick = (...keys: string[]) => keys.map((k) => vars[k]).filter((v) => v !== undefined).at(-1);
  if (vars.ansible_connection === 'local') return { transport: 'local', address: '127.0.0.1' };
  const args = [vars.ansible_ssh_common_args, vars.ansible_ssh_extra_args].filter((a) => a !== undefined).map(String);
  const jump = args.map((a) => JUMPS[a]).find((j) => j !== undefined);
  const key = pick('ansible_private_key_file', 'ansible_ssh_private_key_file');
  return {
    transport: 'ssh',
    address: String(pick('ansible_host', 'ansible_ssh_host') ?? name),
    port: Number(pick('ansible_port', 'ansible_ssh_port') ?? 22),
    user: String(pick('ansible_user', 'ansible_ssh_user') ?? currentUser()),
    identityFiles: key === undefined ? [] : [path.resolve(baseDir, String(key))],
    jump: jump === undefined ? [] : [{ ...jump, identityFiles: [] }],
  };
}

function isVaulted(value: unknown): boolean {
  return typeof value === 'object' && value !== null && '__ansible_vault' in value;
}

const CORPUS: { name: string; source: string; vaultFileVars?: string[] }[] = [
  { name: 'INI file: ranges, ports, literals, nested children, ProxyJump/-J/ProxyCommand, local', source: 'ini/hosts' },
  { name: 'YAML file with group_vars/host_vars beside it and an inline vault value', source: 'yaml/inventory.yml' },
  // group_vars/db.yml is a vault file: Ansible decrypts it with the password, baton skips it.
  { name: 'directory of INI and YAML files, group_vars as a directory, a vault-encrypted vars file', source: 'dir', vaultFileVars: ['db_password'] },
  { name: 'vars precedence: all < parent < child < host, inline < files, priority and name order', source: 'precedence/hosts' },
  { name: 'dynamic inventory script with _meta', source: 'script/with-meta' },
  { name: 'dynamic inventory script asked --host per host', source: 'script/per-host' },
];

describe.skipIf(!HAVE_ANSIBLE)('Ansible inventories as ansible-inventory --list reads them (skipped only without ansible-core; test/install-deps.sh installs it)', () => {
  it.each(CORPUS)('$name', async ({ source, vaultFileVars = [] }) => {
    const file = path.join(ANSIBLE_FIXTURES, source);
    const ansible = ansibleList(file);
    const baton: Inventory = await loadInventory(file, noSsh);
    expect(baton.format).toBe('ansible');
    expect(baton.hosts.map((h) => h.id).sort()).toEqual(Object.keys(ansible.hostvars).sort());
    expect(nonEmptySorted(baton.groups)).toEqual(nonEmptySorted(ansible.groups));
    const baseDir = source === 'dir' ? file : path.dirname(file);
    for (const host of baton.hosts) {
      const vars = ansible.hostvars[host.id] ?? {};
      expect(host, host.id).toMatchObject(expectedConnection(host.id, vars, baseDir));
      const plain = Object.fromEntries(Object.entries(vars).filter(([k, v]) => !CONSUMED.has(k) && !isVaulted(v) && !vaultFileVars.includes(k)));
      expect(host.vars, host.id).toEqual(plain);
    }
  }, 60_000);
});
