// Sorting of table rows: keys computed once per row, missing values last in
// both directions, ties kept in inventory order.
import type { SortState } from './state/ui-store.js';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export type SortKey = number | string | null;

export function sortRows<T, C>(rows: readonly T[], key: (item: T, ctx: C) => SortKey, ctx: C, desc: boolean): T[] {
  const keyed = rows.map((item, i) => ({ item, i, k: key(item, ctx) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
    return (desc ? -c : c) || a.i - b.i;
  });
  return keyed.map((k) => k.item);
}

export interface Sortable {
  id: string;
  descByDefault?: boolean;
}

/** `s`: inventory order, then each sortable column in turn, then back. */
export function nextSort(columns: readonly Sortable[], current: SortState | undefined): SortState | undefined {
  const at = current ? columns.findIndex((c) => c.id === current.column) : -1;
  const next = columns[at + 1];
  return next ? { column: next.id, desc: next.descByDefault ?? false } : undefined;
}

/** `sort` in a view file: a column id, `-` in front for descending. */
export function parseSortSpec(spec: string | undefined, columns: readonly Sortable[]): SortState | undefined {
  if (!spec) return undefined;
  const desc = spec.startsWith('-');
  const column = columns.find((c) => c.id === spec.replace(/^-/, ''));
  return column ? { column: column.id, desc } : undefined;
}
