// Lays the blocks of a service pane out in columns and lists the cursor
// stops: every line that names an item, in service order, with where it sits
// and how far the lines that continue it reach. Pure.
import type { Line } from '../widgets/styled-lines.js';

export interface ServiceBlockLines {
  serviceId: string;
  lines: Line[];
}

export interface Stop {
  /** Unique and stable while data changes: service, item, and which of that item's lines. */
  id: string;
  serviceId: string;
  item: string;
  column: number;
  row: number;
  lastRow: number;
}

export interface ServiceLayout {
  columns: Line[][];
  stops: Stop[];
  /** Rows of the tallest column. */
  rows: number;
}

export function layoutServices(blocks: readonly ServiceBlockLines[], across: number): ServiceLayout {
  const columns: Line[][] = Array.from({ length: Math.max(1, across) }, () => []);
  const stops: Stop[] = [];
  blocks.forEach((block, i) => {
    const column = i % columns.length;
    const col = columns[column]!;
    if (col.length > 0) col.push([]);
    const start = col.length;
    col.push(...block.lines);
    const seen = new Map<string, number>();
    const first = stops.length;
    block.lines.forEach((line, j) => {
      if (line.item === undefined) return;
      const n = seen.get(line.item) ?? 0;
      seen.set(line.item, n + 1);
      const previous = stops.length > first ? stops[stops.length - 1] : undefined;
      if (previous) previous.lastRow = start + j - 1;
      stops.push({ id: `${block.serviceId}\u0000${line.item}\u0000${n}`, serviceId: block.serviceId, item: line.item, column, row: start + j, lastRow: start + j });
    });
    const last = stops.length > first ? stops[stops.length - 1] : undefined;
    if (last) last.lastRow = col.length - 1;
  });
  return { columns, stops, rows: Math.max(0, ...columns.map((c) => c.length)) };
}
