// Short, fixed-width friendly renderings of numbers for table cells.
import { visibleText } from './visible-text.js';

export const MISSING = '–';

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return `${Math.round(value)}%`;
}

export function formatLoad(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toString();
}

const UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** A per-second rate: one decimal below 10, whole numbers above. */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return value < 10 ? value.toFixed(1) : Math.round(value).toString();
}

export function formatBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value) || value < 0) return MISSING;
  let v = value;
  let unit = 0;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  const digits = unit === 0 || v >= 10 ? 0 : 1;
  return `${v.toFixed(digits)}${UNITS[unit]}`;
}

/** Two most significant units: 3d4h, 5h12m, 42m, 7s. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

export function formatAge(ms: number): string {
  return formatDuration(Math.max(0, ms) / 1000);
}

const pad2 = (n: number): string => n.toString().padStart(2, '0');

export function formatClock(at: number): string {
  const d = new Date(at);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * Cuts to `width` columns with an ellipsis; pads when `pad` is set. Measures
 * the text as drawn: control characters take the room of their visible form.
 */
export function fit(raw: string, width: number, align: 'left' | 'right' = 'left', pad = true): string {
  if (width <= 0) return '';
  const text = visibleText(raw);
  const cut = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
  if (!pad) return cut;
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

/**
 * `raw` as drawn (see visibleText) in rows of at most `width` columns,
 * broken at spaces; a word longer than a row is cut across rows. Leading
 * spaces stay on the first row, so an indented command keeps its indent.
 */
export function wrapWords(raw: string, width: number): string[] {
  const text = visibleText(raw);
  if (width <= 0 || text.length <= width) return [text];
  const rows: string[] = [];
  const indent = /^ */.exec(text)![0];
  let row = indent.length < width ? indent : '';
  for (let word of text.slice(indent.length).split(/ +/)) {
    if (word === '') continue;
    const sep = row.trim() === '' ? '' : ' ';
    if (row.length + sep.length + word.length <= width) {
      row += sep + word;
      continue;
    }
    if (row.trim() !== '') {
      rows.push(row);
      row = '';
    }
    while (row.length + word.length > width) {
      const take = width - row.length;
      rows.push(row + word.slice(0, take));
      word = word.slice(take);
      row = '';
    }
    row += word;
  }
  if (row.trim() !== '' || rows.length === 0) rows.push(row);
  return rows;
}
