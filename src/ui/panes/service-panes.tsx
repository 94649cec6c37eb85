// The HAProxy, Pacemaker, etcd, NGINX and queues panes: a ServicePane each, with
// the body that draws the probe's snapshot and the inventory role to add.
import { useCallback } from 'react';
import type { QueueSnapshot } from '../../probes/queues/queue-types.js';
import { serviceId } from '../../store/services.js';
import { etcdLines } from './etcd-lines.js';
import { haproxyLines } from './haproxy-lines.js';
import { nginxLines } from './nginx-lines.js';
import { pacemakerLines } from './pacemaker-lines.js';
import type { PaneProps } from './pane-props.js';
import { queueLines } from './queue-lines.js';
import { ServicePane, useServicesOf, type ServiceBody } from './service-pane.js';
import { useQueueHistory } from './use-queue-history.js';

const haproxyBody: ServiceBody = (snap, _s, ctx) => haproxyLines(snap, ctx);
const pacemakerBody: ServiceBody = (snap, _s, ctx) => pacemakerLines(snap, ctx);
const etcdBody: ServiceBody = (snap, _s, ctx) => etcdLines(snap, ctx);
const nginxBody: ServiceBody = (snap, _s, ctx) => nginxLines(snap, ctx);

export function HaproxyPane(props: PaneProps) {
  return <ServicePane {...props} kind="haproxy" configureHint="add roles: { haproxy: { socket: /run/haproxy/admin.sock } } to an LB host" body={haproxyBody} />;
}

export function PacemakerPane(props: PaneProps) {
  return <ServicePane {...props} kind="pacemaker" configureHint="add roles: { pacemaker: { cluster: <name> } } to the cluster's nodes" body={pacemakerBody} />;
}

export function EtcdPane(props: PaneProps) {
  return <ServicePane {...props} kind="etcd" configureHint="add roles: { etcd: { endpoint: http://127.0.0.1:2379 } } to the etcd members" body={etcdBody} />;
}

export function NginxPane(props: PaneProps) {
  return <ServicePane {...props} kind="nginx" configureHint="add roles: { nginx: { statusUrl: http://127.0.0.1/nginx-status } } to a web or LB host" body={nginxBody} />;
}

export function QueuesPane(props: PaneProps) {
  const derived = useQueueHistory(useServicesOf('queues'));
  const body = useCallback<ServiceBody>(
    (snap, s, ctx) => queueLines(snap as QueueSnapshot, derived.get(serviceId(s.kind, s.key)) ?? [], s.key, ctx),
    [derived],
  );
  return <ServicePane {...props} kind="queues" configureHint="add roles: { redis: { streams: [...], lists: [...] } } to a broker host" body={body} />;
}
