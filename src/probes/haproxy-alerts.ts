// What an operator must notice in HAProxy: alerts on one snapshot, events
// between two. Pure, so the HA pane, --once and tests share them.
import type { Severity } from '../store/types.js';
import type { HaproxyBackend, HaproxyProcess, HaproxyServer, HaproxySnapshot } from './haproxy.js';

export interface HaproxyNotice {
  severity: Severity;
  message: string;
}

export const DEFAULT_SESSION_THRESHOLD = 100;
/** Share of the process maxconn in use from which new clients are about to queue. */
const MAXCONN_SHARE = 0.9;

export function nearMaxconn({ currentConnections: current, maxConnections: max }: HaproxyProcess): boolean {
  return current !== null && max !== null && max > 0 && current >= MAXCONN_SHARE * max;
}

const serverId = (s: HaproxyServer) => `${s.backend}/${s.name}`;
const isDown = (s: HaproxyServer) => s.state === 'down';
const serves = (s: HaproxyServer) => s.state === 'up' || s.state === 'going-down' || s.state === 'no-check';

/** No server can take traffic: neither an active nor a backup one. */
export function backendWithoutServers(b: HaproxyBackend): boolean {
  return b.servers.length > 0 && !b.servers.some(serves);
}

export function haproxyAlerts(snapshot: HaproxySnapshot, sessionThreshold = DEFAULT_SESSION_THRESHOLD): HaproxyNotice[] {
  const alerts: HaproxyNotice[] = [];
  for (const b of snapshot.backends) {
    for (const s of b.servers.filter(isDown)) {
      const why = s.checkStatus ? ` (check ${s.checkStatus})` : '';
      alerts.push({ severity: 'crit', message: `${serverId(s)} is DOWN${why}` });
    }
    if (backendWithoutServers(b)) alerts.push({ severity: 'crit', message: `backend ${b.name} has no server up` });
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

export function haproxyEvents(previous: HaproxySnapshot | undefined, current: HaproxySnapshot): HaproxyNotice[] {
  if (!previous) return [];
  const before = new Map(previous.backends.flatMap((b) => b.servers).map((s) => [serverId(s), s]));
  const events: HaproxyNotice[] = [];
  for (const b of current.backends) {
    for (const s of b.servers) {
      const old = before.get(serverId(s));
      if (!old || old.state === s.state) continue;
      if (s.state === 'down' && old.state !== 'down') events.push({ severity: 'crit', message: `${serverId(s)} went DOWN (${old.statusText} -> ${s.statusText})` });
      else if (s.state === 'up' && old.state !== 'up') events.push({ severity: 'info', message: `${serverId(s)} is UP again (${old.statusText} -> ${s.statusText})` });
      else events.push({ severity: 'warn', message: `${serverId(s)} ${old.statusText} -> ${s.statusText}` });
    }
    const was = previous.backends.find((p) => p.name === b.name);
    if (backendWithoutServers(b) && (!was || !backendWithoutServers(was))) events.push({ severity: 'crit', message: `backend ${b.name} lost its last server` });
  }
  return events;
}
