// The HAProxy detail: the LB's `show info` figures, then the selected
// frontend, backend (with its servers) or server with every field the probe
// parses; the LB as a whole lists every proxy. Pure.
import type { HaproxyBackend, HaproxyProxy, HaproxyServer, HaproxySnapshot } from '../../probes/haproxy.js';
import { formatDuration, MISSING } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, num, type KindDetail } from './detail-lines.js';
import { backendWithoutServers, nearMaxconn } from '../../probes/haproxy-alerts.js';
import { takesTraffic } from '../../probes/haproxy-status.js';
import { haproxyStatusToken } from './haproxy-lines.js';
import { lockFact, NO_LOCKS, type ServiceLocks } from './lock-lines.js';
import { parseItem } from './service-items.js';

const status = (p: HaproxyProxy | HaproxyServer) => ({ text: p.statusText || MISSING, token: haproxyStatusToken(p) });

/** The status's parts in words: who set it and where its checks lead. */
function statusParts(p: HaproxyProxy | HaproxyServer): string {
  const parts = [
    p.stateSource === 'agent' ? 'set by its agent check' : p.stateSource === 'resolution' ? 'its address does not resolve' : p.stateSource === 'tracked' ? `follows ${p.tracks ?? 'the server it tracks'}` : '',
    p.transition?.toward === 'down' ? `${p.transition.count} more failed check${p.transition.count === 1 ? '' : 's'} and DOWN (fall ${p.transition.of})` : '',
    p.transition?.toward === 'up' ? `${p.transition.count} of ${p.transition.of} checks passed toward UP` : '',
  ].filter(Boolean);
  return parts.length ? ` · ${parts.join(' · ')}` : '';
}

function sessionLines(p: HaproxyProxy | HaproxyServer): Line[] {
  return [
    fact('sessions', { text: `${num(p.sessions)} now` }, { text: ` · max ${num(p.sessionsMax)} · limit ${num(p.sessionLimit)}`, token: 'muted' }),
    fact('rate', { text: `${num(p.rate)} sessions/s` }, ...('requestRate' in p ? [{ text: ` · ${num(p.requestRate)} requests/s`, token: 'muted' as const }] : [])),
  ];
}

function serverLines(sv: HaproxyServer): Line[] {
  return [
    heading(`SERVER ${sv.backend}/${sv.name}`),
    fact('status', status(sv), { text: statusParts(sv), token: 'muted' }),
    fact('weight', { text: num(sv.weight) }, { text: sv.backup ? ' · backup server' : ' · active server', token: sv.backup ? 'warn' : 'muted' }),
    ...sessionLines(sv),
    fact('check', { text: sv.checkStatus ?? MISSING, token: sv.state === 'down' ? 'crit' : 'text' }, { text: ` in ${sv.checkDurationMs === null ? MISSING : `${sv.checkDurationMs} ms`}`, token: 'muted' }),
    ...(sv.agentStatus ? [fact('agent', { text: sv.agentReply ?? MISSING, token: sv.stateSource === 'agent' ? 'warn' : 'text' }, { text: ` · ${sv.agentStatus}`, token: 'muted' })] : []),
    fact('last change', { text: `${formatDuration(sv.lastChangeSeconds)} ago` }),
    fact('downtime', { text: formatDuration(sv.downtimeSeconds), token: sv.downtimeSeconds ? 'warn' : 'muted' }),
  ];
}

function backendLines(b: HaproxyBackend): Line[] {
  const serving = b.servers.filter(takesTraffic).length;
  return [
    heading(`BACKEND ${b.name}`),
    fact('status', status(b)),
    ...sessionLines(b),
    fact('servers', { text: `${serving}/${b.servers.length} serving`, token: backendWithoutServers(b) ? 'crit' : 'text' }),
    ...b.servers.map((sv) =>
      fact('', { text: `${sv.name.padEnd(12)} ` }, status(sv), { text: ` w ${num(sv.weight)}${sv.backup ? ' backup' : ''} · ${num(sv.sessions)} sessions · check ${sv.checkStatus ?? MISSING}`, token: 'muted' }),
    ),
  ];
}

function frontendLines(f: HaproxyProxy): Line[] {
  return [heading(`FRONTEND ${f.name}`), fact('status', status(f)), ...sessionLines(f)];
}

function overviewLines(s: HaproxySnapshot): Line[] {
  return [
    heading('FRONTENDS'),
    ...s.frontends.map((f) => fact(f.name, status(f), { text: ` ${num(f.sessions)}/${num(f.sessionLimit)} sessions · ${num(f.rate)}/s`, token: 'muted' })),
    heading('BACKENDS'),
    ...s.backends.map((b) => {
      const down = b.servers.filter((sv) => sv.state === 'down').map((sv) => sv.name);
      return fact(b.name, status(b), { text: ` ${b.servers.length} servers${down.length > 0 ? ` · DOWN: ${down.join(', ')}` : ''}`, token: down.length > 0 ? 'crit' : 'muted' });
    }),
  ];
}

export function haproxyDetail(snapshot: unknown, item: string, locks: ServiceLocks = NO_LOCKS): KindDetail {
  const s = snapshot as HaproxySnapshot;
  const p = s.process;
  const info: Line[] = [
    fact('HAProxy', { text: s.version ?? MISSING }, { text: ` · up ${formatDuration(s.uptimeSeconds)} · pid ${num(p.pid)} · node ${p.node ?? MISSING} · ${num(p.threads)} threads`, token: 'muted' }),
    fact('connections', { text: `${num(p.currentConnections)} of ${num(p.maxConnections)} maxconn`, token: nearMaxconn(p) ? 'warn' : undefined }, { text: ` · ${num(p.connectionsPerSec)} conn/s · ${num(p.sessionsPerSec)} sess/s`, token: 'muted' }),
    fact('load', { text: `${num(p.idlePercent)} % idle`, token: p.idlePercent !== null && p.idlePercent < 10 ? 'warn' : undefined }, { text: ` · run queue ${num(p.runQueue)}`, token: 'muted' }),
  ];
  const it = parseItem(item);
  if (it?.type === 'server') {
    const sv = s.backends.flatMap((b) => b.servers).find((x) => `${x.backend}/${x.name}` === it.name);
    if (sv) return { title: `server ${it.name}`, lines: [...info, ...serverLines(sv), ...lockFact(locks.holders, `haproxy:${locks.serviceKey}:${it.name}`)], subject: it.name };
  } else if (it?.type === 'backend') {
    const b = s.backends.find((x) => x.name === it.name);
    if (b) return { title: `backend ${it.name}`, lines: [...info, ...backendLines(b)], subject: it.name };
  } else if (it?.type === 'frontend') {
    const f = s.frontends.find((x) => x.name === it.name);
    if (f) return { title: `frontend ${it.name}`, lines: [...info, ...frontendLines(f)], subject: it.name };
  }
  if (it) return { title: `${it.type} ${it.name}`, lines: [...info, [{ text: ` ${it.type} ${it.name} is no longer in the stats`, token: 'warn' }]], subject: it.name };
  return { title: 'load balancer', lines: [...info, ...overviewLines(s)] };
}
