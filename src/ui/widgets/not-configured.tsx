// A pane whose items the inventory does not declare: its frame, and how to declare them.
import { Box, Text } from 'ink';
import { useTheme } from '../context.js';
import { PaneFrame } from './pane-frame.js';

export function NotConfigured({ title, width, height, focused, hint }: { title: string; width: number; height: number; focused: boolean; hint: string }) {
  const theme = useTheme();
  return (
    <PaneFrame title={title} width={width} height={height} focused={focused}>
      <Box paddingX={1}>
        <Text {...theme.tokens.muted} wrap="wrap">
          {`not configured: ${hint}`}
        </Text>
      </Box>
    </PaneFrame>
  );
}
