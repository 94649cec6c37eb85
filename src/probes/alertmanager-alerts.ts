// What baton makes of Alertmanager's and Prometheus's alerts: one list
// (Alertmanager's view first: it knows silences and inhibitions; Prometheus
// adds pending alerts and firing ones Alertmanager has not got), ordered
// worst first; the notices for the status strip; the events when an alert
// starts firing or resolves; the inventory host an alert names. Pure.
import type { HostSpec } from '../inventory/types.js';
import type { ExternalAlert } from './alertmanager-json.js';
import type { AlertsSnapshot } from './alertmanager.js';
import type { Severity } from './severity.js';

export interface AlertNotice {
  severity: Severity;
  message: string;
  brief?: string;
  /** The alert's labels, for the caller to find the inventory host it names (alertHostId). */
  labels?: Record<string, string>;
}

/** An alert's identity across sources and polls: its label set. */
export function alertKey(alert: Pick<ExternalAlert, 'labels'>): string {
  return JSON.stringify(Object.entries(alert.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const STATE_RANK: Record<ExternalAlert['state'], number> = { firing: 0, inhibited: 1, silenced: 2, pending: 3 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, page: 0, error: 1, warning: 2, warn: 2, info: 3, none: 4 };
const severityRank = (s: string) => SEVERITY_RANK[s.toLowerCase()] ?? 3;

/** Worst first: firing before suppressed before pending, then severity, name, oldest. */
export function compareAlerts(a: ExternalAlert, b: ExternalAlert): number {
  return (
    STATE_RANK[a.state] - STATE_RANK[b.state] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    a.name.localeCompare(b.name) ||
    a.startsAt.localeCompare(b.startsAt)
  );
}

/** Every alert the readings hold, each label set once, worst first. */
export function mergeAlerts(snapshots: readonly AlertsSnapshot[]): ExternalAlert[] {
  const byKey = new Map<string, ExternalAlert>();
  for (const s of snapshots) for (const a of s.alertmanager?.alerts ?? []) byKey.set(alertKey(a), a);
  for (const s of snapshots) {
    for (const a of s.prometheus?.alerts ?? []) {
      const key = alertKey(a);
      if (!byKey.has(key)) byKey.set(key, a);
    }
  }
  return [...byKey.values()].sort(compareAlerts);
}

/** The baton severity of an alert's `severity` label. */
export function alertSeverity(alert: Pick<ExternalAlert, 'severity'>): Severity {
  const rank = severityRank(alert.severity);
  return rank <= 1 ? 'crit' : rank === 2 ? 'warn' : 'info';
}

/** Labels that name the machine an alert is about, most specific first: `instance` is often the exporter's, not the subject's. */
const HOST_LABELS = ['host', 'hostname', 'nodename', 'node', 'server', 'instance'];

/** The address or name in a label value: `10.0.0.5:9100` and `[::1]:9100` lose the port. */
function hostOf(value: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1]!;
  return /^[^:]+:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}

/** The inventory host an alert is about (by name, address or short name), if exactly one matches. */
export function alertHostId(alert: Pick<ExternalAlert, 'labels'>, hosts: readonly HostSpec[]): string | undefined {
  const short = (s: string) => s.split('.')[0];
  for (const label of HOST_LABELS) {
    const value = alert.labels[label];
    if (!value) continue;
    const name = hostOf(value);
    const found = hosts.filter((h) => h.id === name || h.address === name || short(h.id) === name || (!/^[\d.]+$/.test(name) && short(h.address) === name));
    if (found.length === 1) return found[0]!.id;
  }
  return undefined;
}

/** The label value the notice names as its subject, for the caller's host resolution. */
export function alertSubject(alert: Pick<ExternalAlert, 'labels'>): string | undefined {
  for (const label of HOST_LABELS) if (alert.labels[label]) return alert.labels[label];
  return undefined;
}

const describe = (a: ExternalAlert) => {
  const subject = alertSubject(a);
  const summary = a.annotations.summary;
  return `${a.name}${a.severity ? ` (${a.severity})` : ''}${subject ? ` on ${subject}` : ''}${summary ? `: ${summary}` : ''}`;
};

/** The strip's notices: each alert firing unsilenced, and an API that did not answer. */
export function alertsNotices(snapshot: AlertsSnapshot): AlertNotice[] {
  const unread = [snapshot.alertmanager, snapshot.prometheus].flatMap((r) => (r?.error ? [{ severity: 'warn' as const, message: `${r.url}: ${r.error}` }] : []));
  const firing = mergeAlerts([snapshot])
    .filter((a) => a.state === 'firing')
    .map((a) => ({ severity: alertSeverity(a), message: `${a.source} alert ${describe(a)}`, brief: a.name, labels: a.labels }));
  return [...unread, ...firing];
}

/** An alert starts firing (any state but pending counts), or resolves (gone, or back to pending). */
export function alertsEvents(previous: AlertsSnapshot | undefined, current: AlertsSnapshot): AlertNotice[] {
  const active = (s: AlertsSnapshot | undefined) => new Map(mergeAlerts(s ? [s] : []).filter((a) => a.state !== 'pending').map((a) => [alertKey(a), a]));
  const [was, is] = [active(previous), active(current)];
  // A reading that failed is not news that alerts resolved.
  const readable = (s: AlertsSnapshot | undefined) => Boolean(s && [s.alertmanager, s.prometheus].some((r) => r && !r.error));
  const notices: AlertNotice[] = [];
  for (const [key, a] of is) {
    if (!was.has(key)) notices.push({ severity: alertSeverity(a), message: `alert starts firing: ${describe(a)}${a.state === 'firing' ? '' : ` [${a.state}]`}`, labels: a.labels });
  }
  if (!readable(current)) return notices;
  for (const [key, a] of was) {
    if (!is.has(key)) notices.push({ severity: 'info', message: `alert resolved: ${describe(a)}`, labels: a.labels });
  }
  return notices;
}
