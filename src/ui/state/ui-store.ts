// Console-only state (focus, mode, filters, cursors, selection). A zustand
// store apart from the fleet store, so a keystroke re-renders only the
// components that read what it changed.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServiceKind } from '../../store/services.js';
import type { Severity } from '../../store/types.js';

/** 'dialog': an action dialog (src/ui/actions) has the keys. */
export type Mode = 'normal' | 'filter' | 'command' | 'help' | 'confirm-quit' | 'dialog';

export interface SortState {
  column: string;
  desc: boolean;
}

/** Cursor of a list: the row's id keeps it on the same host when rows re-sort. */
export interface Cursor {
  id?: string;
  index: number;
  top: number;
}

/** What fills the screen instead of the view: a host, or one item of a service (see service-items.ts). */
export type Detail = { kind: 'host'; hostId: string } | { kind: ServiceKind; serviceId: string; item: string };
export type ServiceDetail = Extract<Detail, { serviceId: string }>;

export interface UiMessage {
  text: string;
  severity: Severity;
}

export interface UiState {
  view: string;
  theme: string;
  /** Index into the current view's panes, row-major. */
  focus: number;
  mode: Mode;
  /** Shown full screen, if anything. */
  detail?: Detail;
  /** Pane kind the `/` input edits. */
  filterTarget?: string;
  /** Text being edited in filter or command mode. */
  input: string;
  /** Filter per pane kind. */
  filters: Record<string, string>;
  /** Per pane kind; null = inventory order chosen, undefined = the view's default. */
  sorts: Record<string, SortState | null | undefined>;
  cursors: Record<string, Cursor>;
  /** Host under the hosts cursor; the cluster chart follows it. */
  cursorHost?: string;
  selected: ReadonlySet<string>;
  message?: UiMessage;

  setView(name: string): void;
  setTheme(name: string): void;
  focusBy(step: number, paneCount: number): void;
  setMode(mode: Mode, input?: string): void;
  setInput(input: string): void;
  startFilter(target: string): void;
  setFilter(kind: string, text: string): void;
  setSort(kind: string, sort: SortState | null): void;
  setCursor(kind: string, cursor: Cursor): void;
  setCursorHost(id: string | undefined): void;
  toggleSelected(id: string): void;
  openDetail(hostId: string): void;
  openServiceDetail(detail: ServiceDetail): void;
  closeDetail(): void;
  showMessage(text: string, severity?: Severity): void;
  clearMessage(): void;
}

export type UiStore = StoreApi<UiState>;

export interface UiInit {
  view: string;
  theme: string;
  sorts?: Record<string, SortState | null | undefined>;
  message?: UiMessage;
}

export function createUiStore(init: UiInit): UiStore {
  return createStore<UiState>()((set, get) => ({
    view: init.view,
    theme: init.theme,
    focus: 0,
    mode: 'normal',
    input: '',
    filters: {},
    sorts: init.sorts ?? {},
    cursors: {},
    selected: new Set(),
    message: init.message,

    setView: (name) => set({ view: name, focus: 0, detail: undefined }),
    setTheme: (name) => set({ theme: name }),
    focusBy: (step, paneCount) => {
      if (paneCount <= 0) return;
      set({ focus: (((get().focus + step) % paneCount) + paneCount) % paneCount });
    },
    setMode: (mode, input = '') => set({ mode, input }),
    setInput: (input) => set({ input }),
    startFilter: (target) => set({ mode: 'filter', filterTarget: target, input: get().filters[target] ?? '' }),
    setFilter: (kind, text) => {
      if ((get().filters[kind] ?? '') === text) return;
      const cursor = get().cursors[kind];
      // A new filter starts from the top; the id still wins if it survives.
      set({ filters: { ...get().filters, [kind]: text }, cursors: cursor ? { ...get().cursors, [kind]: { ...cursor, index: 0, top: 0 } } : get().cursors });
    },
    setSort: (kind, sort) => set({ sorts: { ...get().sorts, [kind]: sort } }),
    setCursor: (kind, cursor) => {
      const old = get().cursors[kind];
      if (old && old.id === cursor.id && old.index === cursor.index && old.top === cursor.top) return;
      set({ cursors: { ...get().cursors, [kind]: cursor } });
    },
    setCursorHost: (id) => {
      if (get().cursorHost !== id) set({ cursorHost: id });
    },
    toggleSelected: (id) => {
      const next = new Set(get().selected);
      if (!next.delete(id)) next.add(id);
      set({ selected: next });
    },
    openDetail: (hostId) => set({ detail: { kind: 'host', hostId } }),
    openServiceDetail: (detail) => set({ detail }),
    closeDetail: () => set({ detail: undefined }),
    showMessage: (text, severity = 'info') => set({ message: { text, severity } }),
    clearMessage: () => {
      if (get().message) set({ message: undefined });
    },
  }));
}
