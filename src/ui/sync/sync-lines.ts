// The Sync pane's lines, pure: per set a header (how many hosts in each
// state, when last checked), under it one line per target host (its state,
// how many files differ, which, when checked). The compact block keeps the
// headers only. Each line names the set or cell the cursor stops on.
import type { FileDrift, HostDrift, HostSyncState } from '../../ops/sync/drift.js';
import { stateText } from '../../ops/sync/drift.js';
import type { SyncSetState } from '../../store/sync.js';
import { formatAge } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line } from '../widgets/styled-lines.js';

const STATE_TOKEN: Record<HostSyncState, Token> = { 'in-sync': 'ok', drifted: 'warn', missing: 'crit', extra: 'warn', unreadable: 'crit', unknown: 'unknown' };
const ORDER: readonly HostSyncState[] = ['drifted', 'missing', 'extra', 'unreadable', 'unknown', 'in-sync'];

/** A cursor stop: a whole set, or one host of it (`set\0host`). */
export const cellId = (set: string, host?: string): string => (host === undefined ? set : `${set}\u0000${host}`);
export function parseCellId(id: string | undefined): { set: string; host?: string } | undefined {
  if (!id) return undefined;
  const [set, host] = id.split('\u0000');
  return { set: set!, host };
}

export const driftOfSet = (s: SyncSetState): HostDrift[] => (Array.isArray(s.drift) ? (s.drift as HostDrift[]) : []);

const checked = (at: number | undefined, now: number) => (at === undefined ? 'not checked yet' : `checked ${formatAge(now - at)} ago`);

function counts(drift: readonly HostDrift[]): { text: string; token: Token }[] {
  return ORDER.flatMap((state) => {
    const n = drift.filter((d) => d.state === state).length;
    return n === 0 ? [] : [{ text: `${n} ${state}`, token: STATE_TOKEN[state] }];
  });
}

function setLine(s: SyncSetState, now: number): Line {
  const drift = driftOfSet(s);
  const parts = counts(drift);
  const summary = parts.flatMap((p, i) => [...(i > 0 ? [{ text: ' · ', token: 'muted' as const }] : []), p]);
  const status = s.checking ? ' checking…' : s.error ? ` ${s.error.message}` : '';
  return itemLine(cellId(s.name), [
    { text: ` ${s.name}  `, token: 'focus' },
    ...(drift.length === 0 && !s.error ? [{ text: s.checking || s.checkedAt === undefined ? 'waiting for the first check' : 'no target host', token: 'muted' as const }] : summary),
    { text: status, token: s.error ? 'crit' : 'muted' },
    { text: `  ${checked(s.checkedAt, now)}`, token: 'muted' },
  ]);
}

const fileWord = (f: FileDrift) => `${f.path || '(file)'} ${f.state}${f.symlink ? ' (symlink)' : ''}`;

function cellLine(d: HostDrift, now: number, hostWidth: number): Line {
  const files = d.files.filter((f) => f.state !== 'in-sync');
  const detail = d.error ?? files.slice(0, 3).map(fileWord).join(', ') + (files.length > 3 ? `, +${files.length - 3}` : '');
  return itemLine(cellId(d.set, d.host), [
    { text: `   ${d.host.padEnd(hostWidth)}  `, token: 'text' },
    { text: stateText(d).padEnd(22), token: STATE_TOKEN[d.state] },
    { text: checked(d.checkedAt, now).padEnd(22), token: 'muted' },
    { text: detail, token: 'muted' },
  ]);
}

/** Every set's header, and (unless compact) its hosts: the ones that are not in sync first. */
export function syncLines(sets: readonly SyncSetState[], now: number, compact = false): Line[] {
  return sets.flatMap((s) => {
    const drift = [...driftOfSet(s)].sort((a, b) => ORDER.indexOf(a.state) - ORDER.indexOf(b.state) || a.host.localeCompare(b.host));
    const hostWidth = Math.max(4, ...drift.map((d) => d.host.length));
    return [setLine(s, now), ...(compact ? [] : drift.map((d) => cellLine(d, now, hostWidth)))];
  });
}

/** A unified diff coloured: removed lines crit, added ok, hunks focus, file headers muted, binary warn. */
export function diffLines(text: string): Line[] {
  return text.split('\n').map((raw): Line => {
    const token: Token = raw.startsWith('+++') || raw.startsWith('---') ? 'muted' : raw.startsWith('+') ? 'ok' : raw.startsWith('-') ? 'crit' : raw.startsWith('@@') ? 'focus' : / binary, sizes /.test(raw) || /: unreadable \(/.test(raw) ? 'warn' : 'text';
    return [{ text: ` ${raw}`, token }];
  });
}
