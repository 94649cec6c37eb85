// HAProxy: `show info` and `show stat` from the admin socket on the LB host,
// reached over SSH with whatever that host has (socat or nc on the unix
// socket, then the TCP stats socket, then the HTTP `;csv` page), saying which.
// The CSV is parsed by header name, so column order and new columns in later
// HAProxy versions do not matter. The parser never throws.
import { parse as parseCsv } from 'csv-parse/sync';
import { quote } from 'shell-quote';
import type { HaproxyRole } from '../inventory/types.js';
import { parseHaproxyStatus, type HaproxyStatus } from './haproxy-status.js';
import { MARK, ProbeError, RAW_LIMIT } from './probe-output.js';

export type { HaproxyState, HaproxyStateSource, HaproxyStatus, HaproxyTransition } from './haproxy-status.js';


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

/** A server's or proxy's status by its parts; `statusText` keeps HAProxy's own words. */
export interface HaproxyStatusFields extends HaproxyStatus {
  statusText: string;
}

export interface HaproxyServer extends HaproxyStatusFields {
  backend: string;
  name: string;
  weight: number | null;
  backup: boolean;
  sessions: number | null;
  sessionsMax: number | null;
  sessionLimit: number | null;
  rate: number | null;
  /** The last health check's status (L4OK, L7STS, ...), without the `* ` of a check under way. */
  checkStatus: string | null;
  checkDurationMs: number | null;
  /** The last agent check's status, when the server has one (L7OK, L7STS, CHECKED, ...). */
  agentStatus: string | null;
  /** What the agent last answered (`down`, `up`), or the error reaching it. */
  agentReply: string | null;
  lastChangeSeconds: number | null;
  downtimeSeconds: number | null;
  /** HTTP requests sent to it since HAProxy started (req_tot), for rates between refreshes; absent in a snapshot made by hand. */
  requests?: number | null;
  /** Its 5xx answers since HAProxy started (hrsp_5xx). */
  responses5xx?: number | null;
}

export interface HaproxyProxy extends HaproxyStatusFields {
  name: string;
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
  /** Status texts this parser does not know: a gap in baton, shown and logged once each. */
  unknownStatuses: HaproxyStatusGap[];
}

export interface HaproxyStatusGap {
  /** HAProxy's text as it came. */
  status: string;
  /** The frontends, backends and `backend/server`s that had it. */
  seenOn: string[];
}

export type HaproxyProbeResult = { kind: 'snapshot'; snapshot: HaproxySnapshot } | { kind: 'parse-error'; message: string; raw: string };

function num(value: string | undefined): number | null {
  if (value === undefined || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The `type` column: 0 frontend, 1 backend, 2 server, 3 listener; by `svname` where it is missing. */
function rowKind(row: Record<string, string>): 'frontend' | 'backend' | 'server' | 'listener' {
  const byType = ({ '0': 'frontend', '1': 'backend', '2': 'server', '3': 'listener' } as const)[row.type ?? ''];
  return byType ?? (row.svname === 'FRONTEND' ? 'frontend' : row.svname === 'BACKEND' ? 'backend' : 'server');
}

/** What the tool printed instead of the CSV (socat's or curl's error), for the message. */
function whatItSaid(text: string): string {
  const said = text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join('; ');
  return said.length > RAW_LIMIT ? `${said.slice(0, RAW_LIMIT)}...` : said;
}

function parseStat(csv: string, via: string): Pick<HaproxySnapshot, 'frontends' | 'backends' | 'unknownStatuses'> {
  const header = csv.indexOf('# pxname,');
  if (header < 0) {
    const said = whatItSaid(csv);
    throw new ProbeError(`haproxy via ${via}: no 'show stat' CSV; ${said ? `it said: ${said}` : 'no output and no error message'}`, csv.slice(0, RAW_LIMIT));
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(csv.slice(header + 2), { columns: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new ProbeError(`haproxy: 'show stat' CSV does not parse: ${(err as Error).message}`, csv.slice(header, header + RAW_LIMIT));
  }
  const gaps = new Map<string, string[]>();
  const status = (text: string, seenOn: string): HaproxyStatusFields => {
    const parsed = parseHaproxyStatus(text);
    if (parsed.state === 'unknown') gaps.set(text, [...(gaps.get(text) ?? []), seenOn]);
    return { ...parsed, statusText: text };
  };
  const proxyFields = (row: Record<string, string>): HaproxyProxy => ({
    name: row.pxname ?? '',
    ...status(row.status ?? '', row.pxname ?? ''),
    sessions: num(row.scur),
    sessionsMax: num(row.smax),
    sessionLimit: num(row.slim),
    rate: num(row.rate),
    requestRate: num(row.req_rate),
  });
  const frontends: HaproxyProxy[] = [];
  const backends = new Map<string, HaproxyBackend>();
  const backendOf = (name: string): HaproxyBackend => {
    let b = backends.get(name);
    if (!b) {
      // Until its BACKEND row: servers come first.
      b = { name, ...parseHaproxyStatus(''), statusText: '', sessions: null, sessionsMax: null, sessionLimit: null, rate: null, requestRate: null, servers: [] };
      backends.set(name, b);
    }
    return b;
  };
  for (const row of rows) {
    const sv = row.svname ?? '';
    if (!row.pxname || !sv) throw new ProbeError('haproxy: a stat row without pxname/svname', JSON.stringify(row).slice(0, RAW_LIMIT));
    const kind = rowKind(row);
    // Listeners (`option socket-stats`) are their frontend's sockets, not servers.
    if (kind === 'frontend') frontends.push(proxyFields(row));
    else if (kind === 'backend') Object.assign(backendOf(row.pxname), proxyFields(row));
    else if (kind === 'server') {
      backendOf(row.pxname).servers.push({
        backend: row.pxname,
        name: sv,
        ...status(row.status ?? '', `${row.pxname}/${sv}`),
        weight: num(row.weight),
        backup: row.bck === '1',
        sessions: num(row.scur),
        sessionsMax: num(row.smax),
        sessionLimit: num(row.slim),
        rate: num(row.rate),
        checkStatus: row.check_status?.replace(/^\* /, '') || null,
        checkDurationMs: num(row.check_duration),
        agentStatus: row.agent_status || null,
        agentReply: row.last_agt?.replace(/^via agent : /, '') || null,
        lastChangeSeconds: num(row.lastchg),
        downtimeSeconds: num(row.downtime),
        requests: num(row.req_tot),
        responses5xx: num(row.hrsp_5xx),
      });
    }
  }
  const unknownStatuses = [...gaps].map(([text, seenOn]) => ({ status: text, seenOn }));
  return { frontends, backends: [...backends.values()], unknownStatuses };
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
    const stat = parseStat(body, via);
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
