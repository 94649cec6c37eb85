// The Databases pane: every replication set (PostgreSQL servers grouped by
// their inventory `cluster`) as a block, stacked, scrolled by a cursor that
// visits the set and each server. On a server, F promotes it, z/u pause and
// resume its replication (databases-keys.ts), each into the confirm dialog.
import { useInput } from 'ink';
import { useMemo } from 'react';
import type { ServiceState } from '../../store/services.js';
import { planAndConfirm } from '../actions/action-flow.js';
import { useActionsUi } from '../actions/actions-context.js';
import { startPromote } from '../actions/fenced-dialog.js';
import { useBaton, useConsole } from '../context.js';
import { useListCursor, type RowLayout } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { NotConfigured } from '../widgets/not-configured.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines } from '../widgets/styled-lines.js';
import { databaseAction, databaseKey } from './databases-keys.js';
import { databaseSetLines, databaseSets } from './databases-lines.js';
import type { PaneProps } from './pane-props.js';
import { SERVICE_ITEM } from './service-items.js';
import { layoutServices } from './service-stops.js';

const DATABASE_KINDS: readonly string[] = ['postgresql', 'mysql'];

export function DatabasesPane({ spec, width, height, focused, active }: PaneProps) {
  const consoleServices = useConsole();
  const { intervalMs, ui } = consoleServices;
  const actionsUi = useActionsUi();
  const services = useBaton((s) => s.services);
  const list = useMemo<ServiceState[]>(() => Object.values(services).filter((s) => DATABASE_KINDS.includes(s.kind)), [services]);
  const now = useNow(intervalMs);
  const inner = width - 2;
  const layout = useMemo(() => {
    const ctx = { now, intervalMs, width: inner };
    return layoutServices(databaseSets(list).map((set) => ({ serviceId: set.name, lines: databaseSetLines(set, ctx, spec.compact === true) })), 1);
  }, [list, now, intervalMs, inner, spec.compact]);

  const rows = Math.max(0, height - 2);
  const ids = useMemo(() => layout.stops.map((s) => s.id), [layout]);
  const rowLayout = useMemo<RowLayout>(() => ({ rowOf: (i) => layout.stops[i]?.row ?? 0, lastRowOf: (i) => layout.stops[i]?.lastRow ?? 0, rows: layout.rows }), [layout]);
  const cursor = useListCursor('databases', ids, rows, rowLayout);
  const stop = layout.stops[cursor.index];
  usePaneKeys(active, (action) => {
    if (cursor.navigate(action)) return;
    // A server's line opens its detail; the set's header and alerts, its first server's.
    const set = stop && databaseSets(list).find((s) => s.name === (stop.item.includes('/') ? stop.item.slice(0, stop.item.indexOf('/')) : stop.item));
    const server = stop?.item.includes('/') ? stop.item : set?.members[0]?.key;
    if (action === 'open' && set && server) ui.getState().openServiceDetail({ kind: set.kind, serviceId: `${set.kind}:${server}`, item: SERVICE_ITEM });
  });

  useInput(
    (input) => {
      const which = databaseKey(input);
      if (!which) return;
      // After this key's other handlers: the global ones clear the message line on every key.
      const say = (text: string) => queueMicrotask(() => ui.getState().showMessage(text, 'warn'));
      const server = stop?.item.includes('/') ? list.find((s) => s.key === stop.item) : undefined;
      const action = server && databaseAction(server.kind, which);
      if (!server || !action) return say('put the cursor on a server of a replication set');
      const set = server.key.slice(0, server.key.indexOf('/'));
      const host = server.key.slice(set.length + 1);
      const ctx = { ...consoleServices, ...actionsUi };
      void (which === 'promote' ? startPromote(ctx, action, host, set) : planAndConfirm(ctx, action, [host]));
    },
    { isActive: active },
  );

  const title = spec.title ?? PANE_TITLES[spec.pane];
  if (list.length === 0) {
    return <NotConfigured title={title} width={width} height={height} focused={focused} hint="add roles: { postgresql: { cluster: <set>, host: /run/postgresql } } to each server of a replication set" />;
  }
  const info = layout.rows > rows ? `${cursor.top + 1}-${Math.min(layout.rows, cursor.top + rows)}/${layout.rows}` : '';
  return (
    <PaneFrame title={title} info={info} width={width} height={height} focused={focused}>
      <StyledLines lines={layout.columns[0] ?? []} top={cursor.top} height={rows} cursor={focused ? stop?.row : undefined} />
    </PaneFrame>
  );
}
