// A virtualised table: only the rows in view are rendered, each row is
// memoised on its item, so a keystroke re-renders two rows, not a thousand.
import { Box, Text } from 'ink';
import { memo } from 'react';
import { useTheme } from '../context.js';
import { fit } from '../format.js';
import type { TextStyle, Theme, Token } from '../theme/theme.js';

export interface CellValue {
  text: string;
  token?: Token;
}

export interface ColumnDef<T, C> {
  id: string;
  title: string;
  width: number;
  /** Grows up to this width when room is left (Infinity: takes the rest). */
  maxWidth?: number;
  align?: 'left' | 'right';
  cell(item: T, ctx: C): CellValue;
  sort?(item: T, ctx: C): number | string | null;
  /** Numbers sort worst (highest) first by default. */
  descByDefault?: boolean;
}

export interface FittedColumn<T, C> extends ColumnDef<T, C> {
  fitted: number;
}

/** Columns in order while they fit (one space apart), then spare room to the growable ones. */
export function fitColumns<T, C>(defs: readonly ColumnDef<T, C>[], width: number): FittedColumn<T, C>[] {
  const out: FittedColumn<T, C>[] = [];
  let used = 0;
  for (const def of defs) {
    const need = def.width + (out.length > 0 ? 1 : 0);
    if (used + need > width) break;
    out.push({ ...def, fitted: def.width });
    used += need;
  }
  let spare = width - used;
  for (const col of out) {
    if (spare <= 0) break;
    const grow = Math.min(spare, (col.maxWidth ?? col.width) - col.width);
    if (grow > 0) {
      col.fitted += grow;
      spare -= grow;
    }
  }
  return out;
}

/** Width of the cursor and selection marks in front of each row. */
export const MARK_WIDTH = 2;

interface RowProps<T, C> {
  item: T;
  columns: readonly FittedColumn<T, C>[];
  ctx: C;
  cursor: boolean;
  marked: boolean;
  focused: boolean;
  theme: Theme;
}

function RowView<T, C>({ item, columns, ctx, cursor, marked, focused, theme }: RowProps<T, C>) {
  // Marks are characters, not only colours: they survive NO_COLOR and a 16-colour tmux.
  const mark = `${cursor ? '>' : ' '}${marked ? '*' : ' '}`;
  const cells = columns.map((col) => ({ col, value: col.cell(item, ctx) }));
  if (cursor && focused) {
    const text = cells.map(({ col, value }) => fit(value.text, col.fitted, col.align)).join(' ');
    return (
      <Text wrap="truncate" {...theme.tokens.selection}>
        {mark}
        {text}
      </Text>
    );
  }
  // Neighbouring cells of one colour share a node: a frame costs in proportion to nodes.
  const runs: { token: Token | undefined; text: string }[] = [];
  cells.forEach(({ col, value }, i) => {
    const text = `${i > 0 ? ' ' : ''}${fit(value.text, col.fitted, col.align)}`;
    const last = runs[runs.length - 1];
    if (last && last.token === value.token) last.text += text;
    else runs.push({ token: value.token, text });
  });
  return (
    <Text wrap="truncate">
      <Text {...(marked ? theme.tokens.focus : theme.tokens.muted)}>{mark}</Text>
      {runs.map((run, i) => (
        <Text key={i} {...styleOf(theme, run.token)}>
          {run.text}
        </Text>
      ))}
    </Text>
  );
}

function styleOf(theme: Theme, token: Token | undefined): TextStyle {
  return theme.tokens[token ?? 'text'];
}

const Row = memo(RowView) as typeof RowView;

export interface TableProps<T, C> {
  columns: readonly FittedColumn<T, C>[];
  rows: readonly T[];
  ctx: C;
  getId(item: T): string;
  cursor: number;
  top: number;
  /** Rows of text available, the header included. */
  height: number;
  focused: boolean;
  marked?: ReadonlySet<string>;
  /** Shown under the header when there are no rows. */
  empty?: string;
  sort?: { column: string; desc: boolean };
}

export function Table<T, C>({ columns, rows, ctx, getId, cursor, top, height, focused, marked, empty, sort }: TableProps<T, C>) {
  const theme = useTheme();
  const visible = rows.slice(top, top + Math.max(0, height - 1));
  const header = columns
    .map((col) => {
      const arrow = sort?.column === col.id ? (sort.desc ? '↓' : '↑') : '';
      return fit(`${col.title}${arrow}`, col.fitted, col.align);
    })
    .join(' ');
  return (
    <Box flexDirection="column" height={height}>
      <Text wrap="truncate" {...theme.tokens.muted} bold>
        {' '.repeat(MARK_WIDTH)}
        {header}
      </Text>
      {visible.length === 0 && empty ? <Text {...theme.tokens.muted}>{`  ${empty}`}</Text> : null}
      {visible.map((item, i) => {
        const id = getId(item);
        return (
          <Row
            key={id}
            item={item}
            columns={columns}
            ctx={ctx}
            cursor={top + i === cursor}
            marked={marked?.has(id) ?? false}
            focused={focused}
            theme={theme}
          />
        );
      })}
    </Box>
  );
}
