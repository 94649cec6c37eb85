// HAProxy: `show info` and `show stat` from the admin socket on the LB host,
// reached over SSH with whatever that host has (socat or nc on the unix
// socket, then the TCP stats socket, then the HTTP `;csv` page), saying which.
// The CSV is parsed by header name, so column order and new columns in later
// HAProxy versions do not matter. The parser never throws.
import { parse as parseCsv } from 'csv-parse/sync';
import { quote } from 'shell-quote';
import type { HaproxyRole } from '../inventory/types.js';
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';


/** The remote command for one LB host; every inventory value is shell-quoted. */
export function haproxyProbeCommand(role: HaproxyRole): string {
  const [host, port] = splitHostPort(role.tcp);
  return [
    `bt_s=${quote([role.socket ?? ''])}; bt_h=${quote([host])}; bt_p=${quote([port])}; bt_u=${quote([role.statsUrl ?? ''])}`,
    "bt_q='show info;show stat'",
    'if [ -n "$bt_s" ] && [ -S "$bt_s" ] && command -v socat >/dev/null 2>&1; then',
    `  echo '${MARK}via socat unix socket'; echo "$bt_q" | socat -t 5 stdio "UNIX-CONNECT:$bt_s"`,
    'elif [ -n "$bt_s" ] && [ -S "$bt_s" ] && command -v nc >/dev/null 2>&1; then',
    `  echo '${MARK}via nc unix socket'; echo "$bt_q" | nc -N -U "$bt_s"`,
    'elif [ -n "$bt_h" ] && command -v socat >/dev/null 2>&1; then',
    `  echo '${MARK}via socat tcp socket'; echo "$bt_q" | socat -t 5 stdio "TCP:$bt_h:$bt_p"`,
    'elif [ -n "$bt_h" ] && command -v nc >/dev/null 2>&1; then',
    `  echo '${MARK}via nc tcp socket'; echo "$bt_q" | nc -N -w 5 "$bt_h" "$bt_p"`,
    'elif [ -n "$bt_u" ] && command -v curl >/dev/null 2>&1; then',
    `  echo '${MARK}via curl stats page'; curl -fsS --max-time 5 "$bt_u;csv"`,
    'elif [ -n "$bt_u" ] && command -v wget >/dev/null 2>&1; then',
    `  echo '${MARK}via wget stats page'; wget -qO- -T 5 "$bt_u;csv"`,
    'else',
    `  echo '${MARK}none'; echo 'no way to reach the HAProxy stats: set roles.haproxy.socket (with socat or nc on the host), tcp or statsUrl (with curl or wget)'`,
    'fi',
  ].join('\n');
}

function splitHostPort(tcp: string | undefined): [string, string] {
  if (!tcp) return ['', ''];
  const at = tcp.lastIndexOf(':');
  return [tcp.slice(0, at).replace(/^\[|\]$/g, ''), tcp.slice(at + 1)];
}

/** A server's or proxy's status, normalised; `statusText` keeps HAProxy's own words. */
export type HaproxyState = 'up' | 'down' | 'going-down' | 'going-up' | 'maint' | 'drain' | 'nolb' | 'no-check' | 'open' | 'stopped' | 'unknown';

export interface HaproxyServer {
  backend: string;
  name: string;
  state: HaproxyState;
  statusText: string;
  weight: number | null;
  backup: boolean;
  sessions: number | null;
  sessionsMax: number | null;
  sessionLimit: number | null;
  rate: number | null;
  checkStatus: string | null;
  checkDurationMs: number | null;
  lastChangeSeconds: number | null;
  downtimeSeconds: number | null;
}

export interface HaproxyProxy {
  name: string;
  state: HaproxyState;
  statusText: string;
  sessions: number | null;
  sessionsMax: number | null;
  sessionLimit: number | null;
  rate: number | null;
  requestRate: number | null;
}

export interface HaproxyBackend extends HaproxyProxy {
  servers: HaproxyServer[];
}

/** The HAProxy process as `show info` describes it. */
export interface HaproxyProcess {
  pid: number | null;
  /** The `node` name HAProxy reports (its hostname unless configured). */
  node: string | null;
  threads: number | null;
  currentConnections: number | null;
  /** The process-wide maxconn: past it, new connections wait in the kernel's backlog. */
  maxConnections: number | null;
  connectionsPerSec: number | null;
  sessionsPerSec: number | null;
  idlePercent: number | null;
  runQueue: number | null;
}

export interface HaproxySnapshot {
  via: string;
  version: string | null;
  uptimeSeconds: number | null;
  process: HaproxyProcess;
  frontends: HaproxyProxy[];
  backends: HaproxyBackend[];
}

export type HaproxyProbeResult = { kind: 'snapshot'; snapshot: HaproxySnapshot } | { kind: 'parse-error'; message: string; raw: string };


export function normaliseStatus(text: string): HaproxyState {
  const t = text.trim();
  if (/^UP \d+\/\d+$/.test(t)) return 'going-down';
  if (/^DOWN \d+\/\d+$/.test(t)) return 'going-up';
  if (t.startsWith('MAINT')) return 'maint';
  const simple: Record<string, HaproxyState> = { UP: 'up', DOWN: 'down', DRAIN: 'drain', NOLB: 'nolb', 'no check': 'no-check', OPEN: 'open', STOP: 'stopped' };
  return simple[t] ?? 'unknown';
}

function num(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function proxyFields(row: Record<string, string>): HaproxyProxy {
  const statusText = row.status ?? '';
  return {
    name: row.pxname ?? '',
    state: normaliseStatus(statusText),
    statusText,
    sessions: num(row.scur),
    sessionsMax: num(row.smax),
    sessionLimit: num(row.slim),
    rate: num(row.rate),
    requestRate: num(row.req_rate),
  };
}

function parseStat(csv: string): Pick<HaproxySnapshot, 'frontends' | 'backends'> {
  const header = csv.indexOf('# pxname,');
  if (header < 0) throw new ProbeError("haproxy: no 'show stat' CSV (expected a '# pxname,svname,...' header)", csv.slice(0, RAW_LIMIT));
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(csv.slice(header + 2), { columns: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new ProbeError(`haproxy: 'show stat' CSV does not parse: ${(err as Error).message}`, csv.slice(header, header + RAW_LIMIT));
  }
  const frontends: HaproxyProxy[] = [];
  const backends = new Map<string, HaproxyBackend>();
  const backendOf = (name: string): HaproxyBackend => {
    let b = backends.get(name);
    if (!b) {
      b = { ...proxyFields({ pxname: name }), servers: [] };
      backends.set(name, b);
    }
    return b;
  };
  for (const row of rows) {
    const sv = row.svname ?? '';
    if (!row.pxname || !sv) throw new ProbeError('haproxy: a stat row without pxname/svname', JSON.stringify(row).slice(0, RAW_LIMIT));
    if (sv === 'FRONTEND') frontends.push(proxyFields(row));
    else if (sv === 'BACKEND') Object.assign(backendOf(row.pxname), proxyFields(row));
    else {
      const statusText = row.status ?? '';
      backendOf(row.pxname).servers.push({
        backend: row.pxname,
        name: sv,
        state: normaliseStatus(statusText),
        statusText,
        weight: num(row.weight),
        backup: row.bck === '1',
        sessions: num(row.scur),
        sessionsMax: num(row.smax),
        sessionLimit: num(row.slim),
        rate: num(row.rate),
        checkStatus: row.check_status || null,
        checkDurationMs: num(row.check_duration),
        lastChangeSeconds: num(row.lastchg),
        downtimeSeconds: num(row.downtime),
      });
    }
  }
  return { frontends, backends: [...backends.values()] };
}

function infoValue(info: string, key: string): string | null {
  const line = info.split('\n').find((l) => l.startsWith(`${key}:`));
  return line ? line.slice(key.length + 1).trim() : null;
}

export function parseHaproxyProbe(output: string): HaproxyProbeResult {
  try {
    const first = output.indexOf(MARK);
    if (first < 0) throw new ProbeError(`haproxy: no ${MARK}via line (is the probe's shell POSIX?)`, output.slice(0, RAW_LIMIT));
    const eol = output.indexOf('\n', first);
    const via = output.slice(first + MARK.length, eol < 0 ? undefined : eol).replace(/^via /, '');
    const body = eol < 0 ? '' : output.slice(eol + 1);
    if (via === 'none') throw new ProbeError(body.trim() || 'haproxy: no way to reach the stats', body.slice(0, RAW_LIMIT));
    const stat = parseStat(body);
    const info = body.slice(0, Math.max(0, body.indexOf('# pxname,')));
    const infoNumber = (key: string) => num(infoValue(info, key) ?? undefined);
    const process: HaproxyProcess = {
      pid: infoNumber('Pid'),
      node: infoValue(info, 'node'),
      threads: infoNumber('Nbthread'),
      currentConnections: infoNumber('CurrConns'),
      maxConnections: infoNumber('Maxconn'),
      connectionsPerSec: infoNumber('ConnRate'),
      sessionsPerSec: infoNumber('SessRate'),
      idlePercent: infoNumber('Idle_pct'),
      runQueue: infoNumber('Run_queue'),
    };
    return { kind: 'snapshot', snapshot: { via, version: infoValue(info, 'Version'), uptimeSeconds: infoNumber('Uptime_sec'), process, ...stat } };
  } catch (err) {
    if (err instanceof ProbeError) return { kind: 'parse-error', message: err.message, raw: err.raw };
    return { kind: 'parse-error', message: `haproxy: parser failed: ${(err as Error).message}`, raw: String(output).slice(0, RAW_LIMIT) };
  }
}
