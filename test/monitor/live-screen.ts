// The console mounted with ink-testing-library on a live session's store (the
// real lab's data, the real clock), as test/ui mounts it on fixture stores.
import type { BatonStore } from '../../src/store/store.js';
import { waitFor } from '../helpers/wait-for.js';
import { mount, screen, type Mounted } from '../ui/render-app.js';

export function mountLive(store: BatonStore, viewName: string, intervalMs: number, size = { columns: 160, rows: 60 }): Mounted {
  return mount(store, { viewName, size, intervalMs, clock: Date.now });
}

/** Resolves with the screen once it matches; on timeout the error carries the last screen. */
export function waitForScreen(m: Mounted, pattern: RegExp, timeoutMs: number, what: string): Promise<string> {
  return waitFor(
    () => {
      const s = screen(m);
      if (pattern.test(s)) return s;
      throw new Error(`last screen:\n${s}`);
    },
    timeoutMs,
    `${what} on screen`,
  );
}
