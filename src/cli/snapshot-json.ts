// The documented `--once --json` object. Scripts rely on this shape: add
// fields freely, never rename or remove one (bump `version` if you must).
import type { BatonState, HostState } from '../store/types.js';
import { hostList } from '../store/selectors.js';
import type { HostMetrics } from '../probes/host-metrics.js';

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

export interface Snapshot {
  version: number;
  takenAt: string;
  inventory: { name: string; format: string; file: string | null };
  summary: { hosts: number; up: number };
  hosts: SnapshotHost[];
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

export function buildSnapshot(state: BatonState, takenAt: number): Snapshot {
  const hosts = hostList(state).map(hostEntry);
  return {
    version: SNAPSHOT_VERSION,
    takenAt: new Date(takenAt).toISOString(),
    inventory: { name: state.inventory.name, format: state.inventory.format, file: state.inventory.file ?? null },
    summary: { hosts: hosts.length, up: hosts.filter((h) => h.state === 'up').length },
    hosts,
  };
}

/** 0 when every host is up, 2 when some are not (1 is for usage and inventory errors). */
export function snapshotExitCode(snapshot: Snapshot): number {
  return snapshot.summary.up === snapshot.summary.hosts ? 0 : 2;
}
