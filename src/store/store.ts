// The only shared state. The monitor writes batches of host updates; the UI
// and --once read snapshots. Kept free of I/O so tests drive it directly.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Inventory } from '../inventory/types.js';
import type { ConnState } from '../transport/types.js';
import { emptyRing, pushRing } from './ring.js';
import { applyServiceUpdate, serviceId, type ServiceKind, type ServicesState } from './services.js';
import { applySyncUpdate, initialSyncState } from './sync.js';
import type { BatonEvent, BatonState, HostState, HostUpdate, Severity } from './types.js';
import { applyWatchUpdate, watchId, type WatchesState, type WatchKind } from './watches.js';

export const HISTORY_POINTS = 300;
export const MAX_EVENTS = 1000;

export type BatonStore = StoreApi<BatonState>;

export interface StoreOptions {
  readOnly?: boolean;
  now?: () => number;
  /** Services the monitor will poll, so panes can say "waiting" rather than "not configured". */
  services?: ReadonlyArray<{ kind: ServiceKind; key: string; candidates: string[] }>;
  /** Checks and devices the monitor will probe, likewise. */
  watches?: ReadonlyArray<{ kind: WatchKind; name: string; from: string }>;
}

function severityOf(conn: ConnState): Severity {
  if (conn === 'up') return 'info';
  if (conn === 'connecting') return 'info';
  if (conn === 'command-failed' || conn === 'timed-out') return 'warn';
  return 'crit';
}

/** Disks that stop answering while the host does (df on a dead mount), and that answer again, are events. */
function diskEvent(host: HostState, u: Extract<HostUpdate, { kind: 'metrics' }>, emit: (e: Omit<BatonEvent, 'id'>) => void): void {
  const [was, is] = [host.metrics?.disksProblem ?? null, u.metrics.disksProblem];
  if (was?.kind === is?.kind) return;
  const id = host.spec.id;
  if (is === null) emit({ at: u.at, hostId: id, source: 'host', severity: 'info', message: `${id} disks answer again` });
  else emit({ at: u.at, hostId: id, source: 'host', severity: 'warn', message: `${id} disks ${is.kind === 'timed-out' ? 'timed out' : 'unreadable'}: ${is.message}; next try in ${Math.round((is.retryAt - u.at) / 1000)} s` });
}

export function createBatonStore(inventory: Inventory, options: StoreOptions = {}): BatonStore {
  const now = options.now ?? Date.now;
  const startedAt = now();
  let nextEventId = 1;
  const hosts: Record<string, HostState> = {};
  for (const spec of inventory.hosts) {
    hosts[spec.id] = { spec, conn: 'connecting', stateSince: startedAt, history: emptyRing(HISTORY_POINTS) };
  }

  const services: ServicesState = {};
  for (const s of options.services ?? []) services[serviceId(s.kind, s.key)] = { kind: s.kind, key: s.key, candidates: [...s.candidates], alerts: [] };

  const watches: WatchesState = {};
  for (const w of options.watches ?? []) watches[watchId(w.kind, w.name)] = { kind: w.kind, name: w.name, from: w.from };

  return createStore<BatonState>()((set, get) => {
    const prependEvents = (events: BatonEvent[], fresh: BatonEvent[]): BatonEvent[] => {
      if (fresh.length === 0) return events;
      const merged = fresh.reverse().concat(events);
      return merged.length > MAX_EVENTS ? merged.slice(0, MAX_EVENTS) : merged;
    };
    const makeEvent = (e: Omit<BatonEvent, 'id'>): BatonEvent => ({ ...e, id: nextEventId++ });

    return {
      inventory,
      hosts,
      order: inventory.hosts.map((h) => h.id),
      events: [],
      services,
      watches,
      sync: initialSyncState((inventory.sync ?? []).map((s) => s.name)),
      readOnly: options.readOnly ?? false,

      applyUpdates(updates) {
        if (updates.length === 0) return;
        const current = get().hosts;
        const next: Record<string, HostState> = { ...current };
        const fresh: BatonEvent[] = [];
        for (const u of updates) {
          const host = next[u.hostId];
          if (!host) continue;
          next[u.hostId] = applyOne(host, u, (e) => fresh.push(makeEvent(e)));
        }
        set({ hosts: next, events: prependEvents(get().events, fresh) });
      },

      applyServiceUpdates(updates, events) {
        if (updates.length === 0 && events.length === 0) return;
        let next = get().services;
        for (const u of updates) next = applyServiceUpdate(next, u);
        set({ services: next, events: prependEvents(get().events, events.map(makeEvent)) });
      },

      applyWatchUpdates(updates, events) {
        if (updates.length === 0 && events.length === 0) return;
        let next = get().watches;
        for (const u of updates) next = applyWatchUpdate(next, u);
        set({ watches: next, events: prependEvents(get().events, events.map(makeEvent)) });
      },

      addEvent(event) {
        set({ events: prependEvents(get().events, [makeEvent(event)]) });
      },

      applySyncUpdate(update) {
        set({ sync: applySyncUpdate(get().sync, update) });
      },

      askSyncRecheck() {
        set({ sync: { ...get().sync, recheckAsked: get().sync.recheckAsked + 1 } });
      },
    };
  });
}

function applyOne(host: HostState, u: HostUpdate, emit: (e: Omit<BatonEvent, 'id'>) => void): HostState {
  switch (u.kind) {
    case 'conn': {
      if (u.conn === host.conn) return u.fingerprint ? { ...host, hostKeyFingerprint: u.fingerprint } : host;
      const reason = u.reason ? `: ${u.reason}` : '';
      emit({
        at: u.at,
        hostId: host.spec.id,
        source: 'host',
        severity: severityOf(u.conn),
        message: `${host.spec.id} ${host.conn} -> ${u.conn}${reason}`,
      });
      return {
        ...host,
        conn: u.conn,
        stateSince: u.at,
        hostKeyFingerprint: u.fingerprint ?? host.hostKeyFingerprint,
        lastError: u.conn === 'up' ? host.lastError : { message: u.reason ?? u.conn, hint: u.hint, at: u.at },
      };
    }
    case 'metrics':
      diskEvent(host, u, emit);
      return {
        ...host,
        metrics: u.metrics,
        unsupported: undefined,
        updatedAt: u.at,
        history: pushRing(host.history, {
          at: u.at,
          load1: u.metrics.load1,
          cpuPercent: u.metrics.cpuPercent,
          memUsedPercent: u.metrics.memUsedPercent,
        }),
      };
    case 'unsupported':
      return { ...host, unsupported: u.system, updatedAt: u.at };
    case 'error':
      return { ...host, lastError: u.error };
  }
}
