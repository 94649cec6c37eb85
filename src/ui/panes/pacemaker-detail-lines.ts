// The Pacemaker detail: the cluster summary, then the selected node's or
// resource's full record with the cli-prefer/cli-ban constraints, bans and
// failed actions that concern it; the cluster as a whole lists them all. Pure.
import type { PacemakerFailure, PacemakerNode, PacemakerResource, PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import { MISSING } from '../format.js';
import type { Line } from '../widgets/styled-lines.js';
import { fact, heading, yesNo, type KindDetail } from './detail-lines.js';
import { bansBesideConstraints, NODE_STATE_TOKEN, pacemakerCount, resourceState, resourceToken } from './pacemaker-lines.js';
import { lockFact, NO_LOCKS, type ServiceLocks } from './lock-lines.js';
import { parseItem } from './service-items.js';

function summaryLines(s: PacemakerSnapshot): Line[] {
  return [
    fact('quorum', s.withQuorum ? { text: 'yes', token: 'ok' } : { text: 'NO', token: 'crit' }),
    fact('DC', s.dc.present ? { text: s.dc.name ?? '?', token: 'ok' } : { text: 'NONE', token: 'crit' }, { text: s.dc.version ? ` · Pacemaker ${s.dc.version}` : '', token: 'muted' }),
    fact('stack', { text: s.stack ?? MISSING, token: 'muted' }, { text: s.lastUpdate ? ` · updated ${s.lastUpdate}` : '', token: 'muted' }),
    fact('maintenance', s.maintenanceMode ? { text: 'ON: no resource is managed', token: 'warn' } : { text: 'off', token: 'ok' }),
    fact('stonith', s.stonithEnabled ? { text: 'enabled', token: 'ok' } : { text: 'DISABLED', token: 'warn' }),
  ];
}

/** cli-prefer/cli-ban constraints and bans for which `about` holds, each once. */
function placementLines(s: PacemakerSnapshot, about: (resource: string, node: string | null) => boolean): Line[] {
  const cli = s.constraints.kind === 'read' ? s.constraints.list.filter((c) => about(c.resource, c.node)) : [];
  const bans = bansBesideConstraints(s).filter((b) => about(b.resource, b.node));
  const lines: Line[] = [
    ...cli.map((c) =>
      fact(c.kind === 'ban' ? 'cli-ban' : 'cli-prefer', { text: `${c.resource} ${c.kind === 'ban' ? 'banned from' : 'moved to'} ${c.node ?? '?'}`, token: 'warn' }, {
        text: `${c.role ? ` role ${c.role}` : ''} score ${pacemakerCount(c.score)}${c.expires ? ` until ${c.expires}` : ''} (${c.id})`,
        token: 'muted',
      }),
    ),
    ...bans.map((b) => fact('ban', { text: `${b.resource} banned from ${b.node}${b.promotedOnly ? ' (promoted)' : ''}`, token: 'warn' }, { text: ` weight ${pacemakerCount(b.weight)} (${b.id})`, token: 'muted' })),
  ];
  if (s.constraints.kind === 'unavailable') lines.push(fact('constraints', { text: s.constraints.message, token: 'muted' }));
  return [heading('CONSTRAINTS'), ...(lines.length > 0 ? lines : [fact('', { text: 'no bans or moves', token: 'muted' })])];
}

function failureLines(failures: readonly PacemakerFailure[]): Line[] {
  if (failures.length === 0) return [heading('FAILED ACTIONS'), fact('', { text: 'none', token: 'ok' })];
  return [
    heading('FAILED ACTIONS'),
    ...failures.flatMap((f): Line[] => [
      fact(f.time ?? '', { text: `${f.opKey} on ${f.node}`, token: f.ignored ? 'warn' : 'crit' }),
      fact('', { text: `${f.exitStatus}${f.exitCode === null ? '' : ` (rc ${f.exitCode})`} · ${f.status}${f.exitReason ? `: ${f.exitReason}` : ''}` }),
      ...(f.ignored ? [fact('', { text: 'failure ignored (on-fail=ignore): the resource went on', token: 'warn' })] : []),
    ]),
  ];
}

function resourceLines(id: string, instances: readonly PacemakerResource[]): Line[] {
  const r = instances[0]!;
  const fails = instances.flatMap((x) => x.failCounts);
  return [
    heading(`RESOURCE ${id}`),
    fact('agent', { text: r.agent || MISSING }),
    fact('in', { text: [r.group && `group ${r.group}`, r.clone && `clone ${r.clone}`].filter(Boolean).join(' · ') || 'standalone', token: 'muted' }),
    ...instances.map((x) =>
      fact(instances.length > 1 ? 'instance' : 'role', { text: resourceState(x), token: resourceToken(x) }, { text: ` on ${x.nodes.join(', ') || MISSING}${x.active ? '' : ' · inactive'}`, token: 'text' }),
    ),
    fact('managed', yesNo(r.managed, false), { text: ' · failed ', token: 'muted' }, yesNo(instances.some((x) => x.failed), true, 'crit'), { text: ' · blocked ', token: 'muted' }, yesNo(instances.some((x) => x.blocked), true, 'crit')),
    fact('fail count', fails.length === 0 ? { text: '0', token: 'muted' } : { text: fails.map((f) => `${pacemakerCount(f.count)} on ${f.node}`).join(', '), token: 'warn' }),
    fact('migration', { text: `threshold ${pacemakerCount(r.migrationThreshold)}`, token: 'muted' }),
  ];
}

function nodeLines(nd: PacemakerNode, s: PacemakerSnapshot): Line[] {
  const running = s.resources.filter((r) => r.nodes.includes(nd.name));
  return [
    heading(`NODE ${nd.name}${nd.isDc ? ' (DC)' : ''}`),
    fact('state', { text: nd.state, token: NODE_STATE_TOKEN[nd.state] }, { text: ` · id ${nd.id || MISSING}`, token: 'muted' }),
    fact('online', yesNo(nd.online, false, 'crit'), { text: ' · standby ', token: 'muted' }, yesNo(nd.standby, true), { text: ' · maintenance ', token: 'muted' }, yesNo(nd.maintenance, true), { text: ' · unclean ', token: 'muted' }, yesNo(nd.unclean, true, 'crit')),
    fact('resources', { text: `${nd.resourcesRunning} running` }),
    ...running.map((r) => fact('', { text: r.id.padEnd(16) }, { text: resourceState(r), token: resourceToken(r) }, { text: r.clone ? ` (${r.clone})` : r.group ? ` (${r.group})` : '', token: 'muted' })),
  ];
}

function overviewLines(s: PacemakerSnapshot): Line[] {
  return [
    heading('NODES'),
    ...s.nodes.map((nd) => fact(nd.name, { text: nd.state, token: NODE_STATE_TOKEN[nd.state] }, { text: `${nd.isDc ? ' · DC' : ''} · ${nd.resourcesRunning} resources`, token: 'muted' })),
    heading('RESOURCES'),
    ...s.resources.map((r) => fact(r.id, { text: resourceState(r), token: resourceToken(r) }, { text: ` on ${r.nodes.join(', ') || MISSING}`, token: 'muted' })),
  ];
}

export function pacemakerDetail(snapshot: unknown, item: string, locks: ServiceLocks = NO_LOCKS): KindDetail {
  const s = snapshot as PacemakerSnapshot;
  const it = parseItem(item);
  if (it?.type === 'resource') {
    const instances = s.resources.filter((r) => r.id === it.name);
    // A move or ban of its group or clone moves the resource too.
    const around = new Set([it.name, ...instances.flatMap((r) => [r.group, r.clone]).filter((x): x is string => x !== null)]);
    const body = instances.length > 0 ? resourceLines(it.name, instances) : [heading(`RESOURCE ${it.name}`), fact('', { text: 'no longer in crm_mon', token: 'warn' })];
    return {
      title: `resource ${it.name}`,
      lines: [...summaryLines(s), ...body, ...lockFact(locks.holders, `pacemaker:${locks.serviceKey}:resource:${it.name}`), ...placementLines(s, (res) => around.has(res)), ...failureLines(s.failures.filter((f) => f.resource === it.name))],
      subject: it.name,
    };
  }
  if (it?.type === 'node') {
    const nd = s.nodes.find((x) => x.name === it.name);
    const body = nd ? nodeLines(nd, s) : [heading(`NODE ${it.name}`), fact('', { text: 'no longer in crm_mon', token: 'warn' })];
    return {
      title: `node ${it.name}`,
      lines: [...summaryLines(s), ...body, ...lockFact(locks.holders, `pacemaker:${locks.serviceKey}:node:${it.name}`), ...placementLines(s, (_res, node) => node === it.name), ...failureLines(s.failures.filter((f) => f.node === it.name))],
      subject: it.name,
    };
  }
  return { title: 'cluster', lines: [...summaryLines(s), ...overviewLines(s), ...placementLines(s, () => true), ...failureLines(s.failures)] };
}
