// What a sync set's path holds, as {relative path -> size, sha256}: read on a
// host by ONE command (find lists the tree, sha256sum hashes it in batches
// of as many files as a command line holds: the bytes never leave the
// host), or here for a local source. Symlinks are FOLLOWED (find -L, stat):
// a link is compared by the content it points to and marked as a link; a
// dangling link or a loop is unreadable.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { inScope } from './glob.js';

export interface TreeFile {
  /** Relative to the set's directory; '' for a set that is one file. */
  rel: string;
  size: number;
  sha256?: string;
  /** It is a symlink (followed: size and hash are its target's). */
  symlink?: true;
  /** Why it could not be read (then no sha256). */
  error?: string;
}

export interface TreeManifest {
  kind: 'dir' | 'file' | 'absent';
  files: TreeFile[];
}

// eslint-disable-next-line no-control-regex -- a name with a control character cannot travel in the line-based scripts
const CONTROL = /[\0-\x1f\x7f]/;

// A tree's hashes: OpenSSL's SHA-256 (SHA-NI or AVX2: a fifth of
// sha256sum's CPU here, which is what a drift check of a big tree costs) as
// `O` and its newline-ended lines; else `H` and sha256sum's NUL-ended lines.
const TREE_HASHES =
  "if command -v openssl >/dev/null 2>&1; then printf 'O\\0'; find -L . -mindepth 1 -type f -exec openssl dgst -sha256 -r -- {} +; " +
  "else printf 'H\\0'; find -L . -mindepth 1 -type f -exec sha256sum --zero -- {} +; fi";
/** `HASH  name` or `HASH *name`; both tools escape a name holding a newline or backslash (a leading `\\`): such a line is not read, that file is refused by its name. */
const HASH_LINE = /^([0-9a-f]{64}) [ *](.*)$/s;

/**
 * One command: `D`/`F`/`A` (directory, file, absent), then per file
 * `F size L|'' path` (L: a symlink) and per dangling link `B '' path` (NUL-separated),
 * then `H` and sha256sum's NUL-terminated lines (or `O` and openssl's
 * newline-terminated ones). Unreadable files are listed but not hashed; why
 * is on stderr.
 */
export function manifestCommand(path: string): string {
  const p = quote([path]);
  const list = `\\( -type f -xtype l -printf 'F\\0%s\\0L\\0%P\\0' \\) -o \\( -type f -printf 'F\\0%s\\0\\0%P\\0' \\) -o \\( -type l -printf 'B\\0\\0%P\\0' \\)`;
  return [
    'export LC_ALL=C',
    `if [ -d ${p} ]; then cd ${p} || exit 1; printf 'D\\0'; find -L . -mindepth 1 ${list}; ${TREE_HASHES}`,
    `elif [ -e ${p} ] || [ -L ${p} ]; then printf 'F\\0'; find -L ${p} -maxdepth 0 ${list.replace(/%P/g, '')}; printf 'H\\0'; sha256sum --zero -- ${p}`,
    `else printf 'A\\0'; fi`,
    'true',
  ].join('\n');
}

/** Why a path could not be read, from find's and sha256sum's stderr lines. */
function stderrReasons(stderr: string, single: boolean): Map<string, string> {
  const reasons = new Map<string, string>();
  for (const line of stderr.split('\n')) {
    // openssl names the file without its own name first: `./b: Permission denied`.
    const m = /^(?:(?:find|sha256sum): )?['‘]?(\.\/.+?|\/.+?)['’]?: ([^:]+)$/.exec(line.trim());
    if (m) reasons.set(single ? '' : m[1]!.replace(/^\.\//, ''), m[2]!);
  }
  return reasons;
}

/** Pure: the command's output as a manifest; never throws (bad output is an error string). */
export function parseManifest(stdout: string, stderr: string): TreeManifest | { error: string } {
  const fields = stdout.split('\0');
  const kind = fields[0] === 'D' ? 'dir' : fields[0] === 'F' ? 'file' : fields[0] === 'A' ? 'absent' : undefined;
  if (!kind) return { error: `unexpected output: ${JSON.stringify(stdout.slice(0, 80))} ${stderr.trim().split('\n')[0] ?? ''}`.trim() };
  if (kind === 'absent') return { kind, files: [] };
  const single = kind === 'file';
  const files = new Map<string, TreeFile>();
  let i = 1;
  while (i < fields.length && fields[i] !== 'H' && fields[i] !== 'O') {
    if (fields[i] === 'F') {
      const rel = single ? '' : fields[i + 3]!;
      files.set(rel, { rel, size: Number(fields[i + 1]), ...(fields[i + 2] === 'L' ? { symlink: true as const } : {}) });
      i += 4;
    } else if (fields[i] === 'B') {
      const rel = single ? '' : fields[i + 2]!;
      files.set(rel, { rel, size: 0, symlink: true, error: 'dangling symlink' });
      i += 3;
    } else return { error: `unexpected record ${JSON.stringify(fields[i])}` };
  }
  const openssl = fields[i] === 'O';
  for (const line of openssl ? fields.slice(i + 1).join('\0').split('\n') : fields.slice(i + 1)) {
    const m = HASH_LINE.exec(line);
    if (!m) continue;
    const rel = single ? '' : m[2]!.replace(/^\.\//, '');
    const f = files.get(rel);
    if (f) f.sha256 = m[1];
  }
  const reasons = stderrReasons(stderr, single);
  for (const [rel, why] of reasons) if (!files.has(rel)) files.set(rel, { rel, size: 0, error: why });
  for (const f of files.values()) {
    if (!f.sha256 && !f.error) f.error = reasons.get(f.rel) ?? 'could not be read';
    if (CONTROL.test(f.rel)) f.error = 'its name has a control character';
  }
  return { kind, files: [...files.values()].sort((a, b) => a.rel.localeCompare(b.rel)) };
}

/** Hashes only the listed files of a tree (verify's planned files, a re-check's moved ones); a file that is not there prints nothing. */
export function plannedHashesCommand(path: string, rels: readonly string[]): string {
  const q = (p: string) => quote([p]);
  if (rels.length === 1 && rels[0] === '') return `export LC_ALL=C; if [ -f ${q(path)} ]; then sha256sum --zero -- ${q(path)}; fi; true`;
  return `export LC_ALL=C; cd ${q(path)} 2>/dev/null || exit 0; set --; for f in ${rels.map((r) => q(`./${r}`)).join(' ')}; do [ -f "$f" ] && set -- "$@" "$f"; done; [ $# -eq 0 ] || sha256sum --zero -- "$@"; true`;
}

/** Pure: rel -> sha256 from sha256sum --zero's lines (`./rel`, or the path itself for a one-file set: ''). */
export function parsePlannedHashes(stdout: string, single: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of stdout.split('\0')) {
    const m = /^([0-9a-f]{64}) [ *](.*)$/s.exec(line);
    if (m) out.set(single ? '' : m[2]!.replace(/^\.\//, ''), m[1]!);
  }
  return out;
}

/** Only the files in the set's include/exclude scope (a one-file set has no scope). */
export function scoped(m: TreeManifest, include: readonly string[], exclude: readonly string[]): TreeManifest {
  return m.kind !== 'dir' ? m : { kind: m.kind, files: m.files.filter((f) => inScope(f.rel, include, exclude)) };
}

const SMALL_FILE = 1 << 20;
/** Files hashed at once: a config tree is many small files, each a few reads. */
const HASH_AT_ONCE = 16;

async function hashFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  if (size <= SMALL_FILE) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface LocalFile {
  abs: string;
  entry: TreeFile;
}

/** Lists the tree (symlinks followed); the hashing comes after, several files at once. */
async function localEntry(abs: string, rel: string, out: TreeFile[], toHash: LocalFile[]): Promise<void> {
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error) return void out.push({ rel, size: 0, error: st.code === 'ENOENT' ? 'dangling symlink' : st.message });
  if (st.isDirectory()) {
    for (const name of (await readdir(abs)).sort()) await localEntry(join(abs, name), rel ? `${rel}/${name}` : name, out, toHash);
  } else if (st.isFile()) {
    const entry: TreeFile = { rel, size: st.size, ...((await lstat(abs)).isSymbolicLink() ? { symlink: true as const } : {}) };
    out.push(entry);
    toHash.push({ abs, entry });
  }
}

async function hashAll(files: readonly LocalFile[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const { abs, entry } = files[next++]!;
      const sha256 = await hashFile(abs, entry.size).catch(() => undefined);
      if (sha256) entry.sha256 = sha256;
      else entry.error = 'could not be read';
    }
  };
  await Promise.all(Array.from({ length: Math.min(HASH_AT_ONCE, files.length) }, worker));
}

/** A local source, read like a host's (symlinks followed). */
export async function localManifest(path: string): Promise<TreeManifest> {
  const st = await stat(path).catch(() => undefined);
  if (!st) return { kind: 'absent', files: [] };
  const files: TreeFile[] = [];
  const toHash: LocalFile[] = [];
  if (st.isDirectory()) {
    for (const name of (await readdir(path)).sort()) await localEntry(join(path, name), name, files, toHash);
  } else await localEntry(path, '', files, toHash);
  await hashAll(toHash);
  return { kind: st.isDirectory() ? 'dir' : 'file', files };
}
