// The console's re-checks of a sync set: before hashing a host's tree
// again, one `find` lists every file's stamp (size, mtime, ctime, inode,
// symlinks followed). Files whose stamp has not moved since the last
// reading keep their hash; the others (written, chmod-ed, renamed over,
// new) are hashed, and nothing else. ctime cannot be set back by anyone but
// the clock, so content written behind baton's back is always re-hashed,
// even with its mtime restored. Anything unclear (find said something on
// stderr, a dangling link, a file that cannot be hashed now or could not
// be then, the path changed kind) reads the whole tree again.
import { quote } from 'shell-quote';
import type { TreeManifest } from './tree-manifest.js';

/** rel -> "size mtime ctime inode"; kind first. */
export interface TreeStamps {
  kind: TreeManifest['kind'];
  stamps: Map<string, string>;
}

export function stampsCommand(path: string): string {
  const p = quote([path]);
  const printf = `\\( -type f -printf '%P\\0%s %T@ %C@ %i\\0' \\) -o \\( -type l -printf '%P\\0dangling\\0' \\)`;
  return [
    'export LC_ALL=C',
    `if [ -d ${p} ]; then cd ${p} || exit 1; printf 'D\\0'; find -L . -mindepth 1 ${printf}`,
    `elif [ -e ${p} ] || [ -L ${p} ]; then printf 'F\\0'; find -L ${p} -maxdepth 0 ${printf.replace(/%P/g, '')}`,
    `else printf 'A\\0'; fi`,
    'true',
  ].join('\n');
}

/** Pure; undefined when the output is not what the command prints. */
export function parseStamps(stdout: string): TreeStamps | undefined {
  const fields = stdout.split('\0');
  const kind = ({ D: 'dir', F: 'file', A: 'absent' } as const)[fields[0] as 'D' | 'F' | 'A'];
  if (!kind) return undefined;
  const stamps = new Map<string, string>();
  for (let i = 1; i + 1 < fields.length; i += 2) stamps.set(fields[i]!, fields[i + 1]!);
  return { kind, stamps };
}

/** Past this many moved files, one command line may not hold them: the whole tree is read again. */
const MAX_REHASH = 500;

type Reading = { manifest: TreeManifest; stamps: TreeStamps };

/** Pure: the files a re-check must hash (their stamp moved, or they are new); undefined: read the whole tree. */
export function toRehash(previous: Reading | undefined, now: TreeStamps): string[] | undefined {
  if (!previous || previous.stamps.kind !== now.kind || previous.manifest.kind !== now.kind) return undefined;
  if (previous.manifest.files.some((f) => f.error || !f.sha256)) return undefined;
  const known = new Set(previous.manifest.files.map((f) => f.rel));
  const moved = [...now.stamps].filter(([rel, stamp]) => stamp === 'dangling' || !known.has(rel) || previous.stamps.stamps.get(rel) !== stamp).map(([rel]) => rel);
  return moved.length > MAX_REHASH ? undefined : moved;
}

/** Pure: the reading now: unmoved files as they were, moved ones with their new hash; undefined when one has none (read it all). */
export function mergeReading(previous: Reading, now: TreeStamps, hashes: ReadonlyMap<string, string>): TreeManifest | undefined {
  const before = new Map(previous.manifest.files.map((f) => [f.rel, f]));
  const files: TreeManifest['files'] = [];
  for (const [rel, stamp] of now.stamps) {
    const sha256 = hashes.get(rel);
    const old = before.get(rel);
    if (sha256) files.push({ rel, size: Number(stamp.split(' ')[0]), sha256, ...(old?.symlink ? { symlink: true as const } : {}) });
    else if (old && previous.stamps.stamps.get(rel) === stamp) files.push(old);
    else return undefined;
  }
  return { kind: now.kind, files: files.sort((a, b) => a.rel.localeCompare(b.rel)) };
}

/** A reading as JSON (hash-cache-file.ts keeps them between runs of `baton sync status`). */
export interface StoredReading {
  key: string;
  manifest: TreeManifest;
  kind: TreeStamps['kind'];
  stamps: Array<[string, string]>;
}

/**
 * Per host and path: the last full reading and the stamps taken just before
 * it. `host` names the machine: the CLI passes the host key's fingerprint
 * with the id, so a name that now reaches another machine starts afresh.
 */
export class HashCache {
  private readonly entries = new Map<string, { manifest: TreeManifest; stamps: TreeStamps }>();

  get(host: string, path: string): Reading | undefined {
    return this.entries.get(`${host}\0${path}`);
  }

  set(host: string, path: string, manifest: TreeManifest, stamps: TreeStamps): void {
    this.entries.set(`${host}\0${path}`, { manifest, stamps });
  }

  toJSON(): StoredReading[] {
    return [...this.entries].map(([key, r]) => ({ key, manifest: r.manifest, kind: r.stamps.kind, stamps: [...r.stamps.stamps] }));
  }

  static fromJSON(stored: readonly StoredReading[]): HashCache {
    const cache = new HashCache();
    for (const r of stored) cache.entries.set(r.key, { manifest: r.manifest, stamps: { kind: r.kind, stamps: new Map(r.stamps) } });
    return cache;
  }
}
