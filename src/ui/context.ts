// What every console component may reach: the two stores, the services the
// CLI passes in, the loaded configuration. One context, set once by <App>.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { BatonStore } from '../store/store.js';
import type { BatonState } from '../store/types.js';
import type { Keymap } from './keymap/keymap.js';
import type { QueueBook } from './state/queue-book.js';
import type { UiState, UiStore } from './state/ui-store.js';
import { FALLBACK_THEME, type Theme } from './theme/theme.js';
import type { Thresholds } from './thresholds.js';
import type { ViewDef } from './views/view.js';

export interface ConsoleServices {
  store: BatonStore;
  ui: UiStore;
  intervalMs: number;
  thresholds: Thresholds;
  keymap: Keymap;
  /** Sorted for the number keys. */
  views: readonly ViewDef[];
  themes: ReadonlyMap<string, Theme>;
  /** Every broker's queue history since the console started. */
  queueBook: QueueBook;
  clock(): number;
  refreshNow(): void;
  fetchHostLog(hostId: string): Promise<string>;
  isActionRunning(): boolean;
  quit(): void;
}

export const ConsoleContext = createContext<ConsoleServices | null>(null);
export const ThemeContext = createContext<Theme>(FALLBACK_THEME);

export function useConsole(): ConsoleServices {
  const services = useContext(ConsoleContext);
  if (!services) throw new Error('console components must be rendered inside <App>');
  return services;
}

/** Subscribes to one slice of the fleet store; re-renders only when it changes. */
export function useBaton<T>(selector: (state: BatonState) => T): T {
  return useStore(useConsole().store, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useConsole().ui, selector);
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
