// `baton lab supervise`: the lab's long-lived process (started by `lab up`,
// output in DIR/logs/supervisor.log). Exit 0 after a clean shutdown, 1 when
// the lab could not start.
import { labDir } from '../../lab/lab-paths.js';
import { labExtras } from '../../lab/layout.js';
import { LabSupervisor } from '../../lab/supervisor.js';

export interface SuperviseOptions {
  dir?: string;
  hosts: number;
  with?: string[];
  ttl: number;
}

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

export async function runSupervise(options: SuperviseOptions): Promise<number> {
  const supervisor = new LabSupervisor({
    dir: labDir(options.dir),
    hosts: options.hosts,
    ttlMs: options.ttl * 1000,
    extras: labExtras(options.with),
    log,
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void supervisor.shutdown(signal));
  log(`supervisor pid ${process.pid} starting a lab of ${options.hosts} hosts in ${labDir(options.dir)}`);
  try {
    await supervisor.start();
  } catch (err) {
    log(`the lab did not start:\n${(err as Error).message}`);
    return 1;
  }
  await supervisor.done;
  return 0;
}
