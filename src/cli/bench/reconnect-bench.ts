// The cost of a fleet-wide reconnect, for `baton bench`: the console (its
// own process, live monitor, hosts view on a recording terminal) is measured
// for a window while every host is up, then every host's sshd is killed and
// started again, and once all have reconnected it is measured again. Screen
// writes and CPU should be what they were: hosts that came back at scattered
// moments poll on the common tick again (monitor/tick.ts) instead of each
// drawing a frame of its own. Import only after consoleChildEnvironment().
import type { Session } from '../session.js';
import { mountRecordedConsole } from './console-bench.js';
import type { RecordingTerminal } from './recording-terminal.js';

export interface WindowFigures {
  seconds: number;
  writes: number;
  bytes: number;
  /** Console CPU (user + system) over the window. */
  cpuSeconds: number;
}

export interface ReconnectFigures {
  hosts: number;
  before: WindowFigures;
  /** From the first host seen down to the last one up again. */
  reconnectMs: number;
  after: WindowFigures;
}

/** Printed when the first window is done: the parent kills and restarts the fleet then. */
export const STEADY_LINE = 'steady: kill the fleet now';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, timeoutMs: number, done: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await settle(100);
  }
}

async function measureWindow(terminal: RecordingTerminal, seconds: number): Promise<WindowFigures> {
  const cpu0 = process.cpuUsage();
  const writes0 = terminal.writes;
  const bytes0 = terminal.bytes;
  await settle(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  return { seconds, writes: terminal.writes - writes0, bytes: terminal.bytes - bytes0, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** `announce` is called between the windows; the fleet must go down and come back after it. */
export async function measureReconnect(session: Session, windowSeconds: number, announce: () => void): Promise<ReconnectFigures> {
  const { store, monitor } = session;
  const ids = Object.keys(store.getState().hosts);
  const allUp = () => ids.every((id) => store.getState().hosts[id]?.conn === 'up');
  const recorded = mountRecordedConsole(session);
  try {
    monitor.start();
    await until('every host up', 120_000, allUp);
    // Connections open a few at a time: let every host reach the common tick.
    await settle(3000);
    const before = await measureWindow(recorded.terminal, windowSeconds);

    const wentDown = new Set<string>();
    let firstDown = 0;
    const unsubscribe = store.subscribe((s) => {
      for (const id of ids) {
        if (s.hosts[id]?.conn === 'up' || wentDown.has(id)) continue;
        wentDown.add(id);
        firstDown ||= Date.now();
      }
    });
    announce();
    await until('every host down and up again', 300_000, () => wentDown.size === ids.length && allUp());
    const reconnectMs = Date.now() - firstDown;
    unsubscribe();
    // The poll right after a reconnect comes at once; the next ones are on the tick.
    await settle(3000);
    const after = await measureWindow(recorded.terminal, windowSeconds);
    return { hosts: ids.length, before, reconnectMs, after };
  } finally {
    recorded.unmount();
  }
}
