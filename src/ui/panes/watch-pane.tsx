// A list pane of checks or devices: a header row, then each item's lines
// (a second line says why one fails); the cursor moves item by item and the
// list scrolls to keep it in view. "not configured" with the inventory key
// to add when there is none.
import { Box } from 'ink';
import { useMemo } from 'react';
import { watchesOf, type WatchKind, type WatchState } from '../../store/watches.js';
import { useBaton } from '../context.js';
import { useListCursor, type RowLayout } from '../hooks/use-list-cursor.js';
import { usePaneKeys } from '../hooks/use-pane-keys.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { NotConfigured } from '../widgets/not-configured.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import { StyledLines, type Line } from '../widgets/styled-lines.js';
import type { ItemLines } from './checks-lines.js';
import type { PaneProps } from './pane-props.js';

export interface WatchPaneProps extends PaneProps {
  kind: WatchKind;
  configureHint: string;
  header(width: number): Line;
  lines(w: WatchState, width: number): ItemLines;
  info(items: readonly WatchState[]): string;
}

export function WatchPane({ spec, width, height, focused, active, kind, configureHint, header, lines, info }: WatchPaneProps) {
  const watches = useBaton((s) => s.watches);
  const items = useMemo(() => watchesOf(watches, kind), [watches, kind]);
  const inner = width - 2;
  const blocks = useMemo(() => items.map((w) => lines(w, inner)), [items, lines, inner]);
  const starts = useMemo(() => blocks.reduce<number[]>((acc, b, i) => [...acc, i === 0 ? 0 : acc[i - 1]! + blocks[i - 1]!.lines.length], []), [blocks]);
  const all = useMemo(() => blocks.flatMap((b) => b.lines), [blocks]);
  const rows = Math.max(0, height - 3);
  const layout = useMemo<RowLayout>(
    () => ({ rowOf: (i) => starts[i] ?? 0, lastRowOf: (i) => (starts[i] ?? 0) + (blocks[i]?.lines.length ?? 1) - 1, rows: all.length }),
    [starts, blocks, all],
  );
  const ids = useMemo(() => blocks.map((b) => b.id), [blocks]);
  const cursor = useListCursor(spec.pane, ids, rows, layout);
  usePaneKeys(active, (action) => void cursor.navigate(action));

  const title = spec.title ?? PANE_TITLES[spec.pane];
  if (items.length === 0) {
    return <NotConfigured title={title} width={width} height={height} focused={focused} hint={configureHint} />;
  }
  return (
    <PaneFrame title={title} info={info(items)} width={width} height={height} focused={focused}>
      <Box flexDirection="column">
        <StyledLines lines={[header(inner)]} top={0} height={1} />
        <StyledLines lines={all} top={cursor.top} height={rows} cursor={focused ? starts[cursor.index] : undefined} />
      </Box>
    </PaneFrame>
  );
}
