// The source files a plan will upload, kept here by content (sha256) under
// the state directory: resume uploads exactly the bytes that were planned,
// even if the source changed since, and a reference host's files are
// fetched from it once (over its SFTP channel), not once per target.
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SyncSet } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import { journalDir } from '../engine/history.js';
import { localSha256 } from '../files/file-hash.js';

export function objectDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(journalDir(env)), 'sync-objects');
}

const sourcePath = (root: string, rel: string) => (rel === '' ? root : join(root, rel));

/** Each wanted file (rel -> sha256) stored as objectDir/<sha256>; returns sha256 -> local path. */
export async function storeObjects(set: SyncSet, wanted: ReadonlyMap<string, string>, reference: Transport | undefined, dir = objectDir()): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const out: Record<string, string> = {};
  for (const [rel, sha] of wanted) {
    const path = join(dir, sha);
    out[sha] = path;
    if (await stat(path).then(() => true, () => false)) continue;
    const tmp = `${path}.${process.pid}.tmp`;
    const from = sourcePath(set.source.path, rel);
    if (set.source.kind === 'local') await copyFile(from, tmp);
    else {
      if (!reference) throw new Error(`${set.source.host}: not connected`);
      await reference.download(from, tmp, { timeoutMs: 300_000 });
    }
    const got = await localSha256(tmp);
    if (got !== sha) {
      await rm(tmp, { force: true });
      throw new Error(`the source ${rel || from} changed while it was read (sha256 ${got.slice(0, 12)}, expected ${sha.slice(0, 12)}); plan again`);
    }
    await rename(tmp, path);
  }
  return out;
}

