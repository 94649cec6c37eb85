// Lines of coloured parts in a window of fixed height: the body of a pane
// that is a report rather than a list, scrolled by whole lines. A line may
// name the item it shows, which makes it a stop for the pane's cursor.
import { Box, Text } from 'ink';
import { useTheme } from '../context.js';
import type { Token } from '../theme/theme.js';

export interface Part {
  text: string;
  token?: Token;
}

/** Parts, plus the item (a server, a node, a queue) Enter opens from this line. */
export type Line = Part[] & { item?: string };

/** Tags `parts` as showing `item`. */
export function itemLine(item: string, parts: Part[]): Line {
  return Object.assign(parts, { item });
}

export interface StyledLinesProps {
  lines: readonly Line[];
  top: number;
  height: number;
  /** Index into `lines` of the cursor line, drawn in the selection style with a `>` mark. */
  cursor?: number;
}

export function StyledLines({ lines, top, height, cursor }: StyledLinesProps) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" height={height}>
      {lines.slice(top, top + Math.max(0, height)).map((line, y) =>
        top + y === cursor ? (
          // The mark is a character, not only a colour: it survives NO_COLOR.
          <Text key={top + y} wrap="truncate" {...theme.tokens.selection}>
            {`>${line.map((p) => p.text).join('').slice(1)}`}
          </Text>
        ) : (
          <Text key={top + y} wrap="truncate">
            {line.length === 0
              ? ' '
              : line.map((p, i) => (
                  <Text key={i} {...theme.tokens[p.token ?? 'text']}>
                    {p.text}
                  </Text>
                ))}
          </Text>
        ),
      )}
    </Box>
  );
}
