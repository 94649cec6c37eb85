// `sync diff`: the target's file against the source's as a unified diff
// (diff -u here, on copies fetched over the host's SFTP channel); a file
// with a NUL byte in its first 8 KiB is binary: only its sizes are shown.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncSet } from '../../inventory/types.js';
import type { Transport } from '../../transport/types.js';
import type { FileDrift } from './drift.js';
import { hostLayout } from './host-layout.js';

const SNIFF_BYTES = 8192;
const isBinary = (b: Buffer) => b.subarray(0, SNIFF_BYTES).includes(0);

function unified(a: string, b: string, labelA: string, labelB: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('diff', ['-u', '--label', labelA, '--label', labelB, a, b], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      // diff exits 1 when the files differ: that is the answer, not a failure.
      if (err && err.code !== 1) reject(new Error(stderr || err.message));
      else resolve(stdout);
    });
  });
}

/** One section per file that is not in sync: target (current) -> source (what apply writes). */
export async function diffFiles(set: SyncSet, host: string, target: Transport, reference: Transport | undefined, files: readonly FileDrift[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-sync-diff-'));
  const layout = hostLayout(set, 'diff');
  const sourcePath = (rel: string) => (rel === '' ? set.source.path : join(set.source.path, rel));
  try {
    const sections: string[] = [];
    for (const [i, f] of files.filter((x) => x.state !== 'in-sync').entries()) {
      const name = layout.live(f.path);
      if (f.state === 'unreadable') {
        sections.push(`${host}:${name}: unreadable (${f.error ?? 'no hash'})\n`);
        continue;
      }
      let targetFile = '/dev/null';
      if (f.targetSha256) await target.download(name, (targetFile = join(dir, `t${i}`)));
      let sourceFile = '/dev/null';
      if (f.sourceSha256 && f.state !== 'extra') {
        if (set.source.kind === 'local') sourceFile = sourcePath(f.path);
        else await reference!.download(sourcePath(f.path), (sourceFile = join(dir, `s${i}`)));
      }
      const [a, b] = await Promise.all([readFile(targetFile), readFile(sourceFile)]);
      const source = set.source.kind === 'host' ? `${set.source.host}:${sourcePath(f.path)}` : sourcePath(f.path);
      if (isBinary(a) || isBinary(b)) sections.push(`${host}:${name} -> ${source}: binary, sizes ${f.targetSize ?? 'absent'} → ${f.state === 'extra' ? 'removed' : (f.sourceSize ?? '?')}\n`);
      else sections.push(await unified(targetFile, sourceFile, `${host}:${name}${f.targetSha256 ? '' : ' (missing)'}`, f.state === 'extra' ? `${source} (not in the source: removed)` : source));
    }
    return sections.join('');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
