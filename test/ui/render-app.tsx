// Mounts the console with ink-testing-library on a fixed size and clock.
import { render } from 'ink-testing-library';
import { join } from 'node:path';
import { createConsoleApp, type ConsoleAppOptions } from '../../src/ui/run-console.js';
import type { BatonStore } from '../../src/store/store.js';
import { INTERVAL, T0 } from './fixtures.js';

export const NO_USER_CONFIG = join(import.meta.dirname, 'no-such-config-dir');

export interface Mounted extends ReturnType<typeof render> {
  app: ReturnType<typeof createConsoleApp>;
  /** How often refreshNow and onQuit were called. */
  counters: { refreshes: number; quits: number };
}

export function mount(store: BatonStore, options: Partial<ConsoleAppOptions> = {}): Mounted {
  const counters = { refreshes: 0, quits: 0 };
  const app = createConsoleApp({
    store,
    intervalMs: INTERVAL,
    refreshNow: () => counters.refreshes++,
    fetchHostLog: () => Promise.resolve('Jan 15 03:00:00 web01 sshd[1]: Accepted publickey for ops\nJan 15 03:00:01 web01 CRON[2]: job done'),
    configDir: NO_USER_CONFIG,
    colour: true,
    // ink-testing-library's stdout is 100 columns wide.
    size: { columns: 100, rows: 30 },
    clock: () => T0 + 1000,
    ...options,
    onQuit: () => {
      counters.quits++;
      options.onQuit?.();
    },
  });
  const mounted = render(app.element);
  return Object.assign(mounted, { app, counters });
}

/** Lets Ink and React flush after a key press. */
export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Types keys one by one, each time waiting for the frame it causes (bounded:
 * a key that draws nothing costs 300 ms), so a loaded machine cannot make
 * an assertion look at the frame before.
 */
export async function press(m: Mounted, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    const before = m.frames.length;
    m.stdin.write(k);
    const deadline = Date.now() + 300;
    while (m.frames.length === before && Date.now() < deadline) await tick(5);
    await tick();
  }
}

export const KEYS = { down: '\x1b[B', up: '\x1b[A', enter: '\r', escape: '\x1b', tab: '\t', shiftTab: '\x1b[Z', pageDown: '\x1b[6~', backspace: '\x7f', ctrlC: '\x03' };

/** Last frame without colour escapes. */
export function screen(m: Mounted): string {
  // eslint-disable-next-line no-control-regex
  return (m.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, '');
}
