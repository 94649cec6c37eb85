// Which component draws each pane kind, and the key hints it shows.
import type { ComponentType } from 'react';
import { DeployPane } from '../deploy/deploy-pane.js';
import { DrillPane } from '../drills/drill-pane.js';
import type { Action } from '../keymap/keymap.js';
import { SyncPane } from '../sync/sync-pane.js';
import type { PaneKind } from '../views/pane-kinds.js';
import { ActionsPane } from './actions-pane.js';
import { AlertsPane } from './alerts-pane.js';
import { ClusterLoadPane } from './cluster-load-pane.js';
import { DatabasesPane } from './databases-pane.js';
import { EventsPane } from './events-pane.js';
import { HostsPane } from './hosts-pane.js';
import type { PaneProps } from './pane-props.js';
import { EtcdPane, HaproxyPane, NginxPane, PacemakerPane, QueuesPane } from './service-panes.js';
import { ChecksPane, NetworkPane } from './watch-panes.js';

export interface PaneEntry {
  component: ComponentType<PaneProps>;
  /** Accepts `/`. */
  filterable: boolean;
  /** Actions worth a hint in the footer, in order. */
  hints: readonly Action[];
}

const LIST_HINTS: readonly Action[] = ['down', 'open', 'filter', 'sortNext'];
/** Service panes are reports whose lines are cursor stops: Enter opens what the line shows. */
const SERVICE_HINTS: readonly Action[] = ['down', 'open'];

export const PANES: Record<PaneKind, PaneEntry> = {
  hosts: { component: HostsPane, filterable: true, hints: ['down', 'select', 'exec', 'open', 'filter', 'sortNext'] },
  events: { component: EventsPane, filterable: true, hints: LIST_HINTS },
  'cluster-load': { component: ClusterLoadPane, filterable: false, hints: [] },
  pacemaker: { component: PacemakerPane, filterable: false, hints: SERVICE_HINTS },
  haproxy: { component: HaproxyPane, filterable: false, hints: SERVICE_HINTS },
  etcd: { component: EtcdPane, filterable: false, hints: SERVICE_HINTS },
  nginx: { component: NginxPane, filterable: false, hints: SERVICE_HINTS },
  queues: { component: QueuesPane, filterable: false, hints: SERVICE_HINTS },
  deploy: { component: DeployPane, filterable: false, hints: ['pauseAction', 'abortAction'] },
  actions: { component: ActionsPane, filterable: false, hints: ['down', 'open', 'pauseAction', 'abortAction'] },
  drill: { component: DrillPane, filterable: false, hints: ['drill', 'abortAction'] },
  sync: { component: SyncPane, filterable: false, hints: ['down', 'open'] },
  checks: { component: ChecksPane, filterable: false, hints: ['down'] },
  network: { component: NetworkPane, filterable: false, hints: ['down'] },
  alerts: { component: AlertsPane, filterable: false, hints: ['down', 'open'] },
  databases: { component: DatabasesPane, filterable: false, hints: ['down', 'open'] },
};
