// A table as styled lines (header + rows) for panes that mix tables with
// other text in one scrolled body. Columns fit the width as in <Table>.
import { fit } from '../format.js';
import type { ColumnDef } from './table.js';
import { fitColumns } from './table.js';
import { itemLine, type Line, type Part } from './styled-lines.js';

export interface TableLinesOptions<T> {
  indent?: number;
  /** Makes each row a cursor stop that opens this item. */
  itemOf?: (row: T) => string;
}

export function tableLines<T, C>(defs: readonly ColumnDef<T, C>[], rows: readonly T[], ctx: C, width: number, options: TableLinesOptions<T> = {}): Line[] {
  const indent = options.indent ?? 1;
  const columns = fitColumns(defs, width - indent);
  const pad = ' '.repeat(indent);
  const header: Line = [{ text: pad + columns.map((c) => fit(c.title, c.fitted, c.align)).join(' '), token: 'muted' }];
  return [
    header,
    ...rows.map((row) => {
      const parts: Part[] = [{ text: pad }];
      columns.forEach((col, i) => {
        const value = col.cell(row, ctx);
        parts.push({ text: `${i > 0 ? ' ' : ''}${fit(value.text, col.fitted, col.align)}`, token: value.token });
      });
      return options.itemOf ? itemLine(options.itemOf(row), parts) : parts;
    }),
  ];
}
