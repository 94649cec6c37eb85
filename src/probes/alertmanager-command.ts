// The alerts probe's remote command: curl on the host reads Alertmanager's
// API v2 (alerts, active, silenced and inhibited alike; silences) and
// Prometheus's API v1 (alerts, pending ones too; rules), whichever roles the
// host has. Each read is a section framed with its stderr and exit code
// (probe-output.ts); the JSON answers are one line each, so no body line can
// pass for a marker. Every URL is shell-quoted.
import { quote } from 'shell-quote';
import type { AlertmanagerRole, PrometheusRole } from '../inventory/types.js';
import { MARK } from './probe-output.js';

export const DEFAULT_ALERTMANAGER_URL = 'http://127.0.0.1:9093';
export const DEFAULT_PROMETHEUS_URL = 'http://127.0.0.1:9090';

/** A refused port answers at once; a hung server costs at most this much per read. */
export const ALERTS_CONNECT_SECONDS = 2;
export const ALERTS_MAX_SECONDS = 4;

export const ALERTS_SECTIONS = ['am-alerts', 'am-silences', 'prom-alerts', 'prom-rules'] as const;
export type AlertsSectionName = (typeof ALERTS_SECTIONS)[number];

const PATHS: Record<AlertsSectionName, string> = {
  'am-alerts': '/api/v2/alerts',
  'am-silences': '/api/v2/silences',
  'prom-alerts': '/api/v1/alerts',
  'prom-rules': '/api/v1/rules?type=alert',
};

/** The API base without a trailing slash, so `base + path` never doubles it. */
export const apiBase = (url: string): string => url.replace(/\/+$/, '');

/** curl's common flags: errors on stdout's neighbour (stderr), HTTP errors as exit 22, no proxy for loopback APIs. */
export const CURL_FLAGS = ['-sS', '-f', '--noproxy', '*', '--connect-timeout', String(ALERTS_CONNECT_SECONDS), '--max-time', String(ALERTS_MAX_SECONDS)];

export interface AlertsProbeTarget {
  alertmanager?: AlertmanagerRole;
  prometheus?: PrometheusRole;
}

function reads(target: AlertsProbeTarget): [AlertsSectionName, string][] {
  const am = target.alertmanager && apiBase(target.alertmanager.url ?? DEFAULT_ALERTMANAGER_URL);
  const prom = target.prometheus && apiBase(target.prometheus.url ?? DEFAULT_PROMETHEUS_URL);
  return ALERTS_SECTIONS.flatMap((name): [AlertsSectionName, string][] => {
    const base = name.startsWith('am-') ? am : prom;
    return base ? [[name, `${base}${PATHS[name]}`]] : [];
  });
}

/** The remote command for one host; prints `@@baton:endpoint SECTION URL` lines, then the sections. */
export function alertsProbeCommand(target: AlertsProbeTarget): string {
  const list = reads(target);
  return [
    ...list.map(([name, url]) => `printf '%s\\n' ${quote([`${MARK}endpoint ${name} ${url}`])}`),
    'if ! command -v curl >/dev/null 2>&1; then',
    `  echo '${MARK}none'; exit 0`,
    'fi',
    'bt_e=$(mktemp) || exit 1',
    'bt_get() {',
    `  printf '%s\\n' "${MARK}$1"`,
    `  curl ${quote(CURL_FLAGS)} "$2" 2>"$bt_e"; bt_rc=$?`,
    `  printf '\\n${MARK}stderr\\n'; cat "$bt_e"; printf '${MARK}exit %s\\n' "$bt_rc"`,
    '}',
    ...list.map(([name, url]) => `bt_get ${name} ${quote([url])}`),
    'rm -f "$bt_e"',
  ].join('\n');
}
