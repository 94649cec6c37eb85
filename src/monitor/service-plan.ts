// Which services to poll, from the inventory's roles: one HAProxy entry per
// LB host (active/passive pairs side by side), one Pacemaker entry per
// cluster and one etcd entry per etcd cluster (any member answers), one
// NGINX entry per host.
import type { HostSpec, Inventory } from '../inventory/types.js';
import { haproxyProbeCommand, parseHaproxyProbe, type HaproxySnapshot } from '../probes/haproxy.js';
import { haproxyAlerts, haproxyEvents } from '../probes/haproxy-alerts.js';
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

export function planServices(inventory: Inventory): ServiceProbe[] {
  const probes: ServiceProbe[] = [];
  for (const host of inventory.hosts) {
    const haproxy = haproxyProbe(host);
    if (haproxy) probes.push(haproxy as ServiceProbe);
  }
  return probes;
}
