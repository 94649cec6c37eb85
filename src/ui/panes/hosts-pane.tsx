// The hosts table: filtered and sorted once per change, virtualised, with a
// cursor that follows its host and multi-select with space.
import { useEffect, useMemo } from 'react';
import { firingByHost } from '../../store/alerts.js';
import { lockHolders } from '../../store/lock-holders.js';
import { hostList } from '../../store/selectors.js';
import type { HostState } from '../../store/types.js';
import { useBaton, useConsole, useUi } from '../context.js';
import { compileFilter } from '../filter.js';
import { useListCursor } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { useTableSort } from '../hooks/use-table-sort.js';
import { sortRows } from '../sort-rows.js';
import { DEFAULT_HOST_COLUMNS, type HostColumnId } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { fitColumns, MARK_WIDTH, Table } from '../widgets/table.js';
import { anyHostLocked, hostColumns, type HostRowContext } from './host-columns.js';
import { hostFilterSpec } from './host-filter.js';
import type { PaneProps } from './pane-props.js';

const KIND = 'hosts';
const hostId = (h: HostState): string => h.spec.id;

export function HostsPane({ spec, width, height, focused, active }: PaneProps) {
  const { intervalMs, thresholds, ui } = useConsole();
  const hosts = useBaton((s) => s.hosts);
  const order = useBaton((s) => s.order);
  const locks = useBaton((s) => lockHolders(s.services));
  const services = useBaton((s) => s.services);
  const inventory = useBaton((s) => s.inventory);
  const alerting = useMemo(() => firingByHost({ inventory, services }), [inventory, services]);
  const filterText = useUi((s) => s.filters[KIND] ?? '');
  const selected = useUi((s) => s.selected);
  // Staleness changes with time, so rows re-check once per poll interval.
  const now = useNow(intervalMs);

  // Room for a firing-alerts mark (` ▲N`) after the name.
  const hostWidth = useMemo(() => Math.min(24, Math.max(6, ...order.map((id) => id.length + (alerting.has(id) ? 3 : 0)))), [order, alerting]);
  const lockMarks = useMemo(() => anyHostLocked(locks), [locks]);
  const defs = useMemo(() => {
    const all = hostColumns(hostWidth, lockMarks);
    return ((spec.columns ?? DEFAULT_HOST_COLUMNS) as readonly HostColumnId[]).map((id) => all[id]);
  }, [hostWidth, spec.columns, lockMarks]);
  const { sort, cycle, reverse } = useTableSort(KIND, spec.sort, defs);
  const ctx = useMemo<HostRowContext>(() => ({ now, intervalMs, thresholds, locks, alerting }), [now, intervalMs, thresholds, locks, alerting]);
  const filter = useMemo(() => compileFilter(filterText, hostFilterSpec(ctx)), [filterText, ctx]);
  const rows = useMemo(() => {
    const list = hostList({ hosts, order });
    const kept = filter.empty ? list : list.filter(filter.matches);
    const key = sort && defs.find((d) => d.id === sort.column)?.sort;
    return key ? sortRows(kept, key, ctx, sort.desc) : kept;
  }, [hosts, order, filter, sort, defs, ctx]);
  const ids = useMemo(() => rows.map(hostId), [rows]);

  const innerWidth = width - 2;
  const bodyRows = height - 3;
  const columns = useMemo(() => fitColumns(defs, innerWidth - MARK_WIDTH), [defs, innerWidth]);
  const cursor = useListCursor(KIND, ids, bodyRows);

  useEffect(() => {
    ui.getState().setCursorHost(cursor.id);
  }, [ui, cursor.id]);

  usePaneKeys(active, (action) => {
    if (cursor.navigate(action)) return;
    const state = ui.getState();
    if (action === 'open' && cursor.id) state.openDetail(cursor.id);
    else if (action === 'select' && cursor.id) {
      state.toggleSelected(cursor.id);
      cursor.navigate('down');
    } else if (action === 'sortNext') cycle(columns.filter((c) => c.sort));
    else if (action === 'sortReverse') reverse();
  });

  const info = filterText ? `/${filterText}${filter.error ? ' (!)' : ''}` : '';
  return (
    <PaneFrame title={`${spec.title ?? 'Hosts'} ${rows.length}/${order.length}`} info={info} width={width} height={height} focused={focused}>
      <Table
        columns={columns}
        rows={rows}
        ctx={ctx}
        getId={hostId}
        cursor={cursor.index}
        top={cursor.top}
        height={height - 2}
        focused={focused}
        marked={selected}
        sort={sort}
        empty={order.length === 0 ? 'no hosts in the inventory' : 'no host matches the filter'}
      />
    </PaneFrame>
  );
}
