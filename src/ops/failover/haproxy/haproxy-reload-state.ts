// Does a runtime change survive a reload? Only when the new process loads
// the old one's server states: `server-state-file` (or `server-state-base`)
// in `global`, and `load-server-state-from-file global|local` in the
// backend or the `defaults` it takes. The config is read on the LB host
// from the files the running HAProxy was started with (its `-f` arguments,
// a directory's *.cfg in order). Pure, except the command text.
import { MARK } from '../../../probes/probe-output.js';

export type ReloadVerdict = { survives: true; detail: string } | { survives: false; detail: string };

/** Prints `@@baton:file PATH` and each config file the process `pid` was started with. */
export function configReadCommand(pid: number): string {
  return [
    `bt_pid=${Math.trunc(pid)}; bt_c=/proc/$bt_pid/cmdline`,
    `[ -r "$bt_c" ] || { echo "cannot read $bt_c" >&2; exit 1; }`,
    'bt_next=""',
    `tr '\\000' '\\n' <"$bt_c" | while IFS= read -r bt_a; do`,
    '  if [ -n "$bt_next" ]; then',
    '    bt_next=""',
    '    case "$bt_a" in /*) ;; *) bt_a="/proc/$bt_pid/cwd/$bt_a" ;; esac',
    '    if [ -d "$bt_a" ]; then set -- "$bt_a"/*.cfg; else set -- "$bt_a"; fi',
    `    for bt_f in "$@"; do if [ -r "$bt_f" ]; then printf '%s\\n' "${MARK}file $bt_f"; cat "$bt_f"; else printf '%s\\n' "${MARK}unreadable $bt_f"; fi; done`,
    '  elif [ "$bt_a" = -f ]; then bt_next=1',
    '  fi',
    'done',
  ].join('\n');
}

interface Section {
  kind: string;
  name: string;
  /** `backend x from DEFAULTS` (HAProxy 2.6 named defaults). */
  from?: string;
  directives: Map<string, string>;
}

const SECTION_KEYWORDS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'peers', 'resolvers', 'userlist', 'mailers', 'program', 'http-errors', 'ring', 'cache']);

function sections(config: string): Section[] {
  const out: Section[] = [];
  for (const raw of config.split('\n')) {
    if (raw.startsWith(MARK)) continue;
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') continue;
    const [word = '', ...rest] = line.split(/\s+/);
    if (SECTION_KEYWORDS.has(word)) {
      const fromAt = rest.indexOf('from');
      out.push({ kind: word, name: rest[0] === 'from' ? '' : (rest[0] ?? ''), from: fromAt >= 0 ? rest[fromAt + 1] : undefined, directives: new Map() });
    } else out.at(-1)?.directives.set(word, rest.join(' '));
  }
  return out;
}

export function reloadVerdict(config: string, backend: string): ReloadVerdict {
  const all = sections(config);
  const global = all.find((s) => s.kind === 'global');
  const at = all.findIndex((s) => (s.kind === 'backend' || s.kind === 'listen') && s.name === backend);
  if (at < 0) return { survives: false, detail: `backend ${backend} is not in the config files read` };
  const own = all[at]!;
  const defaults = own.from !== undefined ? all.find((s) => s.kind === 'defaults' && s.name === own.from) : all.slice(0, at).reverse().find((s) => s.kind === 'defaults');
  const mode = (own.directives.get('load-server-state-from-file') ?? defaults?.directives.get('load-server-state-from-file') ?? 'none').split(/\s+/)[0];
  if (mode !== 'global' && mode !== 'local') return { survives: false, detail: `backend ${backend} has no load-server-state-from-file (global|local): a reload restores the configured state` };
  const file = global?.directives.get('server-state-file');
  const base = global?.directives.get('server-state-base');
  if (mode === 'global' && !file) return { survives: false, detail: 'load-server-state-from-file global, but global has no server-state-file' };
  if (mode === 'local' && !base && !own.directives.get('server-state-file-name')) return { survives: false, detail: 'load-server-state-from-file local, but neither server-state-base nor server-state-file-name names the file' };
  const where = mode === 'global' ? file! : `${base ?? ''}${base ? '/' : ''}${own.directives.get('server-state-file-name') ?? backend}`;
  return { survives: true, detail: `survives a reload only if the reload first saves 'show servers state' into ${where} (load-server-state-from-file ${mode})` };
}
