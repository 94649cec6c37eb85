// Lays the current view's panes out in rows and columns by weight, under
// the services' status strip when the view has one and services exist.
import { Box } from 'ink';
import { useMemo } from 'react';
import { useBaton } from './context.js';
import { layoutView } from './layout.js';
import { PANES } from './panes/pane-registry.js';
import type { Mode } from './state/ui-store.js';
import { StatusStrip } from './status-strip/status-strip.js';
import type { ViewDef } from './views/view.js';

export interface ViewGridProps {
  view: ViewDef;
  width: number;
  height: number;
  focus: number;
  mode: Mode;
}

export function ViewGrid({ view, width, height, focus, mode }: ViewGridProps) {
  // A boolean, so service updates do not re-render the grid: the strip follows them itself.
  const anyService = useBaton((s) => Object.keys(s.services).length > 0);
  const strip = view.strip === true && anyService;
  const paneHeight = strip ? Math.max(0, height - 1) : height;
  const rows = useMemo(() => layoutView(view, width, paneHeight), [view, width, paneHeight]);
  const count = rows.reduce((n, r) => n + r.panes.length, 0);
  const focused = count > 0 ? focus % count : -1;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {strip && <StatusStrip width={width} />}
      {rows.map((row, r) => (
        <Box key={r} flexDirection="row" height={row.height}>
          {row.panes.map((rect) => {
            const Pane = PANES[rect.pane.pane].component;
            const isFocused = rect.index === focused;
            return (
              <Pane
                key={`${view.name}-${rect.index}`}
                spec={rect.pane}
                width={rect.width}
                height={rect.height}
                focused={isFocused}
                active={isFocused && mode === 'normal'}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}
