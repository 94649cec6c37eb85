// `baton sync status` keeps its readings between runs, here on baton's own
// machine (never on the hosts: a login user's file there could vouch for a
// file it did not hash): the next run lists every file's stamp on the host
// and hashes only those that moved (hash-cache.ts), like the console's
// re-checks. One file per inventory, 0600; a file that does not parse is
// an empty cache, and a write goes to a temp file renamed over it.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HashCache, type StoredReading } from './hash-cache.js';

const VERSION = 1;

export function hashCacheFile(inventory: string, env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const name = createHash('sha256').update(inventory).digest('hex').slice(0, 16);
  return join(cache, 'baton', 'sync-hashes', `${name}.json`);
}

export async function loadHashCache(file: string): Promise<HashCache> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { version?: number; readings?: StoredReading[] };
    return data.version === VERSION && Array.isArray(data.readings) ? HashCache.fromJSON(data.readings) : new HashCache();
  } catch {
    return new HashCache();
  }
}

export async function saveHashCache(file: string, cache: HashCache): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ version: VERSION, readings: cache.toJSON() }), { mode: 0o600 });
  await rename(temp, file);
}
