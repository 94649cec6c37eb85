// Turns a view's rows and columns with weights into pane sizes. Pure, so the
// table and chart panes know their exact size (virtualisation needs it).
import type { PaneSpec, ViewDef } from './views/view.js';

/** Splits `total` cells by weight, largest remainder first; sums exactly to `total`. */
export function splitWeighted(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0 || total <= 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w / sum) * total);
  const sizes = exact.map(Math.floor);
  let left = total - sizes.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    sizes[i]! += 1;
    left--;
  }
  return sizes;
}

export interface PaneRect {
  /** Position in the view's focus order (row-major). */
  index: number;
  pane: PaneSpec;
  width: number;
  height: number;
}

export interface RowRect {
  height: number;
  panes: PaneRect[];
}

export function layoutView(view: ViewDef, width: number, height: number): RowRect[] {
  const heights = splitWeighted(height, view.rows.map((r) => r.weight));
  let index = 0;
  return view.rows.map((row, r) => {
    const widths = splitWeighted(width, row.panes.map((p) => p.weight));
    return {
      height: heights[r]!,
      panes: row.panes.map((pane, c) => ({ index: index++, pane, width: widths[c]!, height: heights[r]! })),
    };
  });
}

/** Panes in focus order (row-major). */
export function viewPanes(view: ViewDef): PaneSpec[] {
  return view.rows.flatMap((r) => r.panes);
}
