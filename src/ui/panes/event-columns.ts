// Columns and filter fields of the events timeline.
import type { BatonEvent } from '../../store/types.js';
import type { FilterSpec } from '../filter.js';
import { formatClock } from '../format.js';
import type { Token } from '../theme/theme.js';
import type { EventColumnId } from '../views/pane-kinds.js';
import type { ColumnDef } from '../widgets/table.js';

export type EventColumn = ColumnDef<BatonEvent, null>;

const SEVERITY_TOKEN: Record<BatonEvent['severity'], Token> = { info: 'text', warn: 'warn', crit: 'crit' };
const SEVERITY_RANK: Record<BatonEvent['severity'], number> = { info: 0, warn: 1, crit: 2 };

export const EVENT_COLUMN_DEFS: Record<EventColumnId, EventColumn> = {
  time: { id: 'time', title: 'TIME', width: 8, cell: (e) => ({ text: formatClock(e.at), token: 'muted' }), sort: (e) => e.at, descByDefault: true },
  severity: {
    id: 'severity',
    title: 'SEV',
    width: 4,
    cell: (e) => ({ text: e.severity, token: SEVERITY_TOKEN[e.severity] }),
    sort: (e) => SEVERITY_RANK[e.severity],
    descByDefault: true,
  },
  host: { id: 'host', title: 'HOST', width: 10, maxWidth: 20, cell: (e) => ({ text: e.hostId ?? '' }), sort: (e) => e.hostId ?? null },
  source: { id: 'source', title: 'SOURCE', width: 6, cell: (e) => ({ text: e.source, token: 'muted' }), sort: (e) => e.source },
  message: {
    id: 'message',
    title: 'MESSAGE',
    width: 10,
    maxWidth: Infinity,
    cell: (e) => ({ text: e.message, token: SEVERITY_TOKEN[e.severity] }),
    sort: (e) => e.message,
  },
};

export const EVENT_FILTER: FilterSpec<BatonEvent> = {
  text: (e) => `${e.message} ${e.hostId ?? ''} ${e.source}`,
  fields: {
    severity: (e) => e.severity,
    sev: (e) => e.severity,
    host: (e) => e.hostId,
    source: (e) => e.source,
  },
};
