// Which services to poll, from the inventory's roles: one HAProxy entry per
// LB host (active/passive pairs side by side), one Pacemaker entry per
// cluster and one etcd entry per etcd cluster (any member answers), one
// NGINX entry per host, one queues entry per broker (Redis, RabbitMQ) per host.
import type { HostSpec, Inventory } from '../inventory/types.js';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../probes/haproxy.js';
import { haproxyAlerts, haproxyEvents } from '../probes/haproxy-alerts.js';
import { etcdProbeCommand, parseEtcdProbe, type EtcdSnapshot } from '../probes/etcd.js';
import { etcdAlerts, etcdEvents } from '../probes/etcd-alerts.js';
import { deriveNginx, nginxProbeCommand, parseNginxProbe, type NginxRates, type NginxSnapshot } from '../probes/nginx.js';
import { nginxAlerts } from '../probes/nginx-alerts.js';
import { PACEMAKER_PROBE_COMMAND, parsePacemakerProbe, type PacemakerSnapshot } from '../probes/pacemaker.js';
import { pacemakerAlerts, pacemakerEvents } from '../probes/pacemaker-alerts.js';
import { queueEvents } from '../probes/queues/queue-alerts.js';
import { RabbitQueueService, RedisQueueService, type QueueServiceSnapshot } from '../probes/queues/queue-service.js';
import { alertsProbeCommand } from '../probes/alertmanager-command.js';
import { alertHostId, alertsEvents, alertsNotices, type AlertNotice } from '../probes/alertmanager-alerts.js';
import { parseAlertsProbe, type AlertsSnapshot } from '../probes/alertmanager.js';
import type { Notice } from '../store/services.js';
import { noticeHostResolver } from './notice-host.js';
import { mysqlProbes } from './mysql-plan.js';
import { postgresqlProbes } from './postgresql-plan.js';
import type { ServiceProbe } from './service-probe.js';

function haproxyProbe(host: HostSpec): ServiceProbe<HaproxySnapshot> | undefined {
  const role = host.roles.haproxy;
  if (!role) return undefined;
  return {
    kind: 'haproxy',
    key: host.id,
    candidates: [host.id],
    command: () => haproxyProbeCommand(role),
    parse: (output) => {
      const r = parseHaproxyProbe(output);
      return r.kind === 'snapshot' ? { kind: 'snapshot', snapshot: r.snapshot, via: r.snapshot.via } : r;
    },
    alerts: (s) => haproxyAlerts(s),
    events: haproxyEvents,
  };
}

/** A host may run Redis and RabbitMQ: each broker is its own service, keyed `host` and `host:rabbitmq`. */
function queuesProbes(host: HostSpec): ServiceProbe<QueueServiceSnapshot>[] {
  const probe = (key: string, service: RedisQueueService | RabbitQueueService, minIntervalMs?: number): ServiceProbe<QueueServiceSnapshot> => ({
    kind: 'queues',
    key,
    candidates: [host.id],
    command: () => service.command,
    ...(minIntervalMs ? { minIntervalMs } : {}),
    parse: (output, takenAt) => service.parse(output, takenAt),
    alerts: (s) => s.alerts,
    events: (previous, current) => queueEvents(previous?.alerts, current.alerts),
  });
  const { redis, rabbitmq } = host.roles;
  const rabbit = rabbitmq && new RabbitQueueService(rabbitmq);
  return [
    ...(redis ? [probe(host.id, new RedisQueueService(redis))] : []),
    ...(rabbit ? [probe(redis ? `${host.id}:rabbitmq` : host.id, rabbit, rabbit.minIntervalMs)] : []),
  ];
}

/** Every node of a cluster can answer for it: ask them in inventory order. */
function pacemakerProbes(hosts: HostSpec[]): ServiceProbe<PacemakerSnapshot>[] {
  const hostOf = noticeHostResolver(hosts);
  const clusters = new Map<string, string[]>();
  for (const h of hosts) {
    if (!h.roles.pacemaker) continue;
    const name = h.roles.pacemaker.cluster ?? 'pacemaker';
    clusters.set(name, [...(clusters.get(name) ?? []), h.id]);
  }
  return [...clusters].map(([key, candidates]) => ({
    kind: 'pacemaker',
    key,
    candidates,
    command: () => PACEMAKER_PROBE_COMMAND,
    parse: (output) => parsePacemakerProbe(output),
    alerts: pacemakerAlerts,
    events: (previous, current) => pacemakerEvents(previous, current).map(({ node, ...n }) => ({ ...n, hostId: hostOf(node) })),
  }));
}

/** The etcd members in the inventory form one cluster; any member answers with its own endpoint. */
function etcdProbe(hosts: HostSpec[]): ServiceProbe<EtcdSnapshot> | undefined {
  const hostOf = noticeHostResolver(hosts);
  const members = hosts.filter((h) => h.roles.etcd);
  if (members.length === 0) return undefined;
  const roleOf = new Map(members.map((h) => [h.id, h.roles.etcd ?? {}]));
  return {
    kind: 'etcd',
    key: 'etcd',
    candidates: members.map((h) => h.id),
    command: (hostId) => etcdProbeCommand(roleOf.get(hostId) ?? {}),
    parse: (output) => {
      const r = parseEtcdProbe(output);
      // A member that does not answer cannot speak for the cluster: the poller asks the next.
      if (r.kind === 'snapshot' && r.snapshot.members.length === 0) {
        return { kind: 'parse-error', message: `etcd at ${r.snapshot.endpoint} does not answer: ${r.snapshot.problems[0] ?? 'no output'}`, raw: output.slice(0, 300) };
      }
      return r;
    },
    alerts: etcdAlerts,
    events: (previous, current) => etcdEvents(previous, current).map(({ member, ...n }) => ({ ...n, hostId: hostOf(member) })),
  };
}

export type NginxServiceSnapshot = NginxSnapshot & { rates: NginxRates };

/** Rates come from deltas, so each host keeps its previous sample. */
function nginxProbe(host: HostSpec): ServiceProbe<NginxServiceSnapshot> | undefined {
  const role = host.roles.nginx;
  if (!role) return undefined;
  let previous: NginxSnapshot | undefined;
  return {
    kind: 'nginx',
    key: host.id,
    candidates: [host.id],
    command: () => nginxProbeCommand(role),
    parse: (output, takenAt) => {
      const r = parseNginxProbe(output, takenAt);
      if (r.kind !== 'snapshot') return r;
      const rates = deriveNginx(previous, r.snapshot);
      previous = r.snapshot;
      return { kind: 'snapshot', snapshot: { ...r.snapshot, rates }, via: r.snapshot.via };
    },
    alerts: (s) => nginxAlerts(s),
    events: () => [],
  };
}

/** A host's Alertmanager and Prometheus, read together; a notice names the inventory host its alert is about. */
function alertsProbe(hosts: HostSpec[], host: HostSpec): ServiceProbe<AlertsSnapshot> | undefined {
  const { alertmanager, prometheus } = host.roles;
  if (!alertmanager && !prometheus) return undefined;
  const notice = ({ labels, ...n }: AlertNotice): Notice => {
    const hostId = labels && alertHostId({ labels }, hosts);
    return hostId ? { ...n, hostId } : n;
  };
  return {
    kind: 'alerts',
    key: host.id,
    candidates: [host.id],
    command: () => alertsProbeCommand({ alertmanager, prometheus }),
    parse: (output) => parseAlertsProbe(output),
    alerts: (s) => alertsNotices(s).map(notice),
    events: (previous, current) => alertsEvents(previous, current).map(notice),
  };
}

export function planServices(inventory: Inventory): ServiceProbe[] {
  const probes: ServiceProbe[] = [];
  // Each probe knows its snapshot type; the monitor handles them all alike.
  const add = <S>(probe: ServiceProbe<S> | undefined) => {
    if (probe) probes.push(probe as ServiceProbe);
  };
  pacemakerProbes(inventory.hosts).forEach(add);
  add(etcdProbe(inventory.hosts));
  postgresqlProbes(inventory.hosts).forEach(add);
  mysqlProbes(inventory.hosts).forEach(add);
  for (const host of inventory.hosts) {
    add(haproxyProbe(host));
    add(nginxProbe(host));
    queuesProbes(host).forEach(add);
    add(alertsProbe(inventory.hosts, host));
  }
  return probes;
}
