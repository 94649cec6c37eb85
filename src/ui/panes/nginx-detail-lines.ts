// The NGINX detail: the stub_status URL asked, connections now, the raw
// counters since nginx started, and the rates between the last two polls.
// The URL comes from the inventory, so it shows even before any answer. Pure.
import type { Inventory } from '../../inventory/types.js';
import type { NginxServiceSnapshot } from '../../monitor/service-plan.js';
import { DEFAULT_ACTIVE_THRESHOLD } from '../../probes/nginx-alerts.js';
import { DEFAULT_STATUS_URL } from '../../probes/nginx.js';
import { formatClock, formatRate } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, type KindDetail } from './detail-lines.js';
import { activeToken, droppedToken } from './nginx-lines.js';

export interface StatusUrl {
  url: string;
  /** The inventory names none: the probe asks its default. */
  isDefault: boolean;
}

/** The stub_status URL the probe asks on this host. */
export function nginxStatusUrl(inventory: Inventory, hostId: string): StatusUrl {
  const url = inventory.hosts.find((h) => h.id === hostId)?.roles.nginx?.statusUrl;
  return url === undefined ? { url: DEFAULT_STATUS_URL, isDefault: true } : { url, isDefault: false };
}

const rateText = (v: number | null): string => (v === null ? '– (needs two polls in a row without an nginx restart)' : `${formatRate(v)}/s`);

function figureLines(s: NginxServiceSnapshot): Line[] {
  const { rates } = s;
  return [
    heading('CONNECTIONS'),
    fact('active', { text: String(s.active), token: activeToken(s.active) }, { text: ` (alert over ${DEFAULT_ACTIVE_THRESHOLD})`, token: 'muted' }),
    fact('reading', { text: String(s.reading) }, { text: ' reading a request header', token: 'muted' }),
    fact('writing', { text: String(s.writing) }, { text: ' writing a response', token: 'muted' }),
    fact('waiting', { text: String(s.waiting) }, { text: ' idle keep-alive', token: 'muted' }),
    heading('COUNTERS since nginx started'),
    fact('accepts', { text: String(s.accepts) }),
    fact('handled', { text: String(s.handled) }),
    fact('requests', { text: String(s.requests) }),
    fact('dropped', { text: String(rates.dropped), token: droppedToken(rates.dropped) }, { text: ` accepts - handled${rates.dropped > 0 ? ': worker_connections or another limit ran out' : ''}`, token: 'muted' }),
    heading('RATES between the last two polls'),
    fact('requests', { text: rateText(rates.requestsPerSec), token: rates.requestsPerSec === null ? 'muted' : 'text' }),
    fact('accepts', { text: rateText(rates.acceptsPerSec), token: rates.acceptsPerSec === null ? 'muted' : 'text' }),
    fact('sampled', { text: formatClock(s.takenAt), token: 'muted' }),
  ];
}

export function nginxDetail(snapshot: unknown, statusUrl: StatusUrl): KindDetail {
  const url = fact('status URL', { text: statusUrl.url }, { text: statusUrl.isDefault ? ' (the default: the inventory names none)' : '', token: 'muted' });
  if (snapshot === undefined) return { title: 'no data yet', lines: [url] };
  return { title: 'stub_status', lines: [url, ...figureLines(snapshot as NginxServiceSnapshot)] };
}
