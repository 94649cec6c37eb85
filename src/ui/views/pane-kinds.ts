// The panes a view may place, and the table columns each one knows. Kept
// apart from the React panes so view files validate without loading Ink.
import type { ServiceKind } from '../../store/services.js';

export const PANE_KINDS = ['hosts', 'cluster-load', 'events', 'pacemaker', 'haproxy', 'etcd', 'nginx', 'queues', 'deploy', 'actions', 'drill', 'sync', 'checks', 'network', 'alerts', 'databases'] as const;
export type PaneKind = (typeof PANE_KINDS)[number];

export const HOST_COLUMNS = [
  'state', 'host', 'address', 'load', 'cores', 'cpu', 'mem', 'swap', 'disk', 'rx', 'tx', 'uptime', 'age', 'os', 'kernel', 'groups', 'tags',
] as const;
export type HostColumnId = (typeof HOST_COLUMNS)[number];
export const DEFAULT_HOST_COLUMNS: readonly HostColumnId[] = ['state', 'host', 'load', 'cpu', 'mem', 'disk', 'rx', 'tx', 'uptime', 'tags'];

export const EVENT_COLUMNS = ['time', 'severity', 'host', 'source', 'message'] as const;
export type EventColumnId = (typeof EVENT_COLUMNS)[number];
export const DEFAULT_EVENT_COLUMNS: readonly EventColumnId[] = EVENT_COLUMNS;

/** Columns per table pane; panes without a table take no `columns`. */
export const PANE_COLUMNS: Partial<Record<PaneKind, readonly string[]>> = {
  hosts: HOST_COLUMNS,
  events: EVENT_COLUMNS,
};

export const PANE_TITLES: Record<PaneKind, string> = {
  hosts: 'Hosts',
  'cluster-load': 'Cluster load',
  events: 'Events',
  pacemaker: 'Pacemaker',
  haproxy: 'HAProxy',
  etcd: 'etcd',
  nginx: 'NGINX',
  queues: 'Queues',
  deploy: 'Deploy',
  actions: 'Actions',
  drill: 'Drill',
  sync: 'Sync',
  checks: 'Checks',
  network: 'Network',
  alerts: 'Alerts',
  databases: 'Databases',
};

/** The service kinds a pane draws: with `ifConfigured` it shows only when the inventory declares one of them. */
export const PANE_SERVICES: Partial<Record<PaneKind, readonly ServiceKind[]>> = {
  pacemaker: ['pacemaker'],
  haproxy: ['haproxy'],
  etcd: ['etcd'],
  nginx: ['nginx'],
  queues: ['queues'],
  alerts: ['alerts'],
  databases: ['postgresql', 'mysql'],
};
