// Pure: a source tree against a target's, file by file, and the one word
// that sums a host up. A host's state: `missing` (nothing at the path),
// `unreadable` (something could not be hashed), `drifted` (a file differs
// or is missing), `extra` (only files the source does not have), `in-sync`.
import type { TreeFile, TreeManifest } from './tree-manifest.js';

export type FileState = 'in-sync' | 'drifted' | 'missing' | 'extra' | 'unreadable';
/** `unknown`: the host could not be read at all (not connected). */
export type HostSyncState = FileState | 'unknown';

export interface FileDrift {
  path: string;
  state: FileState;
  sourceSha256: string | null;
  targetSha256: string | null;
  sourceSize: number | null;
  targetSize: number | null;
  /** The target's file is a symlink (followed). */
  symlink?: true;
  error?: string;
}

export interface HostDrift {
  set: string;
  host: string;
  state: HostSyncState;
  files: FileDrift[];
  error?: string;
  /** When the target was read (ms). */
  checkedAt: number;
}

function fileState(source: TreeFile | undefined, target: TreeFile | undefined): FileState {
  if (target?.error) return 'unreadable';
  if (!source) return 'extra';
  if (!target) return 'missing';
  return source.sha256 === target.sha256 ? 'in-sync' : 'drifted';
}

export function compareTrees(source: TreeManifest, target: TreeManifest): FileDrift[] {
  const src = new Map(source.files.map((f) => [f.rel, f]));
  const tgt = new Map(target.files.map((f) => [f.rel, f]));
  const paths = [...new Set([...src.keys(), ...tgt.keys()])].sort();
  return paths.map((path) => {
    const s = src.get(path);
    const t = tgt.get(path);
    return {
      path,
      state: fileState(s, t),
      sourceSha256: s?.sha256 ?? null,
      targetSha256: t?.sha256 ?? null,
      sourceSize: s ? s.size : null,
      targetSize: t ? t.size : null,
      ...(t?.symlink ? { symlink: true as const } : {}),
      ...(t?.error ? { error: t.error } : {}),
    };
  });
}

export function hostState(target: TreeManifest, files: readonly FileDrift[]): FileState {
  if (target.kind === 'absent') return 'missing';
  if (files.some((f) => f.state === 'unreadable')) return 'unreadable';
  if (files.some((f) => f.state === 'drifted' || f.state === 'missing')) return 'drifted';
  if (files.some((f) => f.state === 'extra')) return 'extra';
  return 'in-sync';
}

/** A set whose source is a file wants a file there; a directory source wants a directory. */
export function hostDrift(set: string, host: string, source: TreeManifest, target: TreeManifest | { error: string }, checkedAt: number): HostDrift {
  if ('error' in target) return { set, host, state: 'unknown', files: [], error: target.error, checkedAt };
  if (target.kind !== 'absent' && target.kind !== source.kind) {
    return { set, host, state: 'unreadable', files: [], error: `expected a ${source.kind === 'dir' ? 'directory' : 'file'} there, found a ${target.kind === 'dir' ? 'directory' : 'file'}`, checkedAt };
  }
  const files = compareTrees(source, target);
  return { set, host, state: hostState(target, files), files, checkedAt };
}

/** `drifted (3 files)`: how a host reads in a table. */
export function stateText(d: Pick<HostDrift, 'state' | 'files'>): string {
  const n = d.files.filter((f) => f.state !== 'in-sync').length;
  return d.state === 'drifted' || d.state === 'extra' || d.state === 'unreadable' ? `${d.state} (${n} file${n === 1 ? '' : 's'})` : d.state;
}
