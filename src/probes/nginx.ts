// NGINX: the stub_status page, fetched on the host with curl or wget (saying
// which), its pure parser, and the rates derived from two samples: the page
// only has counters since nginx started. The parser never throws.
import { quote } from 'shell-quote';
import type { NginxRole } from '../inventory/types.js';
import { MARK } from './probe-output.js';

const RAW_LIMIT = 300;
/** The location the HA chapter's configuration gives stub_status. */
export const DEFAULT_STATUS_URL = 'http://127.0.0.1/nginx-status';

/** The remote command for one NGINX host; the URL is shell-quoted. */
export function nginxProbeCommand(role: NginxRole): string {
  return [
    `bt_u=${quote([role.statusUrl ?? DEFAULT_STATUS_URL])}`,
    'if command -v curl >/dev/null 2>&1; then',
    `  echo '${MARK}via curl'; curl -fsS --max-time 3 "$bt_u" 2>&1`,
    'elif command -v wget >/dev/null 2>&1; then',
    `  echo '${MARK}via wget'; wget -qO- -T 3 "$bt_u" 2>&1`,
    'else',
    `  echo '${MARK}none'; echo 'neither curl nor wget on the host: install one to read the NGINX stub_status page'`,
    'fi',
  ].join('\n');
}

export interface NginxSnapshot {
  via: string;
  /** ms since the epoch, when the probe's output arrived. */
  takenAt: number;
  active: number;
  accepts: number;
  handled: number;
  requests: number;
  reading: number;
  writing: number;
  waiting: number;
}

export type NginxProbeResult = { kind: 'snapshot'; snapshot: NginxSnapshot } | { kind: 'parse-error'; message: string; raw: string };

// The module's exact layout: "Active connections: N \nserver accepts handled
// requests\n A H R \nReading: N Writing: N Waiting: N \n".
const ACTIVE = /^Active connections:\s*(\d+)\s*$/m;
const COUNTERS = /^server accepts handled requests\s*\n\s*(\d+)\s+(\d+)\s+(\d+)\s*$/m;
const STATES = /^Reading:\s*(\d+)\s+Writing:\s*(\d+)\s+Waiting:\s*(\d+)\s*$/m;

function parseError(message: string, raw: string): NginxProbeResult {
  return { kind: 'parse-error', message, raw: raw.slice(0, RAW_LIMIT) };
}

export function parseNginxProbe(output: string, takenAt: number): NginxProbeResult {
  const first = output.indexOf(MARK);
  if (first < 0) return parseError(`nginx: no ${MARK}via line (is the probe's shell POSIX?)`, output);
  const eol = output.indexOf('\n', first);
  const via = output.slice(first + MARK.length, eol < 0 ? undefined : eol).replace(/^via /, '');
  const body = eol < 0 ? '' : output.slice(eol + 1);
  if (via === 'none') return parseError(body.trim() || 'nginx: no curl or wget on the host', body);
  const active = ACTIVE.exec(body);
  const counters = COUNTERS.exec(body);
  const states = STATES.exec(body);
  if (!active || !counters || !states) {
    const what = body.trim() === '' ? 'an empty answer' : `no stub_status page (is statusUrl a stub_status location?): ${body.trim().split('\n')[0]}`;
    return parseError(`nginx: ${via} got ${what}`, body);
  }
  const values = [active[1], counters[1], counters[2], counters[3], states[1], states[2], states[3]].map(Number);
  if (!values.every(Number.isSafeInteger)) return parseError('nginx: a stub_status counter is beyond 2^53', body);
  const [activeN, accepts, handled, requests, reading, writing, waiting] = values as [number, number, number, number, number, number, number];
  return { kind: 'snapshot', snapshot: { via, takenAt, active: activeN, accepts, handled, requests, reading, writing, waiting } };
}

export interface NginxRates {
  /** null without a previous sample, or when nginx restarted (counters went down). */
  requestsPerSec: number | null;
  acceptsPerSec: number | null;
  /** Connections accepted but never handled: worker_connections ran out. */
  dropped: number;
}

export function deriveNginx(previous: NginxSnapshot | undefined, current: NginxSnapshot): NginxRates {
  const seconds = previous ? (current.takenAt - previous.takenAt) / 1000 : 0;
  const usable = previous !== undefined && seconds > 0 && current.requests >= previous.requests && current.accepts >= previous.accepts;
  return {
    requestsPerSec: usable ? (current.requests - previous.requests) / seconds : null,
    acceptsPerSec: usable ? (current.accepts - previous.accepts) / seconds : null,
    dropped: current.accepts - current.handled,
  };
}
