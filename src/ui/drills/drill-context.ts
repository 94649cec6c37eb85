// The drill service for the console's drill parts; absent when the console
// runs without one (tests of other parts, the benchmark): D says so.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DrillService, DrillUiState } from './drill-service.js';

export const DrillContext = createContext<DrillService | undefined>(undefined);

export function useDrills(): DrillService | undefined {
  return useContext(DrillContext);
}

const EMPTY = createStore<DrillUiState>()(() => ({ current: undefined }));

export function useLiveDrill<T>(selector: (s: DrillUiState) => T): T {
  return useStore(useDrills()?.live ?? EMPTY, selector);
}
