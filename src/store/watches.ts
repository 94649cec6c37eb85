// HTTP health checks and network devices: one entry per inventory item, as
// the watch pollers write it. Result types stay with their probes; the store
// keeps the envelope and the availability summary the monitor derived.
import type { AvailabilitySummary } from '../probes/availability.js';

export type WatchKind = 'check' | 'device';

export interface WatchState {
  kind: WatchKind;
  name: string;
  /** The host it runs from, or `local` (baton's machine). */
  from: string;
  /** The latest probe's parsed result (HttpCheckResult or DeviceProbeResult). */
  result?: unknown;
  summary?: AvailabilitySummary;
  updatedAt?: number;
  /** The probe could not run (its host down, no curl/ping there, output cut off): neither up nor down. */
  error?: { message: string; raw?: string; at: number };
}

export type WatchesState = Record<string, WatchState>;

export const watchId = (kind: WatchKind, name: string): string => `${kind}:${name}`;

export type WatchUpdate =
  | { kind: WatchKind; name: string; type: 'result'; at: number; result: unknown; summary: AvailabilitySummary }
  | { kind: WatchKind; name: string; type: 'error'; at: number; message: string; raw?: string };

export function applyWatchUpdate(watches: WatchesState, u: WatchUpdate): WatchesState {
  const id = watchId(u.kind, u.name);
  const current = watches[id];
  if (!current) return watches;
  const next: WatchState =
    u.type === 'result' ? { ...current, result: u.result, summary: u.summary, updatedAt: u.at, error: undefined } : { ...current, error: { message: u.message, raw: u.raw, at: u.at } };
  return { ...watches, [id]: next };
}

/** The entries of one kind, in inventory order. */
export function watchesOf(watches: WatchesState, kind: WatchKind): WatchState[] {
  return Object.values(watches).filter((w) => w.kind === kind);
}
