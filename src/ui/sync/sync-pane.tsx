// The Sync pane: every sync set, under it its target hosts (in sync,
// drifted N files, missing, extra, unreadable; when checked). Enter on a
// host that differs shows its diff (fetched over SFTP, coloured), y plans
// sync.apply of the set into the confirm dialog, R lists the versions the
// host keeps and Enter on one plans sync.rollback to it, r or c re-checks
// the hashes now. With `compact: true` only the sets' lines show.
import { Text, useInput } from 'ink';
import { useMemo, useState } from 'react';
import type { SyncVersion } from '../../ops/sync/versions.js';
import { hostDiff, hostVersions } from '../../ops/sync/sync-reader.js';
import { planAndConfirm } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { useListCursor } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import type { Action } from '../keymap/keymap.js';
import type { PaneProps } from '../panes/pane-props.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import { diffLines, driftOfSet, parseCellId, syncLines } from './sync-lines.js';
import { SYNC_KEYS } from './sync-keys.js';

const KIND = 'sync';

type Page = { kind: 'matrix' } | { kind: 'diff'; title: string; lines: Line[]; top: number } | { kind: 'versions'; set: string; host: string; versions: SyncVersion[] | undefined; index: number };

const SCROLL: Partial<Record<Action, (top: number, page: number) => number>> = {
  down: (t) => t + 1,
  up: (t) => t - 1,
  pageDown: (t, p) => t + p,
  pageUp: (t, p) => t - p,
  top: () => 0,
  bottom: () => Number.MAX_SAFE_INTEGER,
};

export function versionLines(versions: readonly SyncVersion[]): Line[] {
  return versions.map((v): Line => [
    { text: ` ${v.id}  `, token: 'focus' },
    { text: `${v.hash.slice(0, 12)}  `, token: 'text' },
    { text: `${new Date(v.time * 1000).toISOString().replace('T', ' ').slice(0, 19)}  `, token: 'muted' },
    { text: `${v.who}  ${v.entries.length} file${v.entries.length === 1 ? '' : 's'}`, token: 'muted' },
  ]);
}

export function SyncPane({ spec, width, height, focused, active }: PaneProps) {
  const theme = useTheme();
  const services = useConsole();
  const actionsUi = useActionsUi();
  const sets = useBaton((s) => s.sync.sets);
  const now = useNow(1000);
  const [page, setPage] = useState<Page>({ kind: 'matrix' });
  const inner = Math.max(0, height - 2);
  const list = useMemo(() => Object.values(sets), [sets]);
  const lines = useMemo(() => syncLines(list, now, spec.compact === true), [list, now, spec.compact]);
  const ids = useMemo(() => lines.map((l) => l.item ?? ''), [lines]);
  const cursor = useListCursor(KIND, ids, inner);
  const say = services.ui.getState().showMessage;
  const ctx = { ...services, ...actionsUi };
  const live = () => actionsUi.service?.liveContext();

  const openDiff = async (set: string, host: string) => {
    const cell = driftOfSet(sets[set]!).find((d) => d.host === host);
    if (cell?.state === 'in-sync') return say(`${host}: ${set} is in sync`);
    const c = live();
    if (!c) return say('sync needs the console\'s connections', 'warn');
    say(`reading ${set} on ${host}…`);
    try {
      const { text } = await hostDiff(c, set, host);
      services.ui.getState().clearMessage();
      setPage({ kind: 'diff', title: `${set} on ${host}: target → source`, lines: diffLines(text || `${host}: ${set} in sync now`), top: 0 });
    } catch (err) {
      say((err as Error).message, 'warn');
    }
  };

  const openVersions = async (set: string, host: string) => {
    const c = live();
    if (!c) return say('sync needs the console\'s connections', 'warn');
    setPage({ kind: 'versions', set, host, versions: undefined, index: 0 });
    try {
      const versions = await hostVersions(c, set, host);
      setPage((p) => (p.kind === 'versions' && p.host === host ? { ...p, versions } : p));
    } catch (err) {
      setPage({ kind: 'matrix' });
      say((err as Error).message, 'warn');
    }
  };

  usePaneKeys(active, (action) => {
    if (page.kind === 'diff') {
      const step = SCROLL[action];
      if (step) setPage({ ...page, top: Math.max(0, Math.min(page.lines.length - inner, step(page.top, inner))) });
      return;
    }
    if (page.kind === 'versions') {
      const n = page.versions?.length ?? 0;
      const step = SCROLL[action];
      if (step) setPage({ ...page, index: Math.max(0, Math.min(n - 1, step(page.index, inner))) });
      const v = page.versions?.[page.index];
      if (action === 'open' && v) {
        setPage({ kind: 'matrix' });
        void planAndConfirm(ctx, 'sync.rollback', [page.set, page.host, v.id]);
      }
      return;
    }
    if (cursor.navigate(action)) return;
    const at = parseCellId(cursor.id);
    if (action === 'open' && at?.host) void openDiff(at.set, at.host);
  });

  useInput(
    (input, key) => {
      if (key.escape && page.kind !== 'matrix') return setPage({ kind: 'matrix' });
      if (page.kind !== 'matrix') return;
      const at = parseCellId(cursor.id);
      if (input === SYNC_KEYS.recheck || input === 'r') {
        services.store.getState().askSyncRecheck();
        if (input === SYNC_KEYS.recheck) say('re-checking the sync sets\' hashes');
      } else if (input === SYNC_KEYS.apply && at) void planAndConfirm(ctx, 'sync.apply', [at.set]);
      else if (input === SYNC_KEYS.rollback) {
        if (at?.host) void openVersions(at.set, at.host);
        else say(`${SYNC_KEYS.rollback} rolls back one host: put the cursor on a host of the set`, 'warn');
      }
    },
    { isActive: active },
  );

  const title = spec.title ?? PANE_TITLES.sync;
  if (page.kind === 'diff') {
    return (
      <PaneFrame title={title} info={`${page.title} · esc back`} width={width} height={height} focused={focused}>
        <StyledLines lines={page.lines} top={page.top} height={inner} />
      </PaneFrame>
    );
  }
  if (page.kind === 'versions') {
    const rows = page.versions ? versionLines(page.versions) : [];
    return (
      <PaneFrame title={title} info={`versions of ${page.set} on ${page.host} · ⏎ roll back to before it · esc back`} width={width} height={height} focused={focused}>
        {page.versions === undefined ? (
          <Text {...theme.tokens.muted}>{' reading the versions…'}</Text>
        ) : rows.length === 0 ? (
          <Text {...theme.tokens.muted}>{` ${page.host} keeps no version of ${page.set}`}</Text>
        ) : (
          <StyledLines lines={rows} top={Math.max(0, page.index - inner + 1)} height={inner} cursor={focused ? page.index : undefined} />
        )}
      </PaneFrame>
    );
  }
  const checking = list.filter((s) => s.checking).length;
  const info = list.length === 0 ? 'no sync sets' : `${list.length} set${list.length === 1 ? '' : 's'}${checking > 0 ? ' · checking…' : ''}`;
  return (
    <PaneFrame title={title} info={info} width={width} height={height} focused={focused}>
      {list.length === 0 ? (
        <Text wrap="truncate" {...theme.tokens.muted}>
          {' no sync sets: declare them under sync: in the inventory (README: Sync)'}
        </Text>
      ) : (
        <StyledLines lines={lines} top={cursor.top} height={inner} cursor={focused ? cursor.index : undefined} />
      )}
    </PaneFrame>
  );
}
