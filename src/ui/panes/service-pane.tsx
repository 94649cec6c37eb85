// A pane for one service kind (HAProxy, Pacemaker, etcd, queues): every
// configured service of that kind as a block of lines, side by side when
// the pane is wide enough, else stacked; scrolled with the pane keys when
// taller than the box.
import { useMemo, useState } from 'react';
import { Box, Text } from 'ink';
import type { ServiceKind, ServiceState } from '../../store/services.js';
import { useBaton, useConsole, useTheme } from '../context.js';
import { useNow } from '../hooks/use-now.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import type { PaneProps } from './pane-props.js';
import { serviceBlock, type BlockContext } from './service-block.js';

/** Blocks go side by side (an active/passive LB pair) when each gets at least this many columns. */
const MIN_BLOCK_WIDTH = 60;

export type ServiceBody = (snapshot: unknown, service: ServiceState, ctx: BlockContext) => Line[];

export interface ServicePaneProps extends PaneProps {
  kind: ServiceKind;
  /** How the inventory configures this kind, for the "not configured" text. */
  configureHint: string;
  body: ServiceBody;
}

/** The configured services of one kind, in inventory order. */
export function useServicesOf(kind: ServiceKind): ServiceState[] {
  const services = useBaton((s) => s.services);
  return useMemo(() => Object.values(services).filter((s) => s.kind === kind), [services, kind]);
}

export function ServicePane({ spec, width, height, focused, active, kind, configureHint, body }: ServicePaneProps) {
  const theme = useTheme();
  const { intervalMs } = useConsole();
  const list = useServicesOf(kind);
  // Data age is re-checked once per poll interval, as in the hosts pane.
  const now = useNow(intervalMs);
  const [top, setTop] = useState(0);

  const inner = width - 2;
  const across = Math.max(1, Math.min(list.length, Math.floor(inner / MIN_BLOCK_WIDTH)));
  const blockWidth = Math.floor(inner / across);
  const columns = useMemo(() => {
    const ctx: BlockContext = { now, intervalMs, width: across > 1 ? blockWidth - 1 : inner };
    const cols: Line[][] = Array.from({ length: across }, () => []);
    list.forEach((s, i) => {
      const col = cols[i % across]!;
      if (col.length > 0) col.push([]);
      col.push(...serviceBlock(s, ctx, (snap, svc) => body(snap, svc, ctx)));
    });
    return cols;
  }, [list, now, intervalMs, across, blockWidth, inner, body]);
  const tallest = Math.max(0, ...columns.map((c) => c.length));

  const rows = Math.max(0, height - 2);
  const maxTop = Math.max(0, tallest - rows);
  const shownTop = Math.min(top, maxTop);
  usePaneKeys(active, (action) => {
    const page = Math.max(1, rows - 1);
    const moves: Partial<Record<string, number>> = { down: 1, up: -1, pageDown: page, pageUp: -page, top: -maxTop, bottom: maxTop };
    const move = moves[action];
    if (move !== undefined) setTop(Math.max(0, Math.min(maxTop, shownTop + move)));
  });

  const title = spec.title ?? PANE_TITLES[spec.pane];
  if (list.length === 0) {
    return (
      <PaneFrame title={title} width={width} height={height} focused={focused}>
        <Box paddingX={1}>
          <Text {...theme.tokens.muted} wrap="wrap">
            {`not configured: ${configureHint}`}
          </Text>
        </Box>
      </PaneFrame>
    );
  }
  const info = maxTop > 0 ? `${shownTop + 1}-${Math.min(tallest, shownTop + rows)}/${tallest}` : '';
  return (
    <PaneFrame title={title} info={info} width={width} height={height} focused={focused}>
      <Box flexDirection="row">
        {columns.map((col, i) => (
          <Box key={i} width={blockWidth} flexDirection="column">
            <StyledLines lines={col} top={shownTop} height={rows} />
          </Box>
        ))}
      </Box>
    </PaneFrame>
  );
}
