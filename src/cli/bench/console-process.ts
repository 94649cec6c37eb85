// The console figures are taken in a process of their own, as an operator
// runs the console: the bench process also drives the sshd fleet and has run
// the other phases, and its heap would count in the resident memory.
import { openSession } from '../session.js';
import { consoleChildEnvironment, runBenchChild } from './bench-child.js';
import { benchSessionOptions } from './bench-session.js';
import type { ConsoleFigures } from './console-bench.js';

export interface ConsoleRun {
  /** Hosts that answered the first poll. */
  up: number;
  connectMs: number;
  figures: ConsoleFigures;
}

/** Child side (`baton bench-console`, hidden): connect, measure, print one JSON line. */
export async function runConsoleMeasurement(inventory: string, knownHosts: string, keys: number): Promise<number> {
  consoleChildEnvironment();
  const { measureConsole } = await import('./console-bench.js');
  const session = await openSession(benchSessionOptions(inventory, knownHosts));
  const t0 = performance.now();
  const up = (await session.monitor.pollAll()).filter(Boolean).length;
  await session.monitor.pollAll();
  const connectMs = performance.now() - t0;
  const figures = await measureConsole(session, keys);
  await session.monitor.stop();
  const run: ConsoleRun = { up, connectMs, figures };
  process.stdout.write(`${JSON.stringify(run)}\n`);
  return 0;
}

/** Parent side: runs the measurement in a new process and returns what it printed. */
export function measureConsoleInChild(inventory: string, knownHosts: string, keys: number): Promise<ConsoleRun> {
  return runBenchChild<ConsoleRun>(['bench-console', inventory, knownHosts, String(keys)]);
}
