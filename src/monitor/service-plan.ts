// Which services to poll, from the inventory's roles: one HAProxy entry per
// LB host (active/passive pairs side by side), one Pacemaker entry per
// cluster and one etcd entry per etcd cluster (any member answers), one
// NGINX entry per host.
import type { HostSpec, Inventory } from '../inventory/types.js';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../probes/haproxy.js';
import { haproxyAlerts, haproxyEvents } from '../probes/haproxy-alerts.js';
import { RedisQueueService, type QueueServiceSnapshot } from '../probes/queues/queue-service.js';
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

function queuesProbe(host: HostSpec): ServiceProbe<QueueServiceSnapshot> | undefined {
  const role = host.roles.redis;
  if (!role) return undefined;
  const service = new RedisQueueService(role);
  return {
    kind: 'queues',
    key: host.id,
    candidates: [host.id],
    command: () => service.command,
    parse: (output, takenAt) => service.parse(output, takenAt),
    alerts: (s) => s.alerts,
    events: RedisQueueService.events,
  };
}

export function planServices(inventory: Inventory): ServiceProbe[] {
  const probes: ServiceProbe[] = [];
  for (const host of inventory.hosts) {
    for (const probe of [haproxyProbe(host), queuesProbe(host)]) if (probe) probes.push(probe as ServiceProbe);
  }
  return probes;
}
