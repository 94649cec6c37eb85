// The built CLI's text outputs (`baton hosts`, `--once`, error messages) on
// an inventory whose names, tags and users hold terminal escapes: every
// control character comes out as visible text, and each host keeps its row.
// The hosts refuse connections on 127.0.0.1:1, so --once fails fast.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '../../dist/cli/main.js');
let dir: string;

function baton(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LF = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

// YAML's double-quoted escapes: \e ESC, \a BEL, ESC c resets the terminal, OSC 0 retitles it.
const HOSTILE = [
  'name: "prod\\e]0;x\\a"',
  'defaults: { user: ops }',
  'hosts:',
  '  "web\\ec\\a01":',
  '    address: 127.0.0.1',
  '    port: 1',
  '    tags: { note: "two\\nlines\\tand\\x9b2J" }',
  '  db01:',
  '    address: 127.0.0.1',
  '    port: 1',
  '    user: "ops\\e]0;x\\a"',
  '',
].join('\n');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-hostile-cli-'));
  writeFileSync(join(dir, 'hostile.yaml'), HOSTILE);
  writeFileSync(join(dir, 'known_hosts'), '');
});

describe('control characters from the inventory and the hosts, in text output', () => {
  it('baton hosts: names, tags and the inventory name visible, one row per host', () => {
    const r = baton('hosts', '-i', join(dir, 'hostile.yaml'));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL_BUT_LF);
    expect(r.stdout.split('\n')).toEqual([
      '# prod^[]0;x^G (baton: ' + join(dir, 'hostile.yaml') + '), 2 hosts',
      'HOST        TARGET                   JUMP  GROUPS  TAGS                        ROLES',
      'web^[c^G01  ops@127.0.0.1:1          -     -       note=two^Jlines^Iand\\x9b2J  -',
      'db01        ops^[]0;x^G@127.0.0.1:1  -     -       -                           -',
      '',
    ]);
  });

  it('--once: the table and the errors in it', () => {
    const r = baton('--once', '-i', join(dir, 'hostile.yaml'), '--known-hosts', join(dir, 'known_hosts'), '--connect-timeout', '5');
    expect(r.code).toBe(2);
    expect(r.stdout).not.toMatch(CONTROL_BUT_LF);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^web\^\[c\^G01 +unreachable +- .* ops@127\.0\.0\.1:1: connection refused$/);
    expect(lines[2]).toMatch(/^db01 +unreachable +- .* ops\^\[\]0;x\^G@127\.0\.0\.1:1: connection refused$/);
  });

  it('an inventory error quoting a name', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'hosts:\n  "web\\e]0;x\\a01":\n    address: 127.0.0.1\n');
    const r = baton('hosts', '-i', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(CONTROL_BUT_LF);
    expect(r.stderr).toContain('hosts.web^[]0;x^G01: unexpected "]" without "[" in nodeset "web^[]0;x^G01"');
  });
});
