// Which component draws each pane kind, and the key hints it shows.
import type { ComponentType } from 'react';
import type { Action } from '../keymap/keymap.js';
import type { PaneKind } from '../views/pane-kinds.js';
import { ClusterLoadPane } from './cluster-load-pane.js';
import { EventsPane } from './events-pane.js';
import { HostsPane } from './hosts-pane.js';
import type { PaneProps } from './pane-props.js';
import { PlaceholderPane } from './placeholder-pane.js';
import { EtcdPane, HaproxyPane, PacemakerPane, QueuesPane } from './service-panes.js';

export interface PaneEntry {
  component: ComponentType<PaneProps>;
  /** Accepts `/`. */
  filterable: boolean;
  /** Actions worth a hint in the footer, in order. */
  hints: readonly Action[];
}

const LIST_HINTS: readonly Action[] = ['down', 'open', 'filter', 'sortNext'];
/** Service panes are reports: j/k scroll them when taller than their box. */
const SCROLL_HINTS: readonly Action[] = ['down'];

export const PANES: Record<PaneKind, PaneEntry> = {
  hosts: { component: HostsPane, filterable: true, hints: ['down', 'select', 'open', 'filter', 'sortNext'] },
  events: { component: EventsPane, filterable: true, hints: LIST_HINTS },
  'cluster-load': { component: ClusterLoadPane, filterable: false, hints: [] },
  pacemaker: { component: PacemakerPane, filterable: false, hints: SCROLL_HINTS },
  haproxy: { component: HaproxyPane, filterable: false, hints: SCROLL_HINTS },
  etcd: { component: EtcdPane, filterable: false, hints: SCROLL_HINTS },
  queues: { component: QueuesPane, filterable: false, hints: SCROLL_HINTS },
  deploy: { component: PlaceholderPane, filterable: false, hints: [] },
};
