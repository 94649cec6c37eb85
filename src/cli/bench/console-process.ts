// The console figures are taken in a process of their own, as an operator
// runs the console: the bench process also drives the sshd fleet and has run
// the other phases, and its heap would count in the resident memory.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openSession } from '../session.js';
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
  // Ink and chalk read these at import: Ink writes nothing when it believes
  // it runs in CI, React's development build is slower, colours are bytes too.
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  process.env.NODE_ENV = 'production';
  process.env.FORCE_COLOR = '1';
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
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const child = spawn(process.execPath, [cli, 'bench-console', inventory, knownHosts, String(keys)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench-console ended with ${signal ?? `exit code ${code}`}: ${line}`));
      try {
        resolve(JSON.parse(line) as ConsoleRun);
      } catch {
        reject(new Error(`bench-console printed no figures: ${line.slice(0, 200)}`));
      }
    });
  });
}
