// Every alert in one list, for the Alerts pane, the host badges and
// `--once --json`: Alertmanager's and Prometheus's (from the `alerts`
// services' readings, each label set once) beside baton's own (a host not
// up, a check or device down, every other service's notices), each marked
// by its source. Pure.
import { alertHostId, alertKey, compareAlerts } from '../probes/alertmanager-alerts.js';
import type { AlertSource, AlertState, ExternalAlert } from '../probes/alertmanager-json.js';
import type { AlertsSnapshot } from '../probes/alertmanager.js';
import type { AvailabilitySummary } from '../probes/availability.js';
import { serviceId, type ServiceState } from './services.js';
import type { BatonState } from './types.js';

export interface AlertRow {
  source: AlertSource | 'baton';
  name: string;
  /** The `severity` label; baton's own say crit, warn or info. */
  severity: string;
  state: AlertState;
  /** ISO time; null when baton cannot know when it began (a service's notice). */
  startsAt: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The inventory host it is about, when one matches. */
  hostId?: string;
  /** The service whose reading holds it (Enter opens its detail). */
  serviceId?: string;
  /** Unique in the list. */
  id: string;
  silencedBy: string[];
}

/** Alertmanager's and Prometheus's alerts across every `alerts` service: Alertmanager's view of a label set wins. */
function externalRows(services: readonly ServiceState[], state: Pick<BatonState, 'inventory'>): AlertRow[] {
  const byKey = new Map<string, { alert: ExternalAlert; service: ServiceState }>();
  for (const service of services) {
    const snap = service.snapshot as AlertsSnapshot | undefined;
    for (const alert of [...(snap?.alertmanager?.alerts ?? []), ...(snap?.prometheus?.alerts ?? [])]) {
      const key = alertKey(alert);
      const had = byKey.get(key);
      if (!had || (had.alert.source === 'prometheus' && alert.source === 'alertmanager')) byKey.set(key, { alert, service });
    }
  }
  return [...byKey.values()]
    .sort((a, b) => compareAlerts(a.alert, b.alert))
    .map(({ alert, service }) => {
      const hostId = alertHostId(alert, state.inventory.hosts);
      return {
        source: alert.source,
        name: alert.name,
        severity: alert.severity,
        state: alert.state,
        startsAt: alert.startsAt || null,
        labels: alert.labels,
        annotations: alert.annotations,
        ...(hostId ? { hostId } : {}),
        serviceId: serviceId(service.kind, service.key),
        id: `${alert.source}\u0000${alertKey(alert)}`,
        silencedBy: alert.silencedBy,
      };
    });
}

const iso = (t: number) => new Date(t).toISOString();

function batonRow(name: string, severity: string, startsAt: string | null, summary: string, labels: Record<string, string>, extra: Partial<AlertRow>): AlertRow {
  return { source: 'baton', name, severity, state: 'firing', startsAt, labels, annotations: { summary }, id: `baton\u0000${name}\u0000${JSON.stringify(labels)}\u0000${summary}`, silencedBy: [], ...extra };
}

const down = (summary: AvailabilitySummary | undefined, error: unknown) => summary !== undefined && !summary.up && !error;

/** baton's own: hosts not up, checks and devices down, the services' notices (the `alerts` services' are the rows above). */
function batonRows(state: Pick<BatonState, 'hosts' | 'order' | 'services' | 'watches'>): AlertRow[] {
  const rows: AlertRow[] = [];
  for (const id of state.order) {
    const h = state.hosts[id];
    if (!h || h.conn === 'up' || h.conn === 'connecting') continue;
    rows.push(batonRow(`host ${h.conn}`, 'crit', iso(h.stateSince), `${id}: ${h.lastError?.message ?? h.conn}`, { host: id }, { hostId: id }));
  }
  for (const w of Object.values(state.watches)) {
    if (!down(w.summary, w.error)) continue;
    const what = w.kind === 'check' ? 'check failing' : 'device unreachable';
    rows.push(batonRow(what, 'crit', iso(w.summary!.since), `${w.name}: ${w.summary!.lastFailure?.reason ?? 'down'}`, { [w.kind]: w.name }, {}));
  }
  for (const s of Object.values(state.services)) {
    if (s.kind === 'alerts') continue;
    for (const n of s.alerts) {
      rows.push(batonRow(`${s.kind} ${s.key}`, n.severity, null, n.message, { service: s.kind, key: s.key }, { ...(n.hostId ? { hostId: n.hostId } : {}), serviceId: serviceId(s.kind, s.key) }));
    }
  }
  return rows;
}

/** Every alert, worst first within each source: baton's own, then the Prometheus ecosystem's. */
export function alertRows(state: Pick<BatonState, 'inventory' | 'hosts' | 'order' | 'services' | 'watches'>): AlertRow[] {
  const services = Object.values(state.services).filter((s) => s.kind === 'alerts');
  const rank: Record<string, number> = { crit: 0, warn: 1, info: 2 };
  const own = batonRows(state).sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3));
  return [...externalRows(services, state), ...own];
}

/** Alertmanager's and Prometheus's alerts firing (unsilenced) per inventory host, for the host rows' badge. */
export function firingByHost(state: Pick<BatonState, 'inventory' | 'services'>): Map<string, number> {
  const counts = new Map<string, number>();
  const services = Object.values(state.services).filter((s) => s.kind === 'alerts');
  for (const r of externalRows(services, state)) if (r.hostId && r.state === 'firing') counts.set(r.hostId, (counts.get(r.hostId) ?? 0) + 1);
  return counts;
}
