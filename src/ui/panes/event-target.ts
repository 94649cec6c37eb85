// What Enter on an event opens: for a service event (HAProxy, Pacemaker,
// etcd, NGINX, queues) the item its message names, else the service as a
// whole; for a host event, or a service no longer configured, the host that
// answered. Pure.
import type { EtcdSnapshot } from '../../probes/etcd-types.js';
import type { HaproxySnapshot } from '../../probes/haproxy.js';
import type { PacemakerSnapshot } from '../../probes/pacemaker-types.js';
import type { QueueSnapshot } from '../../probes/queues/queue-types.js';
import { serviceId, SERVICE_KINDS, type ServiceKind, type ServicesState, type ServiceState } from '../../store/services.js';
import type { BatonEvent } from '../../store/types.js';
import type { Detail } from '../state/ui-store.js';
import { mentionAt } from './detail-lines.js';
import { memberKey } from './etcd-lines.js';
import { itemId, SERVICE_ITEM } from './service-items.js';
import { alertItems } from './alerts-lines.js';
import type { AlertsSnapshot } from '../../probes/alertmanager.js';

/** An item of a service and the names messages call it by. */
interface NamedItem {
  item: string;
  names: string[];
}

/** The items each kind's pane opens, under the names its probe's events use. */
const NAMED_ITEMS: Record<ServiceKind, (snapshot: unknown) => NamedItem[]> = {
  haproxy: (snapshot) => {
    const s = snapshot as HaproxySnapshot;
    return [
      ...s.frontends.map((f) => ({ item: itemId('frontend', f.name), names: [f.name] })),
      ...s.backends.map((b) => ({ item: itemId('backend', b.name), names: [b.name] })),
      ...s.backends.flatMap((b) => b.servers.map((sv) => ({ item: itemId('server', `${sv.backend}/${sv.name}`), names: [`${sv.backend}/${sv.name}`] }))),
    ];
  },
  pacemaker: (snapshot) => {
    const s = snapshot as PacemakerSnapshot;
    const resource = (id: string, name: string) => ({ item: itemId('resource', id), names: [name] });
    // A failed action (named by its operation key) stands for its resource, as in the pane.
    return [...s.resources.map((r) => resource(r.id, r.id)), ...s.failures.map((f) => resource(f.resource, f.opKey)), ...s.nodes.map((n) => ({ item: itemId('node', n.name), names: [n.name] }))];
  },
  // Members are opened by id but named by name, else by client URL.
  etcd: (snapshot) => (snapshot as EtcdSnapshot).members.map((m) => ({ item: itemId('member', memberKey(m)), names: [m.name, m.endpoint ?? ''].filter((x) => x !== '') })),
  queues: (snapshot) => (snapshot as QueueSnapshot).queues.map((q) => ({ item: itemId('queue', q.name), names: [q.name] })),
  // An NGINX host has no items: its whole block is the service.
  nginx: () => [],
  alerts: (snapshot) => alertItems(snapshot as AlertsSnapshot),
  // A database server is one line of the Databases pane: no items to open.
  postgresql: () => [],
  mysql: () => [],
};

/** The service an event is about: its kind is the event's source and the poller prefixes messages with its key. */
function serviceOf(event: BatonEvent, services: ServicesState): ServiceState | undefined {
  if (!(SERVICE_KINDS as readonly string[]).includes(event.source)) return undefined;
  // Keys may prefix one another ("mq1", "mq1:rabbitmq"): the longest match wins.
  return Object.values(services)
    .filter((s) => s.kind === event.source && event.message.startsWith(`${s.key}: `))
    .sort((a, b) => b.key.length - a.key.length)[0];
}

/** The item named first in the message (the sentence's subject: "resource web moved: node1 -> node2"); SERVICE_ITEM if none. */
function itemNamedIn(message: string, items: readonly NamedItem[]): string {
  let best: { item: string; at: number; length: number } | undefined;
  for (const { item, names } of items) {
    for (const name of names) {
      const at = mentionAt(message, name);
      if (at < 0) continue;
      if (!best || at < best.at || (at === best.at && name.length > best.length)) best = { item, at, length: name.length };
    }
  }
  return best?.item ?? SERVICE_ITEM;
}

export function eventTarget(event: BatonEvent, services: ServicesState): Detail | undefined {
  const service = serviceOf(event, services);
  if (service) {
    const message = event.message.slice(service.key.length + 2);
    const item = service.snapshot === undefined ? SERVICE_ITEM : itemNamedIn(message, NAMED_ITEMS[service.kind](service.snapshot));
    return { kind: service.kind, serviceId: serviceId(service.kind, service.key), item };
  }
  return event.hostId === undefined ? undefined : { kind: 'host', hostId: event.hostId };
}
