// Console figures for `baton bench`: the real app mounted on an in-memory
// terminal that timestamps and counts every byte Ink writes, fed by a real
// session (real sshd fleet). Import this module only after the environment
// is set (see bench-command.ts): Ink and chalk read it at import.
import { createConsoleApp, mountConsoleApp } from '../../ui/run-console.js';
import type { Session } from '../session.js';
import { keyboard, RecordingTerminal } from './recording-terminal.js';
import { percentile } from './stats.js';

export interface ConsoleFigures {
  keyP50Ms: number;
  keyP95Ms: number;
  keysWithoutFrame: number;
  idleBytesPerSecond: number;
  unchangedRefreshBytes: number;
  rssMb: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RecordedConsole {
  terminal: RecordingTerminal;
  stdin: NodeJS.ReadStream;
  unmount(): void;
}

/** The console on the session's store, drawn on a recording terminal as the operator would see it. */
export function mountRecordedConsole(session: Session, size = { columns: 120, rows: 40 }): RecordedConsole {
  const terminal = new RecordingTerminal(size.columns, size.rows);
  const stdin = keyboard();
  const stdout = terminal as unknown as NodeJS.WriteStream;
  const app = createConsoleApp({
    store: session.store,
    intervalMs: 1000,
    refreshNow: () => session.monitor.refreshNow(),
    fetchHostLog: () => Promise.resolve(''),
    viewName: 'hosts',
    colour: true,
    stdout,
    stdin,
    size,
    configDir: '/nonexistent',
  });
  const instance = mountConsoleApp(app, stdout, stdin);
  return { terminal, stdin, unmount: () => instance.unmount() };
}

/**
 * With the session's monitor stopped (so data frames do not mix with key
 * frames): keystroke-to-frame latency over `keys` j/k presses, bytes for a
 * refresh that changes no value and for the second after it (the clock).
 * RSS is read with everything mounted.
 */
export async function measureConsole(session: Session, keys: number): Promise<ConsoleFigures> {
  const { terminal, stdin, unmount } = mountRecordedConsole(session);
  try {
    await settle(1500);
    const rssMb = process.memoryUsage().rss / 2 ** 20;
    const latencies: number[] = [];
    let missed = 0;
    for (let i = 0; i < keys; i++) {
      await settle(40);
      const frame = terminal.nextWrite(1000);
      const t0 = performance.now();
      stdin.write(i % 20 < 10 ? 'j' : 'k');
      if (await frame) latencies.push(performance.now() - t0);
      else missed++;
    }
    // A refresh whose values are all unchanged (the same metrics, now), then
    // the next second with nothing new: only the clock should be written.
    const state = session.store.getState();
    const refresh = () => {
      const at = Date.now();
      state.applyUpdates(Object.values(state.hosts).flatMap((h) => (h.metrics ? [{ hostId: h.spec.id, kind: 'metrics' as const, metrics: h.metrics, at }] : [])));
    };
    refresh(); // data fresh again after the key loop: ages and stale badges settle
    await settle(1100 - (Date.now() % 1000)); // just after a clock tick
    const before = terminal.bytes;
    refresh();
    await settle(300);
    const unchangedRefreshBytes = terminal.bytes - before;
    const idleStart = terminal.bytes;
    await settle(1000);
    const idleBytesPerSecond = terminal.bytes - idleStart;
    return {
      keyP50Ms: percentile(latencies, 50),
      keyP95Ms: percentile(latencies, 95),
      keysWithoutFrame: missed,
      idleBytesPerSecond,
      unchangedRefreshBytes,
      rssMb,
    };
  } finally {
    unmount();
  }
}
