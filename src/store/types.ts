import type { Inventory, HostSpec } from '../inventory/types.js';
import type { ConnState } from '../transport/types.js';
import type { HostMetrics } from '../probes/host-metrics.js';
import type { Ring } from './ring.js';
import type { ServicesState, ServiceUpdate } from './services.js';
import type { WatchesState, WatchUpdate } from './watches.js';
import type { SyncState, SyncUpdate } from './sync.js';

export interface HistoryPoint {
  at: number;
  load1: number;
  cpuPercent: number | null;
  memUsedPercent: number;
}

export interface HostError {
  message: string;
  hint?: string;
  /** Raw output snippet when a parser rejected it. */
  raw?: string;
  at: number;
}

export interface HostState {
  spec: HostSpec;
  conn: ConnState;
  /** When `conn` last changed. */
  stateSince: number;
  metrics?: HostMetrics;
  /** Set when the host answered but is not a Linux host (e.g. "FreeBSD"). */
  unsupported?: string;
  history: Ring<HistoryPoint>;
  lastError?: HostError;
  /** When metrics last arrived. */
  updatedAt?: number;
  hostKeyFingerprint?: string;
}

import type { Severity } from '../probes/severity.js';

export type { Severity };

export interface BatonEvent {
  id: number;
  at: number;
  hostId?: string;
  /** Source of the event: 'host' for connection state changes, later 'haproxy', 'etcd', ... */
  source: string;
  severity: Severity;
  message: string;
}

/** One host's update as produced by the monitor; applied in batches. */
export type HostUpdate =
  | { hostId: string; kind: 'conn'; conn: ConnState; at: number; reason?: string; hint?: string; fingerprint?: string }
  | { hostId: string; kind: 'metrics'; metrics: HostMetrics; at: number }
  | { hostId: string; kind: 'unsupported'; system: string; at: number }
  | { hostId: string; kind: 'error'; error: HostError };

export interface BatonState {
  inventory: Inventory;
  hosts: Record<string, HostState>;
  /** Host ids in inventory order. */
  order: string[];
  /** Newest first, bounded. */
  events: BatonEvent[];
  /** Pacemaker, HAProxy, etcd, NGINX and queue state, by serviceId(kind, key). */
  services: ServicesState;
  /** Sync sets' drift, as the sync poller read it. */
  sync: SyncState;
  /** HTTP health checks and network devices, by watchId(kind, name). */
  watches: WatchesState;
  readOnly: boolean;
  applyUpdates(updates: readonly HostUpdate[]): void;
  /** Service snapshots and errors, with the events their probes derived. */
  applyServiceUpdates(updates: readonly ServiceUpdate[], events: readonly Omit<BatonEvent, 'id'>[]): void;
  /** Check and device results and errors, with the events derived from them. */
  applyWatchUpdates(updates: readonly WatchUpdate[], events: readonly Omit<BatonEvent, 'id'>[]): void;
  addEvent(event: Omit<BatonEvent, 'id'>): void;
  applySyncUpdate(update: SyncUpdate): void;
  /** Asks the sync poller for a check now. */
  askSyncRecheck(): void;
}

export type HostSpecList = readonly HostSpec[];
