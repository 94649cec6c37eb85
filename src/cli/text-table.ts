// Plain aligned columns for non-interactive output (`hosts`, `--once`).
// Cells are data (names, tags, errors): their control characters are shown
// as text, which also keeps a newline or a tab from breaking a row.
import { visibleText } from '../ui/visible-text.js';

export function textTable(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((r) => r.map(visibleText));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
