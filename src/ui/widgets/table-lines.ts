// A table as styled lines (header + rows) for panes that mix tables with
// other text in one scrolled body. Columns fit the width as in <Table>.
import { fit } from '../format.js';
import type { ColumnDef } from './table.js';
import { fitColumns } from './table.js';
import type { Line, Part } from './styled-lines.js';

export function tableLines<T, C>(defs: readonly ColumnDef<T, C>[], rows: readonly T[], ctx: C, width: number, indent = 1): Line[] {
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
      return parts;
    }),
  ];
}
