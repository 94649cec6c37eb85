// The timeline of state changes, newest first, filterable like the hosts.
// Enter opens what the event is about (event-target.ts).
import { useMemo } from 'react';
import type { BatonEvent } from '../../store/types.js';
import { useBaton, useConsole, useUi } from '../context.js';
import { compileFilter } from '../filter.js';
import { useListCursor } from '../hooks/use-list-cursor.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { useTableSort } from '../hooks/use-table-sort.js';
import { sortRows } from '../sort-rows.js';
import { DEFAULT_EVENT_COLUMNS, type EventColumnId } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { fitColumns, MARK_WIDTH, Table } from '../widgets/table.js';
import { EVENT_COLUMN_DEFS, EVENT_FILTER } from './event-columns.js';
import { eventTarget } from './event-target.js';
import type { PaneProps } from './pane-props.js';

const KIND = 'events';
const eventId = (e: BatonEvent): string => String(e.id);

export function EventsPane({ spec, width, height, focused, active }: PaneProps) {
  const { ui, store } = useConsole();
  const events = useBaton((s) => s.events);
  const filterText = useUi((s) => s.filters[KIND] ?? '');
  const defs = useMemo(() => ((spec.columns ?? DEFAULT_EVENT_COLUMNS) as readonly EventColumnId[]).map((id) => EVENT_COLUMN_DEFS[id]), [spec.columns]);
  const { sort, cycle, reverse } = useTableSort(KIND, spec.sort, defs);
  // The view's fixed filter (an Alerts pane: `!severity=info`) and the operator's, all terms ANDed.
  const filter = useMemo(() => compileFilter(`${spec.filter ?? ''} ${filterText}`, EVENT_FILTER), [spec.filter, filterText]);
  const rows = useMemo(() => {
    const kept = filter.empty ? events : events.filter(filter.matches);
    const key = sort && defs.find((d) => d.id === sort.column)?.sort;
    return key ? sortRows(kept, key, null, sort.desc) : kept;
  }, [events, filter, sort, defs]);
  const ids = useMemo(() => rows.map(eventId), [rows]);
  const columns = useMemo(() => fitColumns(defs, width - 2 - MARK_WIDTH), [defs, width]);
  // A filtered pane keeps its own cursor: beside the whole timeline, the two lists differ.
  const cursor = useListCursor(spec.filter ? `${KIND} ${spec.filter}` : KIND, ids, height - 3);

  usePaneKeys(active, (action) => {
    if (cursor.navigate(action)) return;
    const event = rows[cursor.index];
    if (action === 'open') {
      const target = event && eventTarget(event, store.getState().services);
      if (target?.kind === 'host') ui.getState().openDetail(target.hostId);
      else if (target) ui.getState().openServiceDetail(target);
    } else if (action === 'sortNext') cycle(columns.filter((c) => c.sort));
    else if (action === 'sortReverse') reverse();
  });

  const info = filterText ? `/${filterText}${filter.error ? ' (!)' : ''}` : '';
  return (
    <PaneFrame title={`${spec.title ?? 'Events'} ${rows.length}`} info={info} width={width} height={height} focused={focused}>
      <Table
        columns={columns}
        rows={rows}
        ctx={null}
        getId={eventId}
        cursor={cursor.index}
        top={cursor.top}
        height={height - 2}
        focused={focused}
        sort={sort}
        empty={events.length === 0 ? 'no events yet' : filterText ? 'no event matches the filter' : `no event matches ${spec.filter}`}
      />
    </PaneFrame>
  );
}
