// The live context actions plan and verify against, over the console's
// store: read when used, never a copy taken at the start.
import type { BatonStore } from '../../store/store.js';
import type { Transport } from '../../transport/types.js';
import type { LiveContext } from './registry.js';

/** A live context over the store as it is when read (the monitor's transports): verify sees the state after the run, not at its start. */
export function liveFromStore(store: BatonStore, transports: ReadonlyMap<string, Transport>, now: () => number = Date.now): LiveContext {
  return {
    get state() {
      return store.getState();
    },
    get inventory() {
      return store.getState().inventory;
    },
    transports,
    now,
  };
}
