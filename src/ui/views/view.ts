// A view is data: rows of panes with weights, and per table pane the columns
// to show in order. See views/*.yaml and the README for the format.
import { z } from 'zod';
import { PANE_COLUMNS, PANE_KINDS, PANE_SERVICES, type PaneKind } from './pane-kinds.js';

/** Service panes have a compact form: each service's header and alerts only (sync: its sets' lines; alerts: a line per alertname). */
const COMPACT_PANES: readonly PaneKind[] = ['pacemaker', 'haproxy', 'etcd', 'nginx', 'queues', 'databases', 'alerts', 'sync'];
/** Panes that take a fixed filter, ANDed with the operator's `/` filter. */
const FILTER_PANES: readonly PaneKind[] = ['events'];

const Pane = z
  .object({
    pane: z.enum(PANE_KINDS),
    weight: z.number().positive().default(1),
    title: z.string().optional(),
    columns: z.array(z.string()).min(1).optional(),
    /** Initial sort column; prefix with - for descending. */
    sort: z.string().optional(),
    compact: z.boolean().optional(),
    /** Shown only when the inventory declares what the pane draws (configured-views.ts). */
    ifConfigured: z.boolean().optional(),
    /** A fixed filter (the `/` language), e.g. `!severity=info` for warnings and worse. */
    filter: z.string().optional(),
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
    if (pane.compact !== undefined && !COMPACT_PANES.includes(pane.pane)) {
      ctx.addIssue({ code: 'custom', path: ['compact'], message: `the ${pane.pane} pane has no compact form (panes that do: ${COMPACT_PANES.join(', ')})` });
    }
    if (pane.ifConfigured !== undefined && !PANE_SERVICES[pane.pane]) {
      const which = Object.keys(PANE_SERVICES).join(', ');
      ctx.addIssue({ code: 'custom', path: ['ifConfigured'], message: `the ${pane.pane} pane is always configured (panes that may not be: ${which})` });
    }
    if (pane.filter !== undefined && !FILTER_PANES.includes(pane.pane)) {
      ctx.addIssue({ code: 'custom', path: ['filter'], message: `the ${pane.pane} pane takes no filter (panes that do: ${FILTER_PANES.join(', ')})` });
    }
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
    /** A one-line status strip of the services above the panes (their jump keys with it). */
    strip: z.boolean().optional(),
    rows: z.array(Row).min(1),
  })
  .strict();

export type PaneSpec = z.output<typeof Pane>;
export type RowSpec = z.output<typeof Row>;

export interface ViewDef {
  name: string;
  title: string;
  order?: number;
  strip?: boolean;
  rows: RowSpec[];
  file?: string;
}

export const DEFAULT_VIEW_NAME = 'overview';
/** The default instead of DEFAULT_VIEW_NAME on a terminal at least INCIDENT_MIN_SIZE: room for every pane at once. */
export const INCIDENT_VIEW_NAME = 'incident';
export const INCIDENT_MIN_SIZE = { columns: 160, rows: 45 } as const;

/** The view to start in when neither --view nor the config file names one. */
export function defaultViewName(views: readonly ViewDef[], size: { columns: number; rows: number }): string {
  const roomy = size.columns >= INCIDENT_MIN_SIZE.columns && size.rows >= INCIDENT_MIN_SIZE.rows;
  return roomy && views.some((v) => v.name === INCIDENT_VIEW_NAME) ? INCIDENT_VIEW_NAME : DEFAULT_VIEW_NAME;
}

/** Used when views/overview.yaml is missing or broken. */
export const FALLBACK_VIEW: ViewDef = {
  name: DEFAULT_VIEW_NAME,
  title: 'Overview',
  order: 1,
  strip: true,
  rows: [
    { weight: 3, panes: [{ pane: 'hosts', weight: 3 }, { pane: 'cluster-load', weight: 2 }] },
    { weight: 2, panes: [{ pane: 'events', weight: 1 }] },
  ],
};
