// Running and recent actions with per-host progress, for the Actions pane
// (and anything else that shows an action's progress). The engine's hooks
// feed it; it has no I/O. A store of its own: actions come and go at a
// different pace than the monitor's batches, and a console without actions
// never pays for it.
import { createStore, type StoreApi } from 'zustand/vanilla';

export type HostRunState = 'pending' | 'running' | 'ok' | 'failed' | 'unknown' | 'cancelled';
export type ActionRunState = 'running' | 'paused' | 'ok' | 'failed' | 'unknown' | 'rolled-back' | 'abandoned' | 'refused';

export interface HostProgress {
  state: HostRunState;
  startedAt?: number;
  endedAt?: number;
  /** The tail of the last step's output, for Enter on the host. */
  output?: string;
}

export interface ActionProgress {
  id: string;
  action: string;
  title: string;
  state: ActionRunState;
  startedAt: number;
  endedAt?: number;
  hosts: Record<string, HostProgress>;
  detail?: string;
}

export const MAX_RECENT_ACTIONS = 50;

export interface ActionsState {
  /** Newest first; running ones and the last MAX_RECENT_ACTIONS finished. */
  actions: ActionProgress[];
  begin(a: { id: string; action: string; title: string; hosts: readonly string[]; at: number }): void;
  host(id: string, host: string, update: HostProgress): void;
  setState(id: string, state: ActionRunState, at: number, detail?: string): void;
}

export type ActionsStore = StoreApi<ActionsState>;

export function createActionsStore(): ActionsStore {
  return createStore<ActionsState>()((set, get) => {
    const update = (id: string, change: (a: ActionProgress) => ActionProgress) =>
      set({ actions: get().actions.map((a) => (a.id === id ? change(a) : a)) });
    return {
      actions: [],
      begin({ id, action, title, hosts, at }) {
        const fresh: ActionProgress = { id, action, title, state: 'running', startedAt: at, hosts: Object.fromEntries(hosts.map((h) => [h, { state: 'pending' }])) };
        const rest = get().actions.filter((a) => a.id !== id);
        const finished = rest.filter((a) => a.state !== 'running' && a.state !== 'paused');
        const keep = new Set(finished.slice(MAX_RECENT_ACTIONS - 1).map((a) => a.id));
        set({ actions: [fresh, ...rest.filter((a) => !keep.has(a.id))] });
      },
      host(id, host, progress) {
        update(id, (a) => ({ ...a, hosts: { ...a.hosts, [host]: { ...a.hosts[host], ...progress } } }));
      },
      setState(id, state, at, detail) {
        const over = state !== 'running' && state !== 'paused';
        update(id, (a) => ({ ...a, state, detail: detail ?? a.detail, endedAt: over ? at : undefined }));
      },
    };
  });
}

/** Hosts finished (any outcome) and in total. */
export function actionCounts(a: ActionProgress): { done: number; total: number } {
  const states = Object.values(a.hosts);
  return { done: states.filter((h) => h.state !== 'pending' && h.state !== 'running').length, total: states.length };
}

/** Remaining time from the pace so far; undefined until a host finished. */
export function actionEtaMs(a: ActionProgress, now: number): number | undefined {
  const { done, total } = actionCounts(a);
  if (done === 0 || done === total) return done === total ? 0 : undefined;
  return ((now - a.startedAt) / done) * (total - done);
}
