// Console figures for `baton bench`: the real app mounted on an in-memory
// terminal that timestamps and counts every byte Ink writes, fed by a real
// session (real sshd fleet). Import this module only after the environment
// is set (see bench-command.ts): Ink and chalk read it at import.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createConsoleApp, mountConsoleApp } from '../../ui/run-console.js';
import type { Session } from '../session.js';
import { percentile } from './stats.js';

/** A terminal that records when and how much is written. */
class RecordingTerminal extends EventEmitter {
  readonly isTTY = true;
  bytes = 0;
  private waiter: (() => void) | undefined;

  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }

  write(chunk: string | Uint8Array): boolean {
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
    return true;
  }

  /** Resolves at the next write (a frame), or after `timeoutMs`. */
  nextWrite(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(false);
      }, timeoutMs);
      this.waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }
}

function keyboard(): NodeJS.ReadStream {
  return Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined, ref: () => undefined, unref: () => undefined }) as unknown as NodeJS.ReadStream;
}

export interface ConsoleFigures {
  keyP50Ms: number;
  keyP95Ms: number;
  keysWithoutFrame: number;
  idleBytesPerSecond: number;
  unchangedRefreshBytes: number;
  rssMb: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * With the session's monitor stopped (so data frames do not mix with key
 * frames): keystroke-to-frame latency over `keys` j/k presses, bytes for a
 * refresh that changes no value and for the second after it (the clock).
 * RSS is read with everything mounted.
 */
export async function measureConsole(session: Session, keys: number, size = { columns: 120, rows: 40 }): Promise<ConsoleFigures> {
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
    instance.unmount();
  }
}
