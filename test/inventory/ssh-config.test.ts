import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { loadSshConfigInventory } from '../../src/inventory/load-ssh-config.js';
import { loadSshConfig, type SshConfig } from '../../src/inventory/ssh-config.js';
import { errorsOf, fixture, located } from './helpers.js';

const home = os.homedir();

async function failure(load: () => Promise<unknown>): Promise<InventoryError> {
  try {
    await load();
  } catch (error) {
    if (error instanceof InventoryError) return error;
    throw error;
  }
  throw new Error('expected the load to fail');
}

describe('ssh config', () => {
  let ssh: SshConfig;
  beforeAll(async () => {
    ssh = await loadSshConfig(fixture('ssh', 'config'));
  });

  it('lists concrete aliases in file order, Includes spliced in glob order', () => {
    expect(ssh.aliases().map((a) => a.alias)).toEqual(['app1', 'cache1', 'bastion', 'inner-bastion', 'db1', 'db2', 'web1', 'app2']);
    expect(ssh.aliases()[0]?.source).toEqual({ file: fixture('ssh', 'config.d', '10-app.conf'), line: 1, column: 1 });
    expect(ssh.aliases()[4]?.source).toEqual({ file: fixture('ssh', 'config'), line: 14, column: 1 });
    expect(ssh.hasAlias('not-included')).toBe(false);
  });

  it('resolves an alias like ssh does, first value wins, Host * last', () => {
    expect(ssh.resolveAlias('bastion')).toEqual({
      address: 'bastion.example.net',
      port: 2222,
      user: 'jumper',
      identityFiles: [`${home}/.ssh/bastion_key`, `${home}/.ssh/id_default`],
      jump: [],
    });
  });

  it('applies Host * defaults to unknown names', () => {
    expect(ssh.resolveAlias('elsewhere')).toEqual({ user: 'fallback', identityFiles: [`${home}/.ssh/id_default`], jump: [] });
  });

  it('honours wildcards and negations', () => {
    expect(ssh.resolveAlias('x.lab').user).toBe('labuser');
    expect(ssh.resolveAlias('skip.lab').user).toBe('fallback');
    expect(ssh.resolveAlias('nothing')).toEqual({ identityFiles: [], jump: [] });
  });

  it('expands %h and %r tokens and keeps several IdentityFiles in order', () => {
    expect(ssh.resolveAlias('web1')).toMatchObject({
      address: 'web1.example.com',
      identityFiles: [`${home}/.ssh/web_key`, '/etc/keys/web1.example.com_fallback', `${home}/.ssh/id_default`],
    });
  });

  it('reads an Include inside a Host block as part of that block', () => {
    expect(ssh.resolveAlias('app2')).toMatchObject({ address: '10.2.2.2', port: 2022 });
  });

  it('resolves a ProxyJump chain, each hop through the config, the first hop’s own jump first', () => {
    expect(ssh.resolveAlias('db1').jump).toEqual([
      { address: 'bastion.example.net', port: 2222, user: 'jumper', identityFiles: [`${home}/.ssh/bastion_key`, `${home}/.ssh/id_default`] },
      { address: '10.9.0.1', port: 22, user: 'fallback', identityFiles: [`${home}/.ssh/id_default`] },
      { address: 'edge', port: 2200, user: 'admin', identityFiles: [`${home}/.ssh/id_default`] },
    ]);
  });

  it('resolves jump specs given by the inventory, with URIs and IPv6', () => {
    const where = { file: 'inv.yaml', line: 3, column: 5 };
    expect(ssh.resolveJump('ssh://me@[::1]:2022,bastion', ['x'], where).map((j) => `${j.user}@${j.address}:${j.port}`)).toEqual([
      'me@::1:2022',
      'jumper@bastion.example.net:2222',
    ]);
    expect(ssh.resolveJump('none', ['x'], where)).toEqual([]);
    const error = (() => {
      try {
        ssh.resolveJump('a,,b', ['x'], where);
      } catch (e) {
        return e as InventoryError;
      }
    })();
    expect(error?.message).toBe('inv.yaml:3:5: ProxyJump "a,,b": missing host in ""');
  });

  it('keeps top-level directives after an Include global', async () => {
    const config = await loadSshConfig(fixture('ssh', 'global-after-include'));
    expect(config.resolveAlias('app1')).toMatchObject({ address: 'app1.internal', user: 'app', port: 2201 });
    expect(config.resolveAlias('other').port).toBe(2201);
  });

  it('reports an Include loop at the Include that closes it', async () => {
    const error = await failure(() => loadSshConfig(fixture('ssh', 'loop', 'config')));
    expect(error.message).toBe(`${fixture('ssh', 'loop', 'loop-a.conf')}:2:1: Include loop: config -> loop-a.conf -> config`);
  });

  it('refuses Host blocks in a file included from inside a Host block', async () => {
    const error = await failure(() => loadSshConfig(fixture('ssh', 'nested', 'config')));
    expect(error.message).toBe(
      `${fixture('ssh', 'nested', 'inner.conf')}:2:1: Host block in a file included from inside a Host/Match block is not supported`,
    );
    expect(error.hint).toBe('move the Include line above the first Host or Match line');
  });

  it('reports unparsable lines with their line number', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-ssh-'));
    const file = path.join(dir, 'config');
    await writeFile(file, 'Host a\n  User x\n  ProxyCommand "unterminated\n');
    const error = await failure(() => loadSshConfig(file));
    expect([error.line, error.column]).toEqual([3, 1]);
    expect(error.detail).toMatch(/^cannot parse ssh config: Unexpected line break/);
  });

  it('follows symlinked includes and ignores includes that match nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'baton-ssh-'));
    await writeFile(path.join(dir, 'real.conf'), 'Host linked\n  Port 2999\n');
    await symlink(path.join(dir, 'real.conf'), path.join(dir, 'link.conf'));
    await writeFile(path.join(dir, 'config'), 'Include link.conf missing/*.conf\n');
    const config = await loadSshConfig(path.join(dir, 'config'));
    expect(config.aliases().map((a) => a.alias)).toEqual(['linked']);
    expect(config.resolveAlias('linked').port).toBe(2999);
  });

  it('treats a missing optional config as empty and a missing given one as an error', async () => {
    const missing = fixture('ssh', 'no-such-config');
    expect((await loadSshConfig(missing, { optional: true })).aliases()).toEqual([]);
    const error = await failure(() => loadSshConfig(missing));
    expect(error.message).toMatch(new RegExp(`^${missing}: cannot read ssh config: ENOENT`));
  });
});

describe('ssh config as an inventory', () => {
  it('turns every concrete alias into a host', async () => {
    const inventory = loadSshConfigInventory(await loadSshConfig(fixture('ssh', 'config')));
    expect(inventory).toMatchObject({ name: 'config', format: 'ssh-config', file: fixture('ssh', 'config'), groups: {} });
    expect(inventory.hosts.map((h) => `${h.id}=${h.user}@${h.address}:${h.port}`)).toEqual([
      'app1=app@app1.internal:22',
      'cache1=fallback@10.1.1.1:6380',
      'bastion=jumper@bastion.example.net:2222',
      'inner-bastion=fallback@10.9.0.1:22',
      'db1=postgres@db1:22',
      'db2=postgres@db2:22',
      'web1=fallback@web1.example.com:22',
      'app2=fallback@10.2.2.2:2022',
    ]);
    expect(inventory.hosts[3]).toMatchObject({
      transport: 'ssh',
      jump: [{ address: 'bastion.example.net', port: 2222, user: 'jumper' }],
      tags: {},
      vars: {},
      roles: {},
      groups: [],
      source: { file: fixture('ssh', 'config'), line: 10 },
    });
  });

  it('reports every bad value and jump loop with its line', async () => {
    const bad = fixture('ssh', 'bad', 'config');
    const config = await loadSshConfig(bad);
    const errors = errorsOf(() => loadSshConfigInventory(config));
    expect(located(errors)).toEqual([
      `${bad}:2:3: ProxyJump loop: a -> b -> a`,
      `${bad}:4:3: ProxyJump loop: b -> a -> b`,
      `${bad}:6:3: Port: expected an integer 1-65535, got "abc"`,
    ]);
  });
});
