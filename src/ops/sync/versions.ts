// The versions a target keeps of a set (one directory per apply or
// rollback: the files it replaced, their hashes, who and when), read by one
// command; parsed purely.
import { createHash } from 'node:crypto';
import { quote } from 'shell-quote';
import type { InstallEntry } from './install-script.js';

export interface SyncVersion {
  /** The run id of the apply or rollback that kept it: sorts by time. */
  id: string;
  /** Seconds since the epoch, by the host's clock. */
  time: number;
  who: string;
  action: string;
  /** sha256 of its manifest: names the version's content. */
  hash: string;
  /** What that run changed: before = the kept content (null: the file did not exist). */
  entries: InstallEntry[];
}

export function versionsCommand(store: string): string {
  const d = quote([store]);
  return `[ -d ${d} ] || exit 0; cd ${d} || exit 1; for v in $(ls -1 | grep -v '\\.tmp$' | sort); do [ -f "$v/meta" ] || continue; printf '== %s\\n' "$v"; cat "$v/meta"; printf -- '--\\n'; cat "$v/manifest" 2>/dev/null; done`;
}

const hashOrNull = (h: string | undefined) => (h && /^[0-9a-f]{64}$/.test(h) ? h : null);

/** Pure; versions oldest first. Unparseable lines are skipped. */
export function parseVersions(stdout: string): SyncVersion[] {
  const versions: SyncVersion[] = [];
  for (const block of stdout.split(/^== /m).slice(1)) {
    const [head, manifest = ''] = block.split(/^--\n/m);
    const [id, ...metaLines] = head!.split('\n');
    const meta = Object.fromEntries(metaLines.filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const entries = manifest
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t'))
      .filter((parts) => parts.length >= 3)
      .map(([before, after, ...rel]) => ({ before: hashOrNull(before), after: hashOrNull(after), rel: rel.join('\t') }));
    versions.push({ id: id!.trim(), time: Number(meta.time ?? 0), who: meta.who ?? '?', action: meta.action ?? '?', hash: createHash('sha256').update(manifest).digest('hex'), entries });
  }
  return versions.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What restoring `versionId` means, file by file: the content each file had
 * before that run, undoing every later run too (for each file the oldest
 * kept copy at or after the version wins). from: the version holding it.
 */
export function restoreTargets(versions: readonly SyncVersion[], versionId: string): Map<string, { content: string | null; from: string }> {
  const chain = versions.filter((v) => v.id >= versionId).sort((a, b) => b.id.localeCompare(a.id));
  const out = new Map<string, { content: string | null; from: string }>();
  for (const v of chain) for (const e of v.entries) out.set(e.rel, { content: e.before, from: v.id });
  return out;
}
