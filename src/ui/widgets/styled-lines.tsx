// Lines of coloured parts in a window of fixed height: the body of a pane
// that is a report rather than a list, scrolled by whole lines.
import { Box, Text } from 'ink';
import { useTheme } from '../context.js';
import type { Token } from '../theme/theme.js';

export interface Part {
  text: string;
  token?: Token;
}

export type Line = Part[];

export interface StyledLinesProps {
  lines: readonly Line[];
  top: number;
  height: number;
}

export function StyledLines({ lines, top, height }: StyledLinesProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(top, top + Math.max(0, height)).map((line, y) => (
        <Text key={top + y} wrap="truncate">
          {line.length === 0
            ? ' '
            : line.map((p, i) => (
                <Text key={i} {...theme.tokens[p.token ?? 'text']}>
                  {p.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}
