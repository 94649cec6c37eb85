// Cursor and scroll position of a list pane, kept in the UI store by row id
// so the cursor stays on its host while live data re-sorts the rows.
import { useMemo } from 'react';
import type { Action } from '../keymap/keymap.js';
import { useConsole, useUi } from '../context.js';

export interface ListCursor {
  index: number;
  top: number;
  id: string | undefined;
  /** Applies a navigation action; false when the action is not navigation. */
  navigate(action: Action): boolean;
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

/** Keeps `index` in view, moving the window as little as possible. */
export function scrollTop(top: number, index: number, pageRows: number, count: number): number {
  const page = Math.max(1, pageRows);
  let t = Math.min(top, index);
  t = Math.max(t, index - page + 1);
  return clamp(t, 0, Math.max(0, count - page));
}

/** Where each entry sits when entries are not one row each (a report whose lines are cursor stops). */
export interface RowLayout {
  rowOf(index: number): number;
  /** The entry's last row: lines that continue it (a second line, a raw snippet) scroll into view with it. */
  lastRowOf(index: number): number;
  rows: number;
}

export function useListCursor(kind: string, ids: readonly string[], pageRows: number, layout?: RowLayout): ListCursor {
  const { ui } = useConsole();
  const saved = useUi((s) => s.cursors[kind]);
  const indexById = useMemo(() => new Map(ids.map((id, i) => [id, i])), [ids]);
  const last = Math.max(0, ids.length - 1);
  const byId = saved?.id !== undefined ? indexById.get(saved.id) : undefined;
  const index = clamp(byId ?? saved?.index ?? 0, 0, last);
  const rows = layout ? layout.rows : ids.length;
  // The entry's last row first, then its first: when both cannot show, the first wins.
  const fitTop = (t: number, i: number): number =>
    layout ? scrollTop(scrollTop(t, layout.lastRowOf(i), pageRows, rows), layout.rowOf(i), pageRows, rows) : scrollTop(t, i, pageRows, rows);
  const top = fitTop(saved?.top ?? 0, index);

  const moveTo = (target: number) => {
    const i = clamp(target, 0, last);
    ui.getState().setCursor(kind, { id: ids[i], index: i, top: fitTop(top, i) });
  };
  const page = Math.max(1, pageRows);
  const navigate = (action: Action): boolean => {
    switch (action) {
      case 'down': moveTo(index + 1); return true;
      case 'up': moveTo(index - 1); return true;
      case 'top': moveTo(0); return true;
      case 'bottom': moveTo(last); return true;
      case 'pageDown': moveTo(index + page); return true;
      case 'pageUp': moveTo(index - page); return true;
      default: return false;
    }
  };
  return { index, top, id: ids[index], navigate };
}
