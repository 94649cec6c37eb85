import { readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadPssh } from '../../src/inventory/load-pssh.js';
import { loadSshConfig, SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, fixture, located } from './helpers.js';

const FILE = 'hosts.txt';
const none = new SshConfig('(none)');
const me = os.userInfo().username;

function targets(text: string, ssh: SshConfig = none): string[] {
  return loadPssh(text, FILE, ssh).hosts.map((h) => `${h.id}=${h.user}@${h.address}:${h.port}`);
}

describe('loadPssh', () => {
  it('reads [user@]host[:port] lines, comments and blank lines', () => {
    const file = fixture('hosts.pssh');
    const inventory = loadPssh(readFileSync(file, 'utf8'), file, none);
    expect(inventory).toMatchObject({ name: 'hosts', format: 'pssh', file, groups: {} });
    expect(inventory.hosts.map((h) => `${h.id}=${h.user}@${h.address}:${h.port}`)).toEqual([
      `web1=${me}@web1:22`,
      'web2:2222=deploy@web2:2222',
      `[::1]:2200=${me}@::1:2200`,
      '[fe80::1]=root@fe80::1:22',
      `fe80::2=${me}@fe80::2:22`,
      `bastion=${me}@bastion:22`,
    ]);
    expect(inventory.hosts[1]).toEqual({
      id: 'web2:2222',
      transport: 'ssh',
      address: 'web2',
      port: 2222,
      user: 'deploy',
      identityFiles: [],
      jump: [],
      tags: {},
      vars: {},
      roles: {},
      groups: [],
      source: { file, line: 3 },
    });
  });

  it('keeps two ports on one address apart', () => {
    expect(targets('db1:5432\ndb1:6432\ndb1\n')).toEqual([`db1:5432=${me}@db1:5432`, `db1:6432=${me}@db1:6432`, `db1=${me}@db1:22`]);
  });

  it('applies ~/.ssh/config aliases unless the line says otherwise', async () => {
    const ssh = await loadSshConfig(fixture('ssh', 'config'));
    expect(targets('bastion\nops@bastion:22\nweb1\n', ssh)).toEqual([
      'bastion=jumper@bastion.example.net:2222',
      'bastion:22=ops@bastion.example.net:22',
      'web1=fallback@web1.example.com:22',
    ]);
    expect(loadPssh('db1\n', FILE, ssh).hosts[0]?.jump.map((j) => j.address)).toEqual(['bastion.example.net', '10.9.0.1', 'edge']);
  });

  it('reports every bad line with line and column', () => {
    const text = ['web1', '  web2:abc', 'a@', '@b', '[::1', '[::1]x', 'web1 # again', 'web3 extra', 'web4:0', ''].join('\n');
    const errors = errorsOf(() => loadPssh(text, FILE, none));
    expect(located(errors)).toEqual([
      `${FILE}:2:8: expected a port 1-65535, got "abc"`,
      `${FILE}:3:3: missing host in "a@"`,
      `${FILE}:4:1: empty user before "@" in "@b"`,
      `${FILE}:5:1: unclosed "[" in "[::1"`,
      `${FILE}:6:6: expected ":port" after "]", got "x"`,
      `${FILE}:7:1: duplicate host "web1" (first on line 1)`,
      `${FILE}:8:5: unexpected whitespace in "web3 extra"`,
      `${FILE}:9:6: expected a port 1-65535, got "0"`,
    ]);
    expect(errors.errors[0]?.hint).toBe('write one [user@]host[:port] per line');
  });

  it('says a binary file is one, once, at its first NUL byte, with what to do', () => {
    // 5.7 KB of every byte value in a scrambled order, as `head -c 5700 /dev/urandom` gives.
    const bytes = Buffer.from(Array.from({ length: 5700 }, (_, i) => (i * 167 + 13) % 256));
    const errors = errorsOf(() => loadPssh(bytes.toString('utf8'), FILE, none));
    const nul = bytes.indexOf(0);
    const line = bytes.subarray(0, nul).toString('utf8').split('\n').length;
    expect(errors.errors).toHaveLength(1);
    expect(errors.errors[0]).toMatchObject({ line, detail: 'a NUL byte: this is binary data, not a pssh hosts file' });
    expect(errors.errors[0]?.hint).toMatch(/^point --inventory at a pssh hosts file/);
    expect(errors.message.length).toBeLessThan(300);
  });

  it('quotes at most a short line of a bad line, with control characters and bad bytes shown', () => {
    const long = `${'a'.repeat(3000)} b`;
    const text = ['web1', 'web\x1b]0;pwned\x07x', long, 'w\ufffd\ufffd', `${'\x01'.repeat(4000)}`, ''].join('\n');
    const errors = errorsOf(() => loadPssh(text, FILE, none));
    expect(located(errors)).toEqual([
      `${FILE}:2:4: unexpected control character ^[ in "web^[]0;pwned^Gx"`,
      `${FILE}:3:3001: unexpected whitespace in "${'a'.repeat(60)}…" (3,002 characters)`,
      `${FILE}:4:2: unexpected bytes that are not UTF-8 text in "w\ufffd\ufffd"`,
      `${FILE}:5:1: unexpected control character ^A in "${'^A'.repeat(60)}…" (4,000 characters)`,
    ]);
    // eslint-disable-next-line no-control-regex
    expect(errors.message).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(errors.errors.every((e) => e.hint === 'write one [user@]host[:port] per line')).toBe(true);
  });
});
