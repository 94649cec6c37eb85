// Panes whose data sources arrive with later work (deploy) say so instead
// of showing an empty box.
import { Text } from 'ink';
import { useTheme } from '../context.js';
import { PANE_TITLES } from '../views/pane-kinds.js';
import { PaneFrame } from '../widgets/pane-frame.js';
import type { PaneProps } from './pane-props.js';

export function PlaceholderPane({ spec, width, height, focused }: PaneProps) {
  const theme = useTheme();
  return (
    <PaneFrame title={spec.title ?? PANE_TITLES[spec.pane]} width={width} height={height} focused={focused}>
      <Text {...theme.tokens.muted} wrap="truncate">
        {' not configured'}
      </Text>
    </PaneFrame>
  );
}
