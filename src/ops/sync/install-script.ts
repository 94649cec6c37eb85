// The one command that puts a staged tree in place on a host, written so a
// second run (resume after a crash) finishes what the first began:
//  1. conflict: each live file must still have the hash the plan saw (or
//     already the new one: installed by an earlier attempt); else nothing
//     is touched and the host fails with CONFLICT (exit 3);
//  2. each staged file must have the planned hash (exit 4);
//  3. attributes (mode/owner/group, or the live file's), fsync;
//  4. validate the staged tree (exit 5, the old files untouched) unless an
//     earlier attempt already installed some (it validated them);
//  5. keep the files being replaced in a new version directory (created
//     whole by one rename), with who and when;
//  6. rename each staged file over its live path (atomic), fsync the dirs;
//  7. remove the stage; keep only the newest `keep` versions.
import { posix } from 'node:path';
import { quote } from 'shell-quote';
import type { HostLayout } from './host-layout.js';

export interface InstallEntry {
  rel: string;
  /** sha256 the plan saw on the host; null: absent. */
  before: string | null;
  /** sha256 it must have afterwards; null: removed. */
  after: string | null;
}

export interface InstallSpec {
  layout: HostLayout;
  entries: readonly InstallEntry[];
  versionsDir: string;
  keep: number;
  /** Already with `%s` replaced. */
  validate?: string;
  /** Set the staged files' attributes: the set's, else the live file's. Off for a rollback (the kept copy has them). */
  attributes?: { mode?: number; owner?: string; group?: string };
  /** `who=...`, `action=...` lines for the version's meta file. */
  meta: Record<string, string>;
}

export const EXIT_CONFLICT = 3;
export const EXIT_STAGED = 4;
export const EXIT_VALIDATE = 5;
export const EXIT_INSTALL = 6;

const q = (s: string) => quote([s]);
const hashOr = (h: string | null) => h ?? '-';

function attributeLines(i: number, e: InstallEntry, spec: InstallSpec): string[] {
  const a = spec.attributes;
  if (!a || e.after === null) return [];
  const staged = q(spec.layout.staged(e.rel));
  const live = q(spec.layout.live(e.rel));
  const lines: string[] = [];
  lines.push(a.mode !== undefined ? `chmod ${a.mode.toString(8).padStart(4, '0')} ${staged} || fail "chmod ${e.rel}" ${EXIT_INSTALL}` : `[ ! -e ${live} ] || chmod --reference=${live} ${staged} 2>/dev/null || true`);
  const owner = a.owner !== undefined || a.group !== undefined ? `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}` : undefined;
  // Ownership is kept when the login user may keep it (root); set explicitly, it must succeed.
  lines.push(owner ? `chown ${q(owner)} ${staged} || fail "chown ${e.rel}" ${EXIT_INSTALL}` : `[ ! -e ${live} ] || chown --reference=${live} ${staged} 2>/dev/null || true`);
  return lines.map((l) => `[ "$p${i}" = 0 ] || ${l}`);
}

export function installScript(spec: InstallSpec): string {
  const { layout } = spec;
  const stage = q(layout.stageDir);
  const vdir = q(layout.versionDir);
  const vtmp = q(`${layout.versionDir}.tmp`);
  const out: string[] = [
    'set -u',
    'h() { if [ -e "$1" ]; then sha256sum < "$1" | cut -c1-64; else echo -; fi; }',
    `fail() { rm -rf -- ${stage}; printf '%s\\n' "$1" >&2; exit "$2"; }`,
    "pending=0; done=0; conflicts=''",
  ];
  spec.entries.forEach((e, i) => {
    const live = q(layout.live(e.rel));
    out.push(
      `c=$(h ${live}); if [ "$c" = ${hashOr(e.after)} ]; then p${i}=0; done=$((done+1)); elif [ "$c" = ${hashOr(e.before)} ]; then p${i}=1; pending=$((pending+1)); else p${i}=0; conflicts="$conflicts $(printf '%s' ${q(e.rel || posix.basename(layout.live('')))}): planned ${hashOr(e.before).slice(0, 12)}, found $(printf '%.12s' "$c");"; fi`,
    );
  });
  out.push(`[ -z "$conflicts" ] || fail "CONFLICT: changed since the plan, left alone:$conflicts" ${EXIT_CONFLICT}`);
  out.push(`if [ "$pending" = 0 ]; then rm -rf -- ${stage}; echo "already in place ($done file(s))"; exit 0; fi`);
  spec.entries.forEach((e, i) => {
    if (e.after === null) return;
    const staged = q(layout.staged(e.rel));
    out.push(`[ "$p${i}" = 0 ] || [ "$(h ${staged})" = ${e.after} ] || fail "staged ${e.rel || 'file'} does not have the planned content" ${EXIT_STAGED}`);
    out.push(...attributeLines(i, e, spec));
    out.push(`[ "$p${i}" = 0 ] || sync -- ${staged}`);
  });
  if (spec.validate) {
    out.push(`if [ "$done" = 0 ]; then out=$( (${spec.validate}) 2>&1) || fail "VALIDATE FAILED: ${spec.validate.replace(/["$`\\]/g, '\\$&')}: $out" ${EXIT_VALIDATE}; printf 'validate: %s\\n' "$out"; fi`);
  }
  const meta = Object.entries(spec.meta).map(([k, v]) => `${k}=${v}`.replace(/[\r\n]/g, ' ')).join('\n');
  out.push(`if [ ! -d ${vdir} ]; then rm -rf -- ${vtmp}; mkdir -p -- ${vtmp}/files || fail "cannot create the version store" ${EXIT_INSTALL}`);
  out.push(`  { printf '%s\\n' ${q(meta)}; printf 'time=%s\\n' "$(date +%s)"; } > ${vtmp}/meta`);
  spec.entries.forEach((e, i) => {
    const saved = `${layout.versionDir}.tmp/files/${e.rel === '' ? posix.basename(layout.live('')) : e.rel}`;
    const keep = e.before === null ? '' : ` && mkdir -p -- ${q(posix.dirname(saved))} && cp -p -- ${q(layout.live(e.rel))} ${q(saved)}`;
    out.push(`  [ "$p${i}" = 0 ] || { printf '%s\\t%s\\t%s\\n' ${hashOr(e.before)} ${hashOr(e.after)} ${q(e.rel)} >> ${vtmp}/manifest${keep}; } || fail "cannot keep the old ${e.rel || 'file'}" ${EXIT_INSTALL}`);
  });
  out.push(`  mv -- ${vtmp} ${vdir} || fail "cannot create the version" ${EXIT_INSTALL}; fi`);
  const dirs = new Set<string>();
  spec.entries.forEach((e, i) => {
    const live = q(layout.live(e.rel));
    dirs.add(posix.dirname(layout.live(e.rel)));
    out.push(
      e.after === null
        ? `[ "$p${i}" = 0 ] || rm -f -- ${live} || fail "cannot remove ${e.rel}" ${EXIT_INSTALL}`
        : `[ "$p${i}" = 0 ] || { mkdir -p -- ${q(posix.dirname(layout.live(e.rel)))} && mv -f -- ${q(layout.staged(e.rel))} ${live}; } || fail "cannot install ${e.rel || 'the file'}" ${EXIT_INSTALL}`,
    );
  });
  out.push(`sync -- ${[...dirs].map(q).join(' ')} 2>/dev/null || true`);
  out.push(`rm -rf -- ${stage}`);
  // Version ids sort by time; the oldest beyond `keep` go.
  out.push(`ls -1 -- ${q(spec.versionsDir)} | grep -v '\\.tmp$' | sort -r | tail -n +${spec.keep + 1} | while read -r v; do rm -rf -- ${q(spec.versionsDir)}/"$v"; done`);
  out.push('echo "installed $pending file(s)"');
  return out.join('\n');
}

/** Builds the stage: the live tree copied (when validate needs the whole tree), parents made, removed files taken out. */
export function prepareScript(layout: HostLayout, entries: readonly InstallEntry[], copyTree: boolean, restoreFrom?: (rel: string) => string): string {
  const out = [`rm -rf -- ${q(layout.stageDir)}`, `mkdir -p -- ${q(posix.dirname(layout.stageRoot))}`];
  // A directory set's live tree is copied whole (a one-file set's stage is just the new file).
  if (copyTree) out.push(`{ [ ! -d ${q(layout.live(''))} ] || cp -a -- ${q(layout.live(''))} ${q(layout.stageRoot)}; }`);
  for (const e of entries) {
    const staged = layout.staged(e.rel);
    if (e.after === null) out.push(`rm -f -- ${q(staged)}`);
    else out.push(`mkdir -p -- ${q(posix.dirname(staged))}${restoreFrom ? ` && cp -p -- ${q(restoreFrom(e.rel))} ${q(staged)}` : ''}`);
  }
  return out.join(' &&\n');
}
