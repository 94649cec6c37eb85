// config.yaml: defaults that a flag on the command line replaces, found
// through XDG_CONFIG_HOME, and errors at file:line:column like inventories.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyConfigFile, configFilePath, parseConfigFile } from '../../src/cli/config-file.js';
import { buildProgram } from '../../src/cli/program.js';
import type { GlobalOptions } from '../../src/cli/options.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(text: string): string {
  try {
    parseConfigFile('/etc/x/config.yaml', text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('config.yaml', () => {
  it('lives under XDG_CONFIG_HOME when it is absolute, else ~/.config', () => {
    expect(configFilePath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/baton/config.yaml');
    expect(configFilePath({ XDG_CONFIG_HOME: 'relative' })).toBe(join(homedir(), '.config/baton/config.yaml'));
    expect(configFilePath({})).toBe(join(homedir(), '.config/baton/config.yaml'));
  });

  it('gives defaults that flags on the command line replace', () => {
    const defaults = parseConfigFile('/etc/x/config.yaml', 'inventory: fleet.yaml\ninterval: 5\ntheme: light\nview: hosts\nknown-hosts: ~/kh\nread-only: true\n');
    expect(defaults).toEqual({ inventory: '/etc/x/fleet.yaml', interval: 5, theme: 'light', view: 'hosts', knownHosts: join(homedir(), 'kh'), readOnly: true });
    const parsed = (argv: string[]) => {
      const program = buildProgram(() => undefined);
      applyConfigFile(program, defaults);
      program.parseOptions(argv);
      return program.opts<GlobalOptions>();
    };
    expect(parsed([])).toMatchObject({ inventory: '/etc/x/fleet.yaml', interval: 5, theme: 'light', view: 'hosts', knownHosts: join(homedir(), 'kh'), readOnly: true });
    expect(parsed(['-i', 'other.yaml', '--interval', '0.5', '--theme', 'dark', '--view', 'ha', '--known-hosts', 'k2', '--no-read-only'])).toMatchObject({
      inventory: 'other.yaml',
      interval: 0.5,
      theme: 'dark',
      view: 'ha',
      knownHosts: 'k2',
      readOnly: false,
    });
  });

  it('names file, line and column of each bad value, with the close match', () => {
    expect(errorOf('interval: -1\n')).toBe('/etc/x/config.yaml:1:11: interval: expected seconds > 0 (e.g. 0.5, 2, 30), got -1');
    expect(errorOf('view: hosts\nread_only: true\n')).toBe('/etc/x/config.yaml:2:1: read_only: unknown key; expected one of inventory, interval, theme, view, known-hosts, read-only\n  next: did you mean "read-only"?');
    expect(errorOf('theme: drak\n')).toMatch(/^\/etc\/x\/config\.yaml:1:8: theme: no theme "drak"; expected one of .*\n {2}next: did you mean "dark"\?$/);
    expect(errorOf('interval: [1\n')).toMatch(/^\/etc\/x\/config\.yaml:2:1: YAML syntax: Flow sequence/);
  });

  it('is read by the built CLI: the file gives the inventory, -i replaces it, a bad file stops it', () => {
    const config = join(dir, 'xdg', 'baton');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(dir, 'a.hosts'), 'alpha1\nalpha2\n');
    writeFileSync(join(dir, 'b.hosts'), 'beta1\n');
    writeFileSync(join(config, 'config.yaml'), `inventory: ${join(dir, 'a.hosts')}\n`);
    const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'xdg') };
    const hosts = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, 'hosts', '--json', ...args], { encoding: 'utf8', env, timeout: 20_000 });
      return r.status === 0 ? (JSON.parse(r.stdout) as { hosts: { id: string }[] }).hosts.map((h) => h.id) : r.stderr;
    };
    expect(hosts()).toEqual(['alpha1', 'alpha2']);
    expect(hosts('-i', join(dir, 'b.hosts'))).toEqual(['beta1']);
    writeFileSync(join(config, 'config.yaml'), 'interval: 0\n');
    const r = spawnSync(process.execPath, [CLI, '--once', '--json'], { encoding: 'utf8', env, timeout: 20_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(config, 'config.yaml')}:1:11: interval: expected seconds > 0`);
  });
});
