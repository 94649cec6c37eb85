// The shell completions and baton.1, as the built CLI writes them: valid
// scripts that complete for real in bash (compgen driving the function), and
// a man page that renders without warnings and lists every command --help does.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const dir = mkdtempSync(join(tmpdir(), 'baton-completion-'));
// The scripts call `baton` by the name typed: one on PATH that is the built CLI.
writeFileSync(join(dir, 'baton'), `#!/bin/sh\nexec ${quote([process.execPath, CLI])} "$@"\n`);
chmodSync(join(dir, 'baton'), 0o755);
const env = { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(dir, 'config') };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function baton(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 20_000 });
}

const hasShell = (shell: string) => spawnSync(shell, ['-c', 'true']).status === 0;

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'])('%s: the script parses', (shell) => {
    const file = join(dir, `completion.${shell}`);
    writeFileSync(file, baton('completion', shell));
    if (!hasShell(shell)) return; // zsh and fish are optional on the test machine; bash is not
    const r = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  /** What bash offers for the words typed so far (the last one being completed). */
  function complete(...words: string[]): string[] {
    const file = join(dir, 'completion.bash');
    writeFileSync(file, baton('completion', 'bash'));
    const script = `source ${quote([file])}; COMP_WORDS=(${quote(words)}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _baton; printf '%s\\n' "\${COMPREPLY[@]}"`;
    return execFileSync('bash', ['-c', script], { encoding: 'utf8', env, timeout: 20_000 }).split('\n').filter(Boolean);
  }

  it('completes commands, subcommands and options', () => {
    expect(complete('baton', 'ho')).toEqual(['hosts']);
    expect(complete('baton', 'lab', 'u')).toEqual(['up']);
    expect(complete('baton', '--vi')).toEqual(['--view']);
    expect(complete('baton', 'exec', '--ho')).toEqual(['--hosts']);
    expect(complete('baton', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes view and theme names, and inventory hosts after --hosts', () => {
    expect(complete('baton', '--view', 'ov')).toEqual(['overview']);
    expect(complete('baton', '--theme', '')).toEqual(expect.arrayContaining(['dark', 'light', 'high-contrast', 'monochrome', 'colour-blind']));
    const inventory = join(ROOT, 'inventories/example.yaml');
    const hosts = complete('baton', 'exec', '-i', inventory, '--hosts', '');
    const listed = JSON.parse(baton('hosts', '--json', '-i', inventory)) as { hosts: { id: string }[] };
    expect(hosts).toEqual(expect.arrayContaining(listed.hosts.map((h) => h.id)));
    expect(complete('baton', 'exec', '-i', inventory, '--hosts', 'web')).toEqual(listed.hosts.map((h) => h.id).filter((id) => id.startsWith('web')));
  });
});

describe('man page', () => {
  const page = join(dir, 'baton.1');
  writeFileSync(page, baton('__man-page'));

  it('renders without a warning', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', page], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('is what the build installs, and lists every command and option --help lists', () => {
    expect(execFileSync('cat', [join(ROOT, 'dist/baton.1')], { encoding: 'utf8' })).toBe(baton('__man-page'));
    const text = execFileSync('man', ['-l', page], { encoding: 'utf8', env: { ...env, MANWIDTH: '200', MAN_KEEP_FORMATTING: '' } });
    const help = baton('--help');
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(5);
    for (const command of commands) expect(text, command).toMatch(new RegExp(`^ {3}${command}$`, 'm'));
    for (const option of help.slice(0, help.indexOf('Commands:')).matchAll(/^ {2}(-[\w-]+(?:, --[\w-]+)?)/gm)) expect(text, option[1]).toContain(option[1]);
  });
});
