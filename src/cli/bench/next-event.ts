// When a store first shows an event the bench waits for: the moment baton
// noticed, on the clock the bench compares with the truth (performance.now()).
import type { BatonEvent } from '../../store/types.js';
import type { Session } from '../session.js';

/** Resolves with the time the first new event matching `match` reaches the store, or null after `timeoutMs`. */
export function nextEvent(session: Session, match: (e: BatonEvent) => boolean, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const seen = new Set(session.store.getState().events.map((e) => e.id));
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(null);
    }, timeoutMs);
    const unsubscribe = session.store.subscribe((state) => {
      if (!state.events.some((e) => !seen.has(e.id) && match(e))) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(performance.now());
    });
  });
}
