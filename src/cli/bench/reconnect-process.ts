// The reconnect figures (reconnect-bench.ts) in a process of their own: the
// child runs the console and measures; the parent, which owns the sshd
// fleet, kills and restarts every host when the child says its first window
// is done.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFleet, type Fleet } from '../../lab/sshd-fleet.js';
import { openSession } from '../session.js';
import { consoleChildEnvironment, runBenchChild } from './bench-child.js';
import { benchSessionOptions } from './bench-session.js';
import { seconds, verdict } from './figure-format.js';
import { STEADY_LINE, type ReconnectFigures, type WindowFigures } from './reconnect-bench.js';

/** Seconds per measured window (the figure is per 10 s). */
export const RECONNECT_WINDOW_SECONDS = 10;

/** Child side (`baton bench-reconnect`, hidden): prints STEADY_LINE between the windows, then the figures as JSON. */
export async function runReconnectMeasurement(inventory: string, knownHosts: string): Promise<number> {
  consoleChildEnvironment();
  const { measureReconnect } = await import('./reconnect-bench.js');
  const session = await openSession(benchSessionOptions(inventory, knownHosts));
  try {
    const figures = await measureReconnect(session, RECONNECT_WINDOW_SECONDS, () => process.stdout.write(`${STEADY_LINE}\n`));
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    await session.monitor.stop();
  }
  return 0;
}

/**
 * Every host's sshd killed, then started again one after the other, as
 * after a network cut or a fleet-wide sshd restart: the reconnects land at
 * scattered moments. `fleet` needs perProcess 1.
 */
async function killAndRestart(fleet: Fleet): Promise<void> {
  for (let i = 0; i < fleet.hosts.length; i++) await fleet.kill(i);
  await new Promise((r) => setTimeout(r, 2000));
  for (let i = 0; i < fleet.hosts.length; i++) await fleet.restart(i);
}

/** Parent side: the figures of one kill-and-restart of `fleet`. */
export async function measureReconnectInChild(fleet: Fleet, inventory: string): Promise<ReconnectFigures> {
  let restarting: Promise<void> | undefined;
  let failure: Error | undefined;
  const figures = runBenchChild<ReconnectFigures>(['bench-reconnect', inventory, fleet.knownHostsFile], (line, child) => {
    if (line !== STEADY_LINE || restarting) return;
    restarting = killAndRestart(fleet).catch((err: Error) => {
      failure = err;
      child.kill();
    });
  });
  try {
    return await figures;
  } catch (err) {
    throw failure ?? err;
  } finally {
    await restarting;
  }
}

export interface ReconnectBenchOptions {
  hosts: number;
  loginUser: string | undefined;
  log(line: string): void;
}

/** The bench part: a fleet of one sshd per host, measured, printed with its target. */
export async function runReconnectBench({ hosts, loginUser, log }: ReconnectBenchOptions): Promise<void> {
  log('');
  log(`reconnect: starting ${hosts} real sshd hosts, one sshd each...`);
  const fleet = await startFleet({ hosts, perProcess: 1, loginUser });
  try {
    const inventory = join(fleet.dir, 'reconnect.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    const f = await measureReconnectInChild(fleet, inventory);
    log(`reconnect (console in its own process, hosts view 120x40, 1 s interval): every sshd of ${f.hosts} hosts killed, then restarted one by one; all up again ${seconds(f.reconnectMs)} after the first went down`);
    log('figure, per 10 s                    before      after       target');
    const per10s = (w: WindowFigures, value: number) => (value * 10) / w.seconds;
    const row = (name: string, pick: (w: WindowFigures) => number, digits: number, target: boolean) => {
      const [before, after] = [per10s(f.before, pick(f.before)), per10s(f.after, pick(f.after))];
      const targetColumn = target ? `after <= 1.25x before  ${verdict(after <= 1.25 * before)}` : '';
      log(`${name.padEnd(36)}${before.toFixed(digits).padEnd(12)}${after.toFixed(digits).padEnd(12)}${targetColumn}`);
    };
    row('screen writes', (w) => w.writes, 0, true);
    row('bytes written', (w) => w.bytes, 0, false);
    row('console CPU, s', (w) => w.cpuSeconds, 2, true);
  } finally {
    await fleet.stop();
  }
}
