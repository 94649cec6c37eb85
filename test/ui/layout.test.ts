import fc from 'fast-check';
import { expect, test } from 'vitest';
import { layoutView, splitWeighted, viewPanes } from '../../src/ui/layout.js';
import { FALLBACK_VIEW } from '../../src/ui/views/view.js';

test('weights split cells exactly', () => {
  expect(splitWeighted(10, [1, 1])).toEqual([5, 5]);
  expect(splitWeighted(10, [3, 2])).toEqual([6, 4]);
  expect(splitWeighted(10, [1, 1, 1])).toEqual([4, 3, 3]);
  expect(splitWeighted(0, [1, 2])).toEqual([0, 0]);
});

test('property: sizes sum to the total and follow the weights within one cell', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 500 }), fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 8 }), (total, weights) => {
      const sizes = splitWeighted(total, weights);
      const sum = weights.reduce((a, b) => a + b, 0);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(total);
      sizes.forEach((s, i) => expect(Math.abs(s - (weights[i]! / sum) * total)).toBeLessThan(1));
    }),
  );
});

test('a view lays out rows, then panes in each row, in focus order', () => {
  const rows = layoutView(FALLBACK_VIEW, 80, 21);
  expect(rows.map((r) => r.height)).toEqual([13, 8]);
  expect(rows[0]!.panes.map((p) => [p.pane.pane, p.width, p.index])).toEqual([
    ['hosts', 48, 0],
    ['cluster-load', 32, 1],
  ]);
  expect(rows[1]!.panes.map((p) => [p.pane.pane, p.width, p.index])).toEqual([['events', 80, 2]]);
  expect(viewPanes(FALLBACK_VIEW).map((p) => p.pane)).toEqual(['hosts', 'cluster-load', 'events']);
});
