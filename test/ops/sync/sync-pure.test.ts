// The pure parts of sync: Ansible's serial batches (properties), globs,
// the host manifest parser (real find/sha256sum output), drift states and
// which kept copy a rollback restores.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostDrift } from '../../../src/ops/sync/drift.js';
import { inScope } from '../../../src/ops/sync/glob.js';
import { batchSize, serialBatches } from '../../../src/ops/sync/serial-batches.js';
import { localManifest, manifestCommand, parseManifest, type TreeManifest } from '../../../src/ops/sync/tree-manifest.js';
import { parseVersions, restoreTargets } from '../../../src/ops/sync/versions.js';

const spec = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 100 }).map((p) => `${p}%`));

describe('serialBatches (Ansible serial)', () => {
  it('every host once, in order; sizes follow the list, the last repeating', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 120 }), fc.array(spec, { minLength: 1, maxLength: 5 }), (hosts, serial) => {
        const batches = serialBatches(hosts, serial);
        expect(batches.flat()).toEqual(hosts);
        batches.forEach((b, i) => {
          const want = batchSize(serial[Math.min(i, serial.length - 1)]!, hosts.length);
          if (i < batches.length - 1) expect(b.length).toBe(want);
          else expect(b.length).toBeLessThanOrEqual(want);
          expect(b.length).toBeGreaterThan(0);
        });
      }),
    );
  });
  it('[1, 25%, 100%] of 10 hosts: 1, 2, 10 (percentages of all hosts, rounded down, at least 1)', () => {
    expect(serialBatches([...'abcdefghij'], [1, '25%', '100%']).map((b) => b.length)).toEqual([1, 2, 7]);
    expect(serialBatches([...'abc'], ['10%']).map((b) => b.length)).toEqual([1, 1, 1]);
    expect(serialBatches([...'abc'], undefined)).toEqual([['a', 'b', 'c']]);
  });
});

describe('include/exclude globs', () => {
  it('* stays in a segment, ** spans directories, a bare glob matches the name anywhere', () => {
    expect(inScope('conf.d/a.cfg', ['*.cfg'], [])).toBe(true);
    expect(inScope('conf.d/a.cfg', ['conf.d/*'], [])).toBe(true);
    expect(inScope('conf.d/x/a.cfg', ['conf.d/*'], [])).toBe(false);
    expect(inScope('conf.d/x/a.cfg', ['conf.d/**'], [])).toBe(true);
    expect(inScope('a.cfg', ['**/*.cfg'], [])).toBe(true);
    expect(inScope('a.cfg.bak', ['*.cfg'], [])).toBe(false);
    expect(inScope('x/a.swp', [], ['*.sw[po]'])).toBe(false);
    expect(inScope('x/a.txt', [], ['*.sw[po]'])).toBe(true);
  });
});

describe('manifest of a real tree (find -L + sha256sum here)', () => {
  it('hashes, a followed symlink, a dangling one, names with spaces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sync-pure-'));
    try {
      mkdirSync(join(dir, 't/sub dir'), { recursive: true });
      writeFileSync(join(dir, 't/a.cfg'), 'a\n');
      writeFileSync(join(dir, 't/sub dir/b c'), 'b\n');
      symlinkSync('a.cfg', join(dir, 't/link'));
      symlinkSync('nowhere', join(dir, 't/dangling'));
      const run = (p: string) => execFileSync('sh', ['-c', manifestCommand(p)], { encoding: 'utf8' });
      const m = parseManifest(run(join(dir, 't')), '') as TreeManifest;
      const sha = (s: string) => execFileSync('sha256sum', { input: s, encoding: 'utf8' }).slice(0, 64);
      expect(m.kind).toBe('dir');
      expect(m.files).toEqual([
        { rel: 'a.cfg', size: 2, sha256: sha('a\n') },
        { rel: 'dangling', size: 0, symlink: true, error: 'dangling symlink' },
        { rel: 'link', size: 2, sha256: sha('a\n'), symlink: true },
        { rel: 'sub dir/b c', size: 2, sha256: sha('b\n') },
      ]);
      expect(parseManifest(run(join(dir, 't/a.cfg')), '')).toEqual({ kind: 'file', files: [{ rel: '', size: 2, sha256: sha('a\n') }] });
      expect(parseManifest(run(join(dir, 'none')), '')).toEqual({ kind: 'absent', files: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('hashes with openssl where the host has it; a name holding a newline forges no line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sync-pure-'));
    try {
      mkdirSync(join(dir, 't'));
      writeFileSync(join(dir, 't/b'), 'real\n');
      const sha = (s: string) => execFileSync('sha256sum', { input: s, encoding: 'utf8' }).slice(0, 64);
      // Split on newlines, this name's second half would read as a line for `dangling`, which has
      // none of its own (a link to nowhere is never hashed); openssl escapes it, as sha256sum does.
      symlinkSync('nowhere', join(dir, 't/dangling'));
      writeFileSync(join(dir, 't', `x\n${sha('forged\n')} *dangling`), 'x');
      const out = execFileSync('sh', ['-c', manifestCommand(join(dir, 't'))], { encoding: 'utf8' });
      expect(out).toContain('O\0');
      const m = parseManifest(out, '') as TreeManifest;
      expect(m.files.find((f) => f.rel === 'b')).toEqual({ rel: 'b', size: 5, sha256: sha('real\n') });
      expect(m.files.find((f) => f.rel === 'dangling')).toEqual({ rel: 'dangling', size: 0, symlink: true, error: 'dangling symlink' });
      expect(m.files.find((f) => f.rel.startsWith('x'))).toMatchObject({ error: 'its name has a control character' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads openssl\'s lines and its unreadable-file message', () => {
    const out = `D\0F\x002\0\0a\0F\x006\0\0sec\0O\0${'1'.repeat(64)} *./a\n`;
    const m = parseManifest(out, './sec: Permission denied\n4087CDB3517F0000:error:8000000D:system library:file_ctrl:Permission denied:../crypto/bio/bss_file.c:297:calling fopen(./sec, r)\n') as TreeManifest;
    expect(m.files).toEqual([
      { rel: 'a', size: 2, sha256: '1'.repeat(64) },
      { rel: 'sec', size: 6, error: 'Permission denied' },
    ]);
  });
  it('an unreadable file and directory from the stderr of find and sha256sum; bad output is an error, never a throw', () => {
    const out = 'D\0F\x006\0\0sec\0H\0';
    const m = parseManifest(out, "sha256sum: ./sec: Permission denied\nfind: './closed': Permission denied\n") as TreeManifest;
    expect(m.files).toEqual([
      { rel: 'closed', size: 0, error: 'Permission denied' },
      { rel: 'sec', size: 6, error: 'Permission denied' },
    ]);
    expect(parseManifest('garbage', 'sh: 1: find: not found')).toMatchObject({ error: expect.stringContaining('unexpected output') });
  });
});

describe('drift', () => {
  const f = (rel: string, sha256?: string, error?: string) => ({ rel, size: 1, ...(sha256 ? { sha256 } : {}), ...(error ? { error } : {}) });
  const src: TreeManifest = { kind: 'dir', files: [f('a', '1'), f('b', '2')] };
  it('host states by precedence: missing, unreadable, drifted, extra, in-sync', () => {
    const state = (files: ReturnType<typeof f>[], kind: TreeManifest['kind'] = 'dir') => hostDrift('s', 'h', src, { kind, files }, 0).state;
    expect(state([], 'absent')).toBe('missing');
    expect(state([f('a', '1'), f('b', undefined, 'Permission denied')])).toBe('unreadable');
    expect(state([f('a', '9'), f('b', '2'), f('c', '3')])).toBe('drifted');
    expect(state([f('a', '1')])).toBe('drifted');
    expect(state([f('a', '1'), f('b', '2'), f('c', '3')])).toBe('extra');
    expect(state([f('a', '1'), f('b', '2')])).toBe('in-sync');
    expect(hostDrift('s', 'h', src, { kind: 'file', files: [f('', '1')] }, 0)).toMatchObject({ state: 'unreadable', error: 'expected a directory there, found a file' });
    expect(hostDrift('s', 'h', src, { error: 'h: not connected' }, 0).state).toBe('unknown');
  });
});

describe('versions and what a rollback restores', () => {
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  const C = 'c'.repeat(64);
  const listing = `== 20261203T100000Z-00000001\nwho=ops@x\naction=20261203T100000Z-00000001\ntime=1000\n--\n${A}\t${B}\tx.cfg\n-\t${A}\tnew.cfg\n== 20261203T110000Z-00000002\nwho=ops@y\ntime=2000\n--\n${B}\t${C}\tx.cfg\n`;
  it('parses the listing; restoring the older version undoes the newer one too (the oldest kept copy wins)', () => {
    const v = parseVersions(listing);
    expect(v.map((x) => [x.id, x.who, x.time])).toEqual([
      ['20261203T100000Z-00000001', 'ops@x', 1000],
      ['20261203T110000Z-00000002', 'ops@y', 2000],
    ]);
    expect([...restoreTargets(v, v[1]!.id)]).toEqual([['x.cfg', { content: B, from: v[1]!.id }]]);
    expect(Object.fromEntries(restoreTargets(v, v[0]!.id))).toEqual({ 'x.cfg': { content: A, from: v[0]!.id }, 'new.cfg': { content: null, from: v[0]!.id } });
  });
});

describe('local source manifest', () => {
  it('follows symlinks and marks them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-sync-local-'));
    try {
      writeFileSync(join(dir, 'a'), 'x');
      symlinkSync('a', join(dir, 'l'));
      const m = await localManifest(dir);
      expect(m.files.map((x) => [x.rel, x.symlink ?? false, x.sha256?.slice(0, 8)])).toEqual([
        ['a', false, '2d711642'],
        ['l', true, '2d711642'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
