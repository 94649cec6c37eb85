// The alerts probe's parser: the sections alertmanager-command.ts prints
// become what Alertmanager and Prometheus said, each API apart (one may
// answer while the other does not). Pure; never throws: output that makes
// no sense is a parse error with the raw snippet.
import { ALERTS_SECTIONS, type AlertsSectionName } from './alertmanager-command.js';
import { parseAlertmanagerAlerts, parseSilences, type ExternalAlert, type JsonParse, type Silence } from './alertmanager-json.js';
import { MARK, RAW_LIMIT, splitCommandSections, type CommandSection } from './probe-output.js';
import { parsePrometheusAlerts, parsePrometheusRules, type AlertRule } from './prometheus-json.js';

export interface AlertmanagerReading {
  url: string;
  alerts: ExternalAlert[];
  silences: Silence[];
  /** Why the alerts or silences could not be read; the lists are then empty. */
  error?: string;
}

export interface PrometheusReading {
  url: string;
  alerts: ExternalAlert[];
  rules: AlertRule[];
  error?: string;
}

/** What one host's Alertmanager and Prometheus said; a part is absent when the host lacks that role. */
export interface AlertsSnapshot {
  alertmanager?: AlertmanagerReading;
  prometheus?: PrometheusReading;
}

export type AlertsProbeResult = { kind: 'snapshot'; snapshot: AlertsSnapshot } | { kind: 'parse-error'; message: string; raw: string };

/** curl's own message, or its exit code. */
function curlFailure(section: CommandSection): string {
  const line = section.stderr.split('\n').find((l) => l.startsWith('curl:'));
  return line?.replace(/^curl: \(\d+\) /, '') ?? `curl exited ${section.exitCode ?? '(cut off)'}`;
}

function read<T>(sections: Map<AlertsSectionName, CommandSection>, name: AlertsSectionName, parse: (text: string) => JsonParse<T>): JsonParse<T> {
  const section = sections.get(name);
  if (!section || section.exitCode === null) return { ok: false, message: `${name}: no answer (output cut off)` };
  if (section.exitCode !== 0) return { ok: false, message: curlFailure(section) };
  return parse(section.stdout.trim());
}

function part<A, B>(a: JsonParse<A>, b: JsonParse<B>): { values?: [A, B]; error?: string } {
  if (a.ok && b.ok) return { values: [a.value, b.value] };
  return { error: [a, b].flatMap((r) => (r.ok ? [] : [r.message])).filter((m, i, all) => all.indexOf(m) === i).join('; ') };
}

export function parseAlertsProbe(output: string): AlertsProbeResult {
  const urls = new Map<string, string>();
  let noCurl = false;
  const sections = splitCommandSections(output, ALERTS_SECTIONS, {
    onOtherMarker(marker) {
      if (marker === 'none') noCurl = true;
      const m = /^endpoint (\S+) (\S+)$/.exec(marker);
      if (m) urls.set(m[1]!, m[2]!);
    },
  });
  const raw = output.slice(0, RAW_LIMIT);
  if (noCurl) return { kind: 'parse-error', message: 'no curl on the host: install curl to read Alertmanager and Prometheus', raw };
  if (urls.size === 0) return { kind: 'parse-error', message: `alerts: no ${MARK}endpoint lines (is the probe's shell POSIX?)`, raw };
  const snapshot: AlertsSnapshot = {};
  const baseOf = (name: AlertsSectionName) => (urls.get(name) ?? '').replace(/\/api\/v[12]\/.*$/, '');
  if (urls.has('am-alerts')) {
    const p = part(read(sections, 'am-alerts', parseAlertmanagerAlerts), read(sections, 'am-silences', parseSilences));
    snapshot.alertmanager = { url: baseOf('am-alerts'), alerts: p.values?.[0] ?? [], silences: p.values?.[1] ?? [], ...(p.error ? { error: p.error } : {}) };
  }
  if (urls.has('prom-alerts')) {
    const p = part(read(sections, 'prom-alerts', parsePrometheusAlerts), read(sections, 'prom-rules', parsePrometheusRules));
    snapshot.prometheus = { url: baseOf('prom-alerts'), alerts: p.values?.[0] ?? [], rules: p.values?.[1] ?? [], ...(p.error ? { error: p.error } : {}) };
  }
  const parts = [snapshot.alertmanager, snapshot.prometheus].filter((r) => r !== undefined);
  // Nothing answered: not a reading of the alerts, so the pane keeps the last one and says why.
  if (parts.every((r) => r.error !== undefined)) {
    return { kind: 'parse-error', message: parts.map((r) => `${r.url}: ${r.error}`).join('; '), raw };
  }
  return { kind: 'snapshot', snapshot };
}
