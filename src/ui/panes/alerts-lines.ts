// The Alerts pane's lines: alerts grouped by alertname and severity (a
// group line with how many fire), each alert under it with its age, source
// (AM Alertmanager, PROM Prometheus, baton), the inventory host it names
// (else its instance) and its summary; silenced and inhibited ones dimmed,
// pending ones last. Pure.
import { alertKey } from '../../probes/alertmanager-alerts.js';
import type { AlertsSnapshot } from '../../probes/alertmanager.js';
import type { AlertRow } from '../../store/alerts.js';
import { fit, formatAge, MISSING } from '../format.js';
import type { Token } from '../theme/theme.js';
import { itemLine, type Line } from '../widgets/styled-lines.js';
import { itemId } from './service-items.js';

export const SOURCE_TAG: Record<AlertRow['source'], string> = { alertmanager: 'AM', prometheus: 'PROM', baton: 'baton' };

const SEVERITY_RANK: Record<string, number> = { critical: 0, crit: 0, page: 0, error: 1, warning: 2, warn: 2, info: 3 };

function severityToken(severity: string): Token {
  const rank = SEVERITY_RANK[severity.toLowerCase()] ?? 3;
  return rank <= 1 ? 'crit' : rank === 2 ? 'warn' : 'text';
}

/** What an alert's line says of its state: the group's colour while firing, dim when someone already knows. */
function rowToken(r: AlertRow): Token {
  return r.state === 'firing' ? severityToken(r.severity) : 'muted';
}

interface Group {
  name: string;
  severity: string;
  rows: AlertRow[];
}

/** Groups in the order their first alert comes (rows arrive worst first); pending-only groups last. */
export function groupAlerts(rows: readonly AlertRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    const key = `${r.name}\u0000${r.severity}`;
    const g = groups.get(key) ?? { name: r.name, severity: r.severity, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const all = [...groups.values()];
  const pendingOnly = (g: Group) => g.rows.every((r) => r.state === 'pending');
  return [...all.filter((g) => !pendingOnly(g)), ...all.filter(pendingOnly)];
}

/** The host column: the inventory host, else the instance label as the alert gives it. */
const subject = (r: AlertRow): string => r.hostId ?? r.labels.instance ?? r.labels.host ?? '';

function stateWord(rows: readonly AlertRow[]): string {
  const count = (state: AlertRow['state']) => rows.filter((r) => r.state === state).length;
  return (['firing', 'silenced', 'inhibited', 'pending'] as const)
    .map((s) => [s, count(s)] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
}

/** A group line's id: its first alert's, marked (Enter and the keys act on that alert). */
export const GROUP = 'group\u0000';

/** The alert a cursor id stands for: its own row, or a group's first. */
export function rowAt(rows: readonly AlertRow[], id: string | undefined): AlertRow | undefined {
  const own = id?.startsWith(GROUP) ? id.slice(GROUP.length) : id;
  return rows.find((r) => r.id === own);
}

const AGE = 6;
const SOURCE = 6;
const HOST = 14;

/** A group's line: what it says on the left, its severity and states on the right. */
function groupLine(g: Group, left: string, width: number): Line {
  const token = g.rows.some((r) => r.state === 'firing') ? severityToken(g.severity) : 'muted';
  return itemLine(`${GROUP}${g.rows[0]!.id}`, [
    { text: fit(left, Math.max(10, width - 30)), token },
    { text: fit(` ${g.severity || 'no severity'} · ${stateWord(g.rows)}`, Math.min(30, width - Math.max(10, width - 30)), 'right'), token: 'muted' },
  ]);
}

/**
 * The compact form (the incident view): a line per group with an alert
 * firing, naming the hosts that fire it; what is silenced, inhibited or
 * pending in one muted line after them.
 */
export function compactAlertLines(rows: readonly AlertRow[], width: number): Line[] {
  const groups = groupAlerts(rows);
  const firing = groups.filter((g) => g.rows.some((r) => r.state === 'firing'));
  const lines = firing.map((g) => {
    const hosts = [...new Set(g.rows.filter((r) => r.state === 'firing').map(subject).filter((h) => h !== ''))];
    return groupLine(g, `▲ ${g.name || '(no alertname)'}${hosts.length ? ` ${hosts.join(', ')}` : ''}`, width);
  });
  const held = rows.filter((r) => r.state !== 'firing').length;
  if (held > 0 && lines.length === 0) lines.push([{ text: ' ✓ no alert firing', token: 'ok' }]);
  if (held > 0) lines.push([{ text: fit(` + ${stateWord(rows.filter((r) => r.state !== 'firing'))}`, width), token: 'muted' }]);
  return lines;
}

export function alertLines(rows: readonly AlertRow[], now: number, width: number): Line[] {
  const lines: Line[] = [];
  for (const g of groupAlerts(rows)) {
    lines.push(groupLine(g, `▲ ${g.name || '(no alertname)'}`, width));
    for (const r of g.rows) {
      const age = r.startsAt ? formatAge(now - Date.parse(r.startsAt)) : MISSING;
      const state = r.state === 'firing' ? '' : `[${r.state}] `;
      const rest = Math.max(0, width - 2 - AGE - SOURCE - HOST - 3);
      lines.push(
        itemLine(r.id, [
          { text: `  ${fit(age, AGE, 'right')} `, token: 'muted' },
          { text: `${fit(SOURCE_TAG[r.source], SOURCE)} `, token: r.source === 'baton' ? 'focus' : 'muted' },
          { text: `${fit(subject(r), HOST)} `, token: r.hostId ? 'text' : 'muted' },
          { text: fit(`${state}${r.annotations.summary ?? r.annotations.description ?? ''}`, rest), token: rowToken(r) },
        ]),
      );
    }
  }
  return lines;
}

/** The pane title's info: firing now, and what is held back. */
export function alertsInfo(rows: readonly AlertRow[]): string {
  const ext = rows.filter((r) => r.source !== 'baton');
  const firing = ext.filter((r) => r.state === 'firing').length;
  const quiet = ext.filter((r) => r.state === 'silenced' || r.state === 'inhibited').length;
  const own = rows.length - ext.length;
  return `${firing} firing${quiet ? ` · ${quiet} silenced/inhibited` : ''} · baton ${own}`;
}

/** The items Enter on an alerts event opens: each alert, named by its alertname. */
export function alertItems(snapshot: AlertsSnapshot): { item: string; names: string[] }[] {
  return [...(snapshot.alertmanager?.alerts ?? []), ...(snapshot.prometheus?.alerts ?? [])].map((a) => ({ item: itemId('alert', alertKey(a)), names: [a.name] }));
}
