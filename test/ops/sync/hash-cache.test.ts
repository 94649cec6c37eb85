// The console's re-checks over a real shell (this machine through a
// LocalTransport): files that did not move are not hashed again; one
// rewritten behind baton's back, even with the same size and its mtime set
// back, is (its ctime moved), and only it; an added file is hashed, a
// removed one leaves the reading.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncSet } from '../../../src/inventory/types.js';
import { HashCache, mergeReading, parseStamps, toRehash } from '../../../src/ops/sync/hash-cache.js';
import { hashCacheFile, loadHashCache, saveHashCache } from '../../../src/ops/sync/hash-cache-file.js';
import { readTree } from '../../../src/ops/sync/sync-observe.js';
import type { TreeManifest } from '../../../src/ops/sync/tree-manifest.js';
import { LocalTransport } from '../../../src/transport/local.js';

const dir = mkdtempSync(join(tmpdir(), 'baton-hash-cache-'));
const transport = new LocalTransport('hc01');
const hashed: string[] = [];
let commands = 0;
const exec = transport.exec.bind(transport);
transport.exec = (command, options) => {
  commands += 1;
  if (command.includes('sha256sum')) hashed.push(command);
  return exec(command, options);
};
afterAll(async () => {
  await transport.close();
  rmSync(dir, { recursive: true, force: true });
});

const set = { name: 'conf', path: join(dir, 'conf'), include: [], exclude: [] } as unknown as SyncSet;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const hashes = (m: TreeManifest | { error: string }) => ('error' in m ? m : Object.fromEntries(m.files.map((f) => [f.rel, f.sha256])));

describe('re-checks with a hash cache', () => {
  it('hashes only what moved: a same-size rewrite with its mtime set back, an added file; a removed one leaves', async () => {
    mkdirSync(join(dir, 'conf/sub'), { recursive: true });
    writeFileSync(join(dir, 'conf/a.cfg'), 'listen 80\n');
    writeFileSync(join(dir, 'conf/sub/b.cfg'), 'bee\n');
    const cache = new HashCache();
    const first = hashes(await readTree(transport, 'hc01', set, cache));
    expect(hashed).toHaveLength(1);
    expect(hashes(await readTree(transport, 'hc01', set, cache))).toEqual(first);
    expect(hashed).toHaveLength(1);

    const { mtime } = statSync(join(dir, 'conf/a.cfg'));
    writeFileSync(join(dir, 'conf/a.cfg'), 'listen 81\n');
    utimesSync(join(dir, 'conf/a.cfg'), mtime, mtime);
    const rewritten = hashes(await readTree(transport, 'hc01', set, cache));
    expect(hashed).toHaveLength(2);
    expect(hashed[1]).toContain('a.cfg');
    expect(hashed[1]).not.toContain('b.cfg');
    expect(rewritten).toEqual({ ...first, 'a.cfg': sha('listen 81\n') });

    writeFileSync(join(dir, 'conf/sub/c.cfg'), 'new\n');
    expect(hashes(await readTree(transport, 'hc01', set, cache))).toEqual({ ...rewritten, 'sub/c.cfg': sha('new\n') });
    expect(hashed).toHaveLength(3);
    unlinkSync(join(dir, 'conf/sub/b.cfg'));
    expect(Object.keys(hashes(await readTree(transport, 'hc01', set, cache)))).toEqual(['a.cfg', 'sub/c.cfg']);
    expect(hashed).toHaveLength(3);
  });

  it('`sync status` keeps the readings in a file between runs: a reload hashes only what moved since', async () => {
    const file = hashCacheFile('/srv/inv/prod.yaml', { XDG_CACHE_HOME: join(dir, 'cache') });
    expect(file).toMatch(new RegExp(`^${dir}/cache/baton/sync-hashes/[0-9a-f]{16}\\.json$`));
    writeFileSync(join(dir, 'conf/a.cfg'), 'listen 82\n');
    const before = hashed.length;
    const first = hashes(await readTree(transport, 'hc01', set, await loadHashCache(file)));
    expect(hashed.length - before).toBe(1);
    const cache = new HashCache();
    await readTree(transport, 'hc01', set, cache);
    await saveHashCache(file, cache);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // The next run: nothing moved, nothing hashed; then a rewrite with its mtime set back is hashed, and only it.
    const n = hashed.length;
    expect(hashes(await readTree(transport, 'hc01', set, await loadHashCache(file)))).toEqual(first);
    expect(hashed.length).toBe(n);
    const { mtime } = statSync(join(dir, 'conf/a.cfg'));
    writeFileSync(join(dir, 'conf/a.cfg'), 'listen 83\n');
    utimesSync(join(dir, 'conf/a.cfg'), mtime, mtime);
    expect(hashes(await readTree(transport, 'hc01', set, await loadHashCache(file)))).toEqual({ ...first, 'a.cfg': sha('listen 83\n') });
    expect(hashed.slice(n)).toHaveLength(1);
    expect(hashed.at(-1)).toContain('a.cfg');
    expect(hashed.at(-1)).not.toContain('c.cfg');
  });

  it('a first reading takes the stamps and every hash in one command; the next, nothing moved, only the stamps', async () => {
    const cache = new HashCache();
    const n = commands;
    const first = hashes(await readTree(transport, 'hc01', set, cache));
    expect(commands - n).toBe(1);
    expect(hashes(await readTree(transport, 'hc01', set, cache))).toEqual(first);
    expect(commands - n).toBe(2);
    expect(hashed.at(-1)).toContain('@@baton:tree');
  });

  it('a cache file that does not parse, or of another version, is an empty cache', async () => {
    const file = join(dir, 'cache', 'bad.json');
    mkdirSync(join(dir, 'cache'), { recursive: true });
    for (const text of ['{not json', JSON.stringify({ version: 0, readings: [] })]) {
      writeFileSync(file, text);
      expect((await loadHashCache(file)).toJSON()).toEqual([]);
    }
    await saveHashCache(file, HashCache.fromJSON([{ key: 'h\0/p', manifest: { kind: 'absent', files: [] }, kind: 'absent', stamps: [] }]));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, readings: [{ key: 'h\0/p' }] });
  });

  it('without a cache (plans, sync status --rehash) every read hashes', async () => {
    const before = hashed.length;
    await readTree(transport, 'hc01', set);
    await readTree(transport, 'hc01', set);
    expect(hashed.length - before).toBe(2);
  });

  it('a reading with a file it could not hash, a dangling link or a moved file without a hash now: read it all', () => {
    const stamps = parseStamps('D\0a.cfg\x0010 1.0 1.0 7\0')!;
    const good: TreeManifest = { kind: 'dir', files: [{ rel: 'a.cfg', size: 10, sha256: 'x'.repeat(64) }] };
    expect(toRehash({ manifest: { kind: 'dir', files: [{ rel: 'a.cfg', size: 10, error: 'Permission denied' }] }, stamps }, stamps)).toBeUndefined();
    expect(toRehash({ manifest: good, stamps }, stamps)).toEqual([]);
    expect(toRehash({ manifest: good, stamps }, parseStamps('F\0\x0010 1.0 1.0 7\0')!)).toBeUndefined();
    const withLink = parseStamps('D\0a.cfg\x0010 1.0 1.0 7\0gone\0dangling\0')!;
    expect(toRehash({ manifest: good, stamps }, withLink)).toEqual(['gone']);
    expect(mergeReading({ manifest: good, stamps }, withLink, new Map())).toBeUndefined();
  });
});
