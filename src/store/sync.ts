// Sync sets as the sync poller writes them: per set, the last drift reading
// (its type, HostDrift[], belongs to ops/sync; the store only keeps the
// envelope), whether a check is running, and how often one was asked for.
export interface SyncSetState {
  name: string;
  /** A check of this set is running on the hosts. */
  checking: boolean;
  /** The last reading: HostDrift[] (ops/sync/drift.ts). */
  drift?: unknown;
  checkedAt?: number;
  /** The last check failed as a whole (the source unreadable, say). */
  error?: { message: string; at: number };
}

export interface SyncState {
  sets: Record<string, SyncSetState>;
  /** Bumped by "check now" (the Sync pane's r or c); the poller re-checks on each bump. */
  recheckAsked: number;
}

export type SyncUpdate = { set: string; type: 'checking' } | { set: string; type: 'drift'; at: number; drift: unknown } | { set: string; type: 'error'; at: number; message: string };

export function initialSyncState(names: readonly string[]): SyncState {
  return { sets: Object.fromEntries(names.map((name) => [name, { name, checking: false }])), recheckAsked: 0 };
}

export function applySyncUpdate(sync: SyncState, u: SyncUpdate): SyncState {
  const current = sync.sets[u.set];
  if (!current) return sync;
  const next: SyncSetState =
    u.type === 'checking'
      ? { ...current, checking: true }
      : u.type === 'drift'
        ? { ...current, checking: false, drift: u.drift, checkedAt: u.at, error: undefined }
        : { ...current, checking: false, error: { message: u.message, at: u.at } };
  return { ...sync, sets: { ...sync.sets, [u.set]: next } };
}
