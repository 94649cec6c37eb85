// The remote command's shell: every inventory value reaches redis-cli as one
// argument, exactly as written, and nothing in a key name is ever run.
// A stand-in redis-cli on PATH records what it was called with.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GROUPS_AWK, redisQueueProbeCommand, type RedisQueueConfig } from '../../../src/probes/queues/redis-queues.js';
import { fixture, STATES } from './fixtures.js';

const EVIL = [`it's`, '$(touch pwned)', '`touch pwned`', 'two words', 'back\\slash', '-n', '"quoted"', '*'];

const dir = mkdtempSync(join(tmpdir(), 'baton-redis-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Records each call's arguments (NUL after each, RS after the call); answers
// --scan from $BT_SCAN, TYPE with "list", --raw XINFO GROUPS from $BT_GROUPS.
writeFileSync(
  join(dir, 'redis-cli'),
  `#!/bin/sh
printf '%s\\0' "$@" >>"$BT_LOG"; printf '\\036' >>"$BT_LOG"
case "$*" in
  *--scan*) printf '%s\\n' "$BT_SCAN" ;;
  *" TYPE "*) echo list ;;
  *"--raw XINFO GROUPS"*) printf '%s\\n' "$BT_GROUPS" ;;
esac
`,
);
chmodSync(join(dir, 'redis-cli'), 0o755);

function calls(config: RedisQueueConfig, env: Record<string, string> = {}): { argv: string[][]; stdout: string } {
  const log = join(dir, `log-${Math.random()}`);
  const stdout = execFileSync('/bin/sh', ['-c', redisQueueProbeCommand(config)], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, BT_LOG: log, BT_SCAN: '', BT_GROUPS: '', ...env },
  });
  const argv = readFileSync(log, 'utf8').split('\x1e').filter(Boolean).map((call) => call.split('\0').slice(0, -1));
  return { argv, stdout };
}

const base: RedisQueueConfig = { host: '127.0.0.1', port: 6379, streams: [], lists: [] };

describe('redisQueueProbeCommand', () => {
  it('passes every key, group and pattern to redis-cli verbatim, as one argument', () => {
    const groups = EVIL.flatMap((g, i) => ['name', g, 'pending', '0', 'last-delivered-id', `${i}-0`]).join('\n');
    const { argv, stdout } = calls(
      { ...base, host: 'mq 1; touch pwned', streams: EVIL, lists: EVIL, deadLetters: EVIL, discover: { pattern: '$(touch pwned)*', maxKeys: 20, seconds: 1 } },
      { BT_GROUPS: groups, BT_SCAN: ['found one', ...EVIL].join('\n') },
    );
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    const asked = (command: string, key: string) => argv.some((a) => a.at(-2) === command && a.at(-1) === key);
    for (const key of EVIL) {
      expect(asked('STREAM', key), key).toBe(true);
      expect(asked('LLEN', key), key).toBe(true);
      expect(argv.some((a) => a.at(-3) === 'CONSUMERS' && a.at(-1) === key), `group ${key}`).toBe(true);
    }
    const withHost = argv.filter((a) => a[0] === '-h');
    expect(withHost.length).toBeGreaterThan(0);
    expect(withHost.every((a) => a[1] === 'mq 1; touch pwned')).toBe(true);
    expect(argv.find((a) => a.includes('--scan'))).toEqual(expect.arrayContaining(['--pattern', '$(touch pwned)*']));
    // Keys from the inventory are not asked about again when the scan finds them.
    expect(argv.filter((a) => a.includes('TYPE')).map((a) => a.at(-1))).toEqual(['found one']);
    expect(stdout).toContain('@@baton:list found one\n');
    expect(stdout.trimEnd().endsWith('@@baton:end')).toBe(true);
  });

  it('asks for the first undelivered entry only of a group with nothing pending', () => {
    const groups = ['name', 'busy', 'pending', '3', 'last-delivered-id', '1795319544550-0', 'name', 'idle', 'pending', '0', 'last-delivered-id', '1795319544550-7'].join('\n');
    const { argv } = calls({ ...base, streams: ['orders'] }, { BT_GROUPS: groups });
    expect(argv.filter((a) => a.includes('XRANGE')).map((a) => a.slice(-5))).toEqual([['orders', '1795319544550-8', '+', 'COUNT', '1']]);
    expect(argv.filter((a) => a.includes('XPENDING')).map((a) => a.at(-1))).toEqual(['busy', 'idle']);
  });

  it('stops the scan at maxKeys and says so', () => {
    const { stdout } = calls({ ...base, discover: { pattern: '*', maxKeys: 2, seconds: 1 } }, { BT_SCAN: 'a\nb\nc\nd' });
    expect(stdout.match(/^@@baton:list .*$/gm)).toEqual(['@@baton:list a', '@@baton:list b']);
    expect(stdout).toContain('@@baton:scan-capped');
  });

  it('says when redis-cli is missing instead of failing silently', () => {
    const stdout = execFileSync('/bin/sh', ['-c', redisQueueProbeCommand(base)], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    expect(stdout).toMatch(/^@@baton:none\nredis-cli is not installed/);
  });
});

describe('GROUPS_AWK on real redis-cli --raw XINFO GROUPS output', () => {
  const awk = (input: string) => execFileSync('awk', [GROUPS_AWK], { input, encoding: 'utf8' });

  it.each(STATES)('prints the group, its pending count and the id after its cursor (%s)', (state) => {
    const [group] = JSON.parse(fixture(state, 'xinfo-groups', 'json')) as { name: string; pending: number; 'last-delivered-id': string }[];
    const [ms, seq] = group!['last-delivered-id'].split('-');
    expect(awk(fixture(state, 'xinfo-groups', 'raw'))).toBe(`${group!.name}\n${group!.pending}\n${ms}-${Number(seq) + 1}\n`);
  });

  it('prints nothing for an error reply', () => {
    expect(awk(fixture('steady', 'xinfo-stream-missing', 'raw'))).toBe('');
  });
});
