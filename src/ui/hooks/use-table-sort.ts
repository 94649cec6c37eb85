// Sort of a table pane: the operator's choice (s / S), else the view's
// `sort`, else inventory / arrival order.
import { useConsole, useUi } from '../context.js';
import { nextSort, parseSortSpec, type Sortable } from '../sort-rows.js';
import type { SortState } from '../state/ui-store.js';

export interface TableSort {
  sort: SortState | undefined;
  cycle(columns: readonly Sortable[]): void;
  reverse(): void;
}

export function useTableSort(kind: string, viewDefault: string | undefined, known: readonly Sortable[]): TableSort {
  const { ui } = useConsole();
  const chosen = useUi((s) => s.sorts[kind]);
  const sort = chosen === undefined ? parseSortSpec(viewDefault, known) : (chosen ?? undefined);
  return {
    sort,
    cycle: (columns) => ui.getState().setSort(kind, nextSort(columns, sort) ?? null),
    reverse: () => {
      if (sort) ui.getState().setSort(kind, { ...sort, desc: !sort.desc });
    },
  };
}
