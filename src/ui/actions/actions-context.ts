// What the console's action parts reach: the command layer (absent when the
// console runs without one, e.g. the benchmark), the progress store the
// Actions pane draws, and the dialog store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { ActionsState, ActionsStore } from '../../store/actions.js';
import type { ActionService } from './action-service.js';
import type { DialogState, DialogStore } from './dialog-store.js';

export interface ActionsUi {
  service?: ActionService;
  progress: ActionsStore;
  dialogs: DialogStore;
}

export const ActionsContext = createContext<ActionsUi | null>(null);

export function useActionsUi(): ActionsUi {
  const value = useContext(ActionsContext);
  if (!value) throw new Error('action components must be rendered inside <App>');
  return value;
}

export function useDialog<T>(selector: (s: DialogState) => T): T {
  return useStore(useActionsUi().dialogs, selector);
}

export function useProgress<T>(selector: (s: ActionsState) => T): T {
  return useStore(useActionsUi().progress, selector);
}
