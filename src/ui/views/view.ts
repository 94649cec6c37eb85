// A view is data: rows of panes with weights, and per table pane the columns
// to show in order. See views/*.yaml and the README for the format.
import { z } from 'zod';
import { PANE_COLUMNS, PANE_KINDS } from './pane-kinds.js';

const Pane = z
  .object({
    pane: z.enum(PANE_KINDS),
    weight: z.number().positive().default(1),
    title: z.string().optional(),
    columns: z.array(z.string()).min(1).optional(),
    /** Initial sort column; prefix with - for descending. */
    sort: z.string().optional(),
  })
  .strict()
  .superRefine((pane, ctx) => {
    const known = PANE_COLUMNS[pane.pane];
    const check = (column: string, path: (string | number)[]) => {
      if (!known) ctx.addIssue({ code: 'custom', path, message: `the ${pane.pane} pane has no columns` });
      else if (!known.includes(column)) ctx.addIssue({ code: 'custom', path, message: `unknown column "${column}" (known: ${known.join(', ')})` });
    };
    pane.columns?.forEach((c, i) => check(c, ['columns', i]));
    if (pane.sort !== undefined) check(pane.sort.replace(/^-/, ''), ['sort']);
  });

const Row = z
  .object({
    weight: z.number().positive().default(1),
    panes: z.array(Pane).min(1),
  })
  .strict();

export const ViewFile = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
    title: z.string().optional(),
    /** Position for the number keys (1 = first). */
    order: z.number().int().optional(),
    rows: z.array(Row).min(1),
  })
  .strict();

export type PaneSpec = z.output<typeof Pane>;
export type RowSpec = z.output<typeof Row>;

export interface ViewDef {
  name: string;
  title: string;
  order?: number;
  rows: RowSpec[];
  file?: string;
}

export const DEFAULT_VIEW_NAME = 'overview';

/** Used when views/overview.yaml is missing or broken. */
export const FALLBACK_VIEW: ViewDef = {
  name: DEFAULT_VIEW_NAME,
  title: 'Overview',
  order: 1,
  rows: [
    { weight: 3, panes: [{ pane: 'hosts', weight: 3 }, { pane: 'cluster-load', weight: 2 }] },
    { weight: 2, panes: [{ pane: 'events', weight: 1 }] },
  ],
};
