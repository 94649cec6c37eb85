import { expect, test } from 'vitest';
import { keyName } from '../../src/ui/keymap/keymap.js';
import { nextSort, parseSortSpec, sortRows } from '../../src/ui/sort-rows.js';
import { fitColumns, type ColumnDef } from '../../src/ui/widgets/table.js';
import type { Key } from 'ink';

const col = (id: string, width: number, maxWidth?: number): ColumnDef<string, null> => ({ id, title: id, width, maxWidth, cell: (s) => ({ text: s }) });

test('columns are kept in order while they fit; spare room goes to growable ones', () => {
  const fitted = fitColumns([col('a', 5), col('b', 10, 20), col('c', 5), col('d', 30)], 30);
  expect(fitted.map((c) => [c.id, c.fitted])).toEqual([
    ['a', 5],
    ['b', 18],
    ['c', 5],
  ]);
  expect(fitColumns([col('a', 50)], 10)).toEqual([]);
});

test('sorting puts missing values last both ways and keeps ties in order', () => {
  const rows = [{ v: 2 }, { v: null }, { v: 10 }, { v: 2 }];
  const key = (r: { v: number | null }) => r.v;
  expect(sortRows(rows, key, null, false).map((r) => r.v)).toEqual([2, 2, 10, null]);
  expect(sortRows(rows, key, null, true).map((r) => r.v)).toEqual([10, 2, 2, null]);
  expect(sortRows(rows, key, null, true)[1]).toBe(rows[0]);
  const names = ['web10', 'web9', 'Web1'].map((n) => ({ n }));
  expect(sortRows(names, (r) => r.n, null, false).map((r) => r.n)).toEqual(['Web1', 'web9', 'web10']);
});

test('s cycles through the columns and back to inventory order', () => {
  const cols = [{ id: 'state', descByDefault: true }, { id: 'host' }];
  expect(nextSort(cols, undefined)).toEqual({ column: 'state', desc: true });
  expect(nextSort(cols, { column: 'state', desc: true })).toEqual({ column: 'host', desc: false });
  expect(nextSort(cols, { column: 'host', desc: false })).toBeUndefined();
  expect(parseSortSpec('-state', cols)).toEqual({ column: 'state', desc: true });
  expect(parseSortSpec('nope', cols)).toBeUndefined();
});

test('key names as written in keys.yaml', () => {
  const k = (over: Partial<Key>): Key => ({ upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false, ...over });
  expect(keyName('', k({ downArrow: true }))).toBe('down');
  expect(keyName('', k({ tab: true, shift: true }))).toBe('shift+tab');
  expect(keyName('c', k({ ctrl: true }))).toBe('ctrl+c');
  expect(keyName(' ', k({}))).toBe('space');
  expect(keyName('G', k({ shift: true }))).toBe('G');
});
