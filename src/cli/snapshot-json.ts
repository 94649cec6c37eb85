// The documented `--once --json` object. Scripts rely on this shape: add
// fields freely, never rename or remove one (bump `version` if you must).
import type { BatonState, HostState } from '../store/types.js';
import { hostList } from '../store/selectors.js';
import type { HostMetrics } from '../probes/host-metrics.js';
import type { QueueServiceSnapshot } from '../probes/queues/queue-service.js';
import { type Notice, type ServiceKind, type ServiceState } from '../store/services.js';
import { checksOf, devicesOf, type SnapshotCheck, type SnapshotDevice } from './snapshot-watches.js';
import { replicationSetsOf, type SnapshotReplicationSet } from './snapshot-databases.js';
import { alertsOf, type SnapshotAlert } from './snapshot-alerts.js';

export const SNAPSHOT_VERSION = 1;

export interface SnapshotHost {
  id: string;
  address: string;
  port: number;
  user: string;
  transport: string;
  tags: Record<string, string>;
  groups: string[];
  state: string;
  stateSince: string;
  error: string | null;
  hint: string | null;
  hostKeyFingerprint: string | null;
  updatedAt: string | null;
  unsupported: string | null;
  metrics: HostMetrics | null;
}

/** One Pacemaker cluster, LB, etcd cluster, NGINX or broker, as its pane shows it. */
export interface SnapshotService {
  key: string;
  candidates: string[];
  answeredBy: string | null;
  via: string | null;
  updatedAt: string | null;
  ageSeconds: number | null;
  error: string | null;
  alerts: Notice[];
  /** The probe's parsed data; its shape is documented in README per service. */
  data: unknown;
}

export interface Snapshot {
  version: number;
  takenAt: string;
  inventory: { name: string; format: string; file: string | null };
  summary: { hosts: number; up: number };
  hosts: SnapshotHost[];
  pacemaker: SnapshotService[];
  haproxy: SnapshotService[];
  etcd: SnapshotService[];
  nginx: SnapshotService[];
  /** Each broker: which host answered, data age, error; its queues are in `queues`. */
  brokers: SnapshotService[];
  queues: SnapshotQueue[];
  /** HTTP health checks (`checks:`), in inventory order. */
  checks: SnapshotCheck[];
  /** Network devices (`devices:`), in inventory order. */
  devices: SnapshotDevice[];
  /** Alertmanager's and Prometheus's alerts, then baton's own, each marked by `source`. */
  alerts: SnapshotAlert[];
  /** PostgreSQL replication sets: which servers answer as primary, and each server. */
  postgresql: SnapshotReplicationSet<SnapshotService>[];
  /** MySQL/MariaDB replication sets, the same way (a primary: no channel and read_only OFF). */
  mysql: SnapshotReplicationSet<SnapshotService>[];
}

/** One queue of one broker, flat, for scripts and checks. */
export interface SnapshotQueue {
  broker: string;
  host: string;
  name: string;
  kind: string;
  depth: number | null;
  pending: number | null;
  lag: number | null;
  /** RabbitMQ: ready for delivery and delivered-not-acked (null for Redis). */
  ready: number | null;
  unacked: number | null;
  /** True for the inventory's dead-letter queues and lists. */
  deadLetter: boolean;
  consumers: number | null;
  inRate: number | null;
  outRate: number | null;
  /** Depth slope, messages per second (positive: growing). */
  trend: number | null;
  drain: string;
  timeToDrainSeconds: number | null;
  oldestAgeMs: number | null;
  error: string | null;
  alerts: Notice[];
}

const iso = (t: number | undefined): string | null => (t === undefined ? null : new Date(t).toISOString());

function hostEntry(h: HostState): SnapshotHost {
  const failing = h.conn !== 'up';
  return {
    id: h.spec.id,
    address: h.spec.address,
    port: h.spec.port,
    user: h.spec.user,
    transport: h.spec.transport,
    tags: h.spec.tags,
    groups: h.spec.groups,
    state: h.conn,
    stateSince: new Date(h.stateSince).toISOString(),
    error: failing ? (h.lastError?.message ?? null) : null,
    hint: failing ? (h.lastError?.hint ?? null) : null,
    hostKeyFingerprint: h.hostKeyFingerprint ?? null,
    updatedAt: iso(h.updatedAt),
    unsupported: h.unsupported ?? null,
    metrics: h.metrics ?? null,
  };
}

/** A host whose probe ran but could not reach its broker still yields a snapshot (queues may be listed): the failure is the service's error too. */
function brokerError(s: ServiceState): string | undefined {
  return s.kind === 'queues' ? (s.snapshot as QueueServiceSnapshot | undefined)?.error : undefined;
}

function serviceEntry(s: ServiceState, takenAt: number): SnapshotService {
  return {
    key: s.key,
    candidates: s.candidates,
    answeredBy: s.answeredBy ?? null,
    via: s.via ?? null,
    updatedAt: iso(s.updatedAt),
    ageSeconds: s.updatedAt === undefined ? null : Math.max(0, (takenAt - s.updatedAt) / 1000),
    error: s.error?.message ?? brokerError(s) ?? null,
    alerts: s.alerts,
    data: s.snapshot ?? null,
  };
}

function servicesOf(state: BatonState, kind: ServiceKind, takenAt: number): SnapshotService[] {
  return Object.values(state.services)
    .filter((s) => s.kind === kind)
    .map((s) => serviceEntry(s, takenAt));
}

function queuesOf(state: BatonState): SnapshotQueue[] {
  return Object.values(state.services)
    .filter((s) => s.kind === 'queues' && s.snapshot !== undefined)
    .flatMap((s) => {
      const snap = s.snapshot as QueueServiceSnapshot;
      return snap.queues.map((q) => ({
        broker: q.broker,
        host: s.answeredBy ?? s.key,
        name: q.name,
        kind: q.kind,
        depth: q.depth,
        pending: q.pending ?? null,
        lag: q.lag ?? null,
        ready: q.ready ?? null,
        unacked: q.unacked ?? null,
        deadLetter: q.deadLetter,
        consumers: q.consumers,
        inRate: q.inRate,
        outRate: q.outRate,
        trend: q.trend,
        drain: q.drain,
        timeToDrainSeconds: q.timeToDrainSeconds,
        oldestAgeMs: q.oldestAgeMs,
        error: q.error ?? null,
        alerts: snap.alerts.filter((a) => a.queue === q.name).map(({ severity, message }) => ({ severity, message })),
      }));
    });
}

export function buildSnapshot(state: BatonState, takenAt: number): Snapshot {
  const hosts = hostList(state).map(hostEntry);
  const services = (k: ServiceKind) => servicesOf(state, k, takenAt);
  return {
    version: SNAPSHOT_VERSION,
    takenAt: new Date(takenAt).toISOString(),
    inventory: { name: state.inventory.name, format: state.inventory.format, file: state.inventory.file ?? null },
    summary: { hosts: hosts.length, up: hosts.filter((h) => h.state === 'up').length },
    hosts,
    pacemaker: services('pacemaker'),
    haproxy: services('haproxy'),
    etcd: services('etcd'),
    nginx: services('nginx'),
    brokers: services('queues'),
    queues: queuesOf(state),
    checks: checksOf(state),
    devices: devicesOf(state),
    alerts: alertsOf(state),
    postgresql: replicationSetsOf(state, 'postgresql', (s) => serviceEntry(s, takenAt)),
    mysql: replicationSetsOf(state, 'mysql', (s) => serviceEntry(s, takenAt)),
  };
}

/** 0 when every host is up, 2 when some are not (1 is for usage and inventory errors). */
export function snapshotExitCode(snapshot: Snapshot): number {
  return snapshot.summary.up === snapshot.summary.hosts ? 0 : 2;
}
