// A pane for one service kind (HAProxy, Pacemaker, etcd, NGINX, queues): every
// configured service of that kind as a block of lines, side by side when
// the pane is wide enough, else stacked. A cursor visits the lines that name
// an item (the service, a server, a node, a member, a queue), the pane
// scrolls to keep it in view, and Enter opens that item's detail.
import { useMemo } from 'react';
import { Box } from 'ink';
import { serviceId, type ServiceState } from '../../store/services.js';
import { useBaton, useConsole } from '../context.js';
import { useListCursor, type RowLayout } from '../hooks/use-list-cursor.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import type { ServiceDetail } from '../state/ui-store.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { NotConfigured } from '../widgets/not-configured.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import type { PaneProps } from './pane-props.js';
import { compactServiceBlock, serviceBlock, type BlockContext } from './service-block.js';
import { layoutServices } from './service-stops.js';

/** Blocks go side by side (an active/passive LB pair) when each gets at least this many columns. */
const MIN_BLOCK_WIDTH = 60;

export type ServiceBody = (snapshot: unknown, service: ServiceState, ctx: BlockContext) => Line[];

export interface ServicePaneProps extends PaneProps {
  kind: ServiceDetail['kind'];
  /** How the inventory configures this kind, for the "not configured" text. */
  configureHint: string;
  body: ServiceBody;
}

/** The configured services of one kind, in inventory order. */
export function useServicesOf(kind: ServiceState['kind']): ServiceState[] {
  const services = useBaton((s) => s.services);
  return useMemo(() => Object.values(services).filter((s) => s.kind === kind), [services, kind]);
}

export function ServicePane({ spec, width, height, focused, active, kind, configureHint, body }: ServicePaneProps) {
  const { intervalMs, ui } = useConsole();
  const list = useServicesOf(kind);
  // Data age is re-checked once per poll interval, as in the hosts pane.
  const now = useNow(intervalMs);

  const inner = width - 2;
  const across = Math.max(1, Math.min(list.length, Math.floor(inner / MIN_BLOCK_WIDTH)));
  const blockWidth = Math.floor(inner / across);
  const layout = useMemo(() => {
    const ctx: BlockContext = { now, intervalMs, width: across > 1 ? blockWidth - 1 : inner };
    const lines = (s: ServiceState) => (spec.compact ? compactServiceBlock(s, ctx) : serviceBlock(s, ctx, (snap, svc) => body(snap, svc, ctx)));
    return layoutServices(list.map((s) => ({ serviceId: serviceId(s.kind, s.key), lines: lines(s) })), across);
  }, [list, now, intervalMs, across, blockWidth, inner, body, spec.compact]);

  const rows = Math.max(0, height - 2);
  const ids = useMemo(() => layout.stops.map((s) => s.id), [layout]);
  const rowLayout = useMemo<RowLayout>(
    () => ({ rowOf: (i) => layout.stops[i]?.row ?? 0, lastRowOf: (i) => layout.stops[i]?.lastRow ?? 0, rows: layout.rows }),
    [layout],
  );
  const cursor = useListCursor(kind, ids, rows, rowLayout);
  const stop = layout.stops[cursor.index];

  usePaneKeys(active, (action) => {
    if (cursor.navigate(action)) return;
    if (action === 'open' && stop) ui.getState().openServiceDetail({ kind, serviceId: stop.serviceId, item: stop.item });
  });

  const title = spec.title ?? PANE_TITLES[spec.pane];
  if (list.length === 0) {
    return <NotConfigured title={title} width={width} height={height} focused={focused} hint={configureHint} />;
  }
  const info = layout.rows > rows ? `${cursor.top + 1}-${Math.min(layout.rows, cursor.top + rows)}/${layout.rows}` : '';
  return (
    <PaneFrame title={title} info={info} width={width} height={height} focused={focused}>
      <Box flexDirection="row">
        {layout.columns.map((col, i) => (
          <Box key={i} width={blockWidth} flexDirection="column">
            <StyledLines lines={col} top={cursor.top} height={rows} cursor={focused && stop?.column === i ? stop.row : undefined} />
          </Box>
        ))}
      </Box>
    </PaneFrame>
  );
}
