// The `alerts` section of `--once --json`: every alert the Alerts pane
// shows, flat, marked by source (alertmanager, prometheus, baton).
import { alertRows } from '../store/alerts.js';
import type { BatonState } from '../store/types.js';

export interface SnapshotAlert {
  source: string;
  name: string;
  severity: string;
  /** firing, pending, silenced or inhibited. */
  state: string;
  startsAt: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The inventory host it names, if one matches. */
  host: string | null;
  silencedBy: string[];
}

export function alertsOf(state: BatonState): SnapshotAlert[] {
  return alertRows(state).map((r) => ({
    source: r.source,
    name: r.name,
    severity: r.severity,
    state: r.state,
    startsAt: r.startsAt,
    labels: r.labels,
    annotations: r.annotations,
    host: r.hostId ?? null,
    silencedBy: r.silencedBy,
  }));
}
