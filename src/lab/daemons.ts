// Daemons of the lab: each runs under `setpriv --pdeathsig KILL`, so the
// kernel kills it when the process that started it dies, however that dies.
// Output goes to one log file per daemon; every pid is tracked so that
// `stopAll` leaves nothing behind.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { killTree, waitGone } from './process-tree.js';

export class DaemonSet {
  private readonly pids = new Map<string, number>();

  constructor(private readonly logDir: string) {
    mkdirSync(logDir, { recursive: true });
  }

  /** Starts `command` and resolves with its pid once it has been spawned. */
  spawn(name: string, command: string, args: string[], options: { env?: Record<string, string>; cwd?: string } = {}): Promise<number> {
    const log = openSync(join(this.logDir, `${name}.log`), 'a');
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${name} (${command}): ${err.message}`)));
      child.once('spawn', () => {
        this.pids.set(name, child.pid!);
        child.once('exit', () => {
          if (this.pids.get(name) === child.pid) this.pids.delete(name);
        });
        resolve(child.pid!);
      });
    });
  }

  pid(name: string): number | undefined {
    return this.pids.get(name);
  }

  /** Kills one daemon and its children; resolves when they are gone. */
  async stop(name: string): Promise<void> {
    const pid = this.pids.get(name);
    if (pid === undefined) return;
    this.pids.delete(name);
    await waitGone(killTree(pid), 5000);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.pids.keys()].map((n) => this.stop(n)));
  }
}
