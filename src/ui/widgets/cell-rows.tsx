// Draws a grid of styled cells (from the off-screen blessed buffer) as Ink
// text: one <Text> per row, one nested <Text> per run of equal style.
import { Text } from 'ink';
import { memo } from 'react';
import type { TextStyle } from '../theme/theme.js';
import type { Cell, CellGrid } from './offscreen.js';

export interface Segment {
  text: string;
  style?: TextStyle;
}

export type StyledRow = Segment[];

export interface StyledCell {
  ch: string;
  /** Runs are split where this reference changes: reuse style objects. */
  style?: TextStyle;
}

/** A blank looks the same in any foreground colour. */
const blankFits = (style: TextStyle | undefined): boolean => !style || (!style.backgroundColor && !style.inverse && !style.underline);

export function styleGrid(grid: CellGrid, map: (cell: Cell, x: number, y: number) => StyledCell): StyledRow[] {
  return grid.map((line, y) => {
    const row: StyledRow = [];
    line.forEach((cell, x) => {
      const { ch, style } = map(cell, x, y);
      const last = row[row.length - 1];
      // Fewer runs, fewer Ink nodes: a frame costs in proportion to them.
      if (last && (last.style === style || (ch === ' ' && !style && blankFits(last.style)))) last.text += ch;
      else row.push({ text: ch, style });
    });
    const last = row[row.length - 1];
    // Trailing blanks carry no information; Ink would trim them anyway.
    if (last && last.style === undefined) {
      last.text = last.text.trimEnd();
      if (last.text === '') row.pop();
    }
    return row;
  });
}

export const CellRows = memo(function CellRows({ rows }: { rows: readonly StyledRow[] }) {
  return (
    <>
      {rows.map((row, y) => (
        <Text key={y} wrap="truncate">
          {row.length === 0 ? ' ' : row.map((s, i) => (s.style ? <Text key={i} {...s.style}>{s.text}</Text> : s.text))}
        </Text>
      ))}
    </>
  );
});
