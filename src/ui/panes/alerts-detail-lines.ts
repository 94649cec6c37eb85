// The detail of an Alertmanager or Prometheus alert (Enter in the Alerts
// pane): its state, since when, every label and annotation, where it was
// generated, the silences that hold it; the service as a whole lists the
// APIs it read, the silences and the alerting rules. Pure.
import { alertKey, mergeAlerts } from '../../probes/alertmanager-alerts.js';
import type { ExternalAlert, Silence } from '../../probes/alertmanager-json.js';
import type { AlertsSnapshot } from '../../probes/alertmanager.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, type KindDetail } from './detail-lines.js';
import { parseItem } from './service-items.js';
import type { ServiceLocks } from './lock-lines.js';

const matchers = (s: Silence) => s.matchers.map((m) => `${m.name}${m.isEqual ? '' : '!'}${m.isRegex ? '=~' : '='}"${m.value}"`).join(', ');

function silenceLine(s: Silence): Line {
  return fact(s.state, { text: `${s.id.slice(0, 8)} ${matchers(s)}`, token: s.state === 'active' ? 'text' : 'muted' }, { text: ` until ${s.endsAt} · ${s.createdBy}: ${s.comment}`, token: 'muted' });
}

function alertDetailLines(a: ExternalAlert, silences: readonly Silence[]): Line[] {
  const held = silences.filter((s) => a.silencedBy.includes(s.id));
  return [
    fact('source', { text: a.source === 'alertmanager' ? 'Alertmanager' : 'Prometheus' }),
    fact('state', { text: a.state, token: a.state === 'firing' ? 'crit' : 'muted' }),
    fact('since', { text: a.startsAt || '–', token: 'muted' }),
    ...(a.generatorURL ? [fact('generator', { text: a.generatorURL, token: 'muted' })] : []),
    ...(a.inhibitedBy.length ? [fact('inhibited', { text: `by ${a.inhibitedBy.join(', ')}`, token: 'muted' })] : []),
    heading('LABELS'),
    ...Object.entries(a.labels).map(([k, v]) => fact(k, { text: v })),
    heading('ANNOTATIONS'),
    ...(Object.keys(a.annotations).length ? Object.entries(a.annotations).map(([k, v]) => fact(k, { text: v })) : [fact('none', { text: '' })]),
    ...(held.length ? [heading('SILENCED BY'), ...held.map(silenceLine)] : []),
  ];
}

function serviceLines(s: AlertsSnapshot): Line[] {
  const lines: Line[] = [];
  for (const [name, r] of [['Alertmanager', s.alertmanager], ['Prometheus', s.prometheus]] as const) {
    if (r) lines.push(fact(name, { text: r.url }, { text: r.error ? ` · ${r.error}` : ` · ${r.alerts.length} alerts`, token: r.error ? 'warn' : 'muted' }));
  }
  const silences = s.alertmanager?.silences ?? [];
  lines.push(heading('SILENCES'), ...(silences.length ? silences.map(silenceLine) : [fact('none', { text: '' })]));
  const rules = s.prometheus?.rules ?? [];
  if (rules.length) {
    lines.push(heading('ALERTING RULES'));
    for (const r of rules) lines.push(fact(r.state, { text: r.name, token: r.state === 'firing' ? 'crit' : r.state === 'pending' ? 'warn' : 'muted' }, { text: ` ${r.group} · for ${r.forSeconds}s · ${r.health}${r.lastError ? `: ${r.lastError}` : ''}`, token: 'muted' }));
  }
  return lines;
}

export function alertsDetail(snapshot: unknown, item: string, _locks?: ServiceLocks): KindDetail {
  const s = snapshot as AlertsSnapshot;
  const parsed = parseItem(item);
  if (parsed?.type !== 'alert') return { title: 'alerts', lines: serviceLines(s) };
  const alert = mergeAlerts([s]).find((a) => alertKey(a) === parsed.name);
  if (!alert) return { title: 'alert resolved', lines: [fact('alert', { text: 'no longer reported: it resolved', token: 'ok' })], subject: parsed.name };
  return { title: `${alert.name} (${alert.severity || 'no severity'})`, lines: alertDetailLines(alert, s.alertmanager?.silences ?? []), subject: alert.name };
}
