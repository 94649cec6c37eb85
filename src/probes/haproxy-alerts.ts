// What an operator must notice in HAProxy: alerts on one snapshot, events
// between two. Pure, so the HA pane, --once and tests share them.
import type { Severity } from './severity.js';
import type { HaproxyBackend, HaproxyProcess, HaproxyServer, HaproxySnapshot, HaproxyStatusFields } from './haproxy.js';
import { takesTraffic } from './haproxy-status.js';

export interface HaproxyNotice {
  severity: Severity;
  message: string;
  brief?: string;
}

export const DEFAULT_SESSION_THRESHOLD = 100;
/** Share of the process maxconn in use from which new clients are about to queue. */
const MAXCONN_SHARE = 0.9;

export function nearMaxconn({ currentConnections: current, maxConnections: max }: HaproxyProcess): boolean {
  return current !== null && max !== null && max > 0 && current >= MAXCONN_SHARE * max;
}

const serverId = (s: HaproxyServer) => `${s.backend}/${s.name}`;
// DOWN by its checks or its agent, also while checks pass again (`DOWN 1/2`): it takes no traffic yet.
const isDown = (s: HaproxyServer) => s.state === 'down';

/** No server can take traffic (neither an active nor a backup one), or HAProxy says so: the backend is DOWN when every server is down or at weight 0. */
export function backendWithoutServers(b: HaproxyBackend): boolean {
  return b.state === 'down' || (b.servers.length > 0 && !b.servers.some(takesTraffic));
}

function whyDown(s: HaproxyServer): string {
  const why = s.stateSource === 'agent' ? `agent: ${s.agentReply ?? s.agentStatus ?? 'down'}` : s.checkStatus ? `check ${s.checkStatus}` : '';
  const back = s.transition ? `${why ? ', ' : ''}coming back: ${s.transition.count} of ${s.transition.of} checks passed` : '';
  return why || back ? ` (${why}${back})` : '';
}

/** Both statuses compared by their parts: `UP 2/3` -> `UP 1/3` is no change, `UP` -> `UP 2/3` is. */
const sameStatus = (a: HaproxyStatusFields, b: HaproxyStatusFields) =>
  a.state === 'unknown' ? a.statusText === b.statusText : a.state === b.state && a.stateSource === b.stateSource && a.tracks === b.tracks && a.transition?.toward === b.transition?.toward;
const plainUp = (s: HaproxyServer) => s.state === 'up' && !s.transition;

export function haproxyAlerts(snapshot: HaproxySnapshot, sessionThreshold = DEFAULT_SESSION_THRESHOLD): HaproxyNotice[] {
  const alerts: HaproxyNotice[] = [];
  for (const b of snapshot.backends) {
    for (const s of b.servers.filter(isDown)) alerts.push({ severity: 'crit', message: `${serverId(s)} is DOWN${whyDown(s)}`, brief: `${s.name} DOWN` });
    if (backendWithoutServers(b)) {
      const why = b.servers.some(takesTraffic) ? ' (HAProxy reports it DOWN: its servers are at weight 0)' : '';
      alerts.push({ severity: 'crit', message: `backend ${b.name} has no server up${why}`, brief: `${b.name} no server up` });
    }
  }
  if (nearMaxconn(snapshot.process)) {
    const { currentConnections, maxConnections } = snapshot.process;
    alerts.push({ severity: 'warn', message: `HAProxy holds ${currentConnections} of its ${maxConnections} connections (maxconn); past it, new clients wait` });
  }
  const busy = [...snapshot.frontends, ...snapshot.backends, ...snapshot.backends.flatMap((b) => b.servers)];
  for (const p of busy) {
    if (p.sessions !== null && p.sessions > sessionThreshold) {
      const name = 'backend' in p ? serverId(p) : p.name;
      alerts.push({ severity: 'warn', message: `${name} has ${p.sessions} sessions (over ${sessionThreshold})` });
    }
  }
  return alerts;
}

/** A status text baton does not know is logged once, when first seen: it is a gap in baton, not in HAProxy. */
function statusGapEvents(previous: HaproxySnapshot | undefined, current: HaproxySnapshot): HaproxyNotice[] {
  const known = new Set(previous?.unknownStatuses.map((g) => g.status));
  return current.unknownStatuses
    .filter((g) => !known.has(g.status))
    .map((g) => ({ severity: 'warn', message: `baton does not understand HAProxy status ${JSON.stringify(g.status)} (on ${g.seenOn.join(', ')})` }));
}

export function haproxyEvents(previous: HaproxySnapshot | undefined, current: HaproxySnapshot): HaproxyNotice[] {
  const events = statusGapEvents(previous, current);
  if (!previous) return events;
  const before = new Map(previous.backends.flatMap((b) => b.servers).map((s) => [serverId(s), s]));
  for (const b of current.backends) {
    for (const s of b.servers) {
      const old = before.get(serverId(s));
      if (!old || sameStatus(old, s)) continue;
      if (isDown(s) && !isDown(old)) events.push({ severity: 'crit', message: `${serverId(s)} went DOWN (${old.statusText} -> ${s.statusText})` });
      else if (plainUp(s)) events.push({ severity: 'info', message: `${serverId(s)} is UP again (${old.statusText} -> ${s.statusText})` });
      else events.push({ severity: 'warn', message: `${serverId(s)} ${old.statusText} -> ${s.statusText}` });
    }
    const was = previous.backends.find((p) => p.name === b.name);
    if (backendWithoutServers(b) && (!was || !backendWithoutServers(was))) events.push({ severity: 'crit', message: `backend ${b.name} lost its last server` });
  }
  return events;
}
