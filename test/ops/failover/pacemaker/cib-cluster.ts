// A Pacemaker cluster on a CIB file for tests that run whole actions without
// the lab: the crafted CIB (three online nodes, web-group on node1, a ping
// clone) with plain names, and the controller's part that makes things
// "run": whenever someone else wrote the file (crm_resource, crm_attribute),
// the real scheduler (crm_simulate --simulate --save-output) plays the
// transition into its status section. Resource agents never run.
import { execFile } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const NODES = ['node1', 'node2', 'node3'];
export const GROUP = 'web-group';

/** Writes the crafted CIB with plain names (node2, node3, web-group) to DIR/cib.xml; returns its path. */
export function writePlainCib(dir: string): string {
  const hostile = readFileSync(join(import.meta.dirname, '../../../fixtures/pacemaker/predictions/hostile-cib.xml'), 'utf8');
  const plain = hostile.replaceAll("n2'$(touch pwned)", 'node2').replaceAll('n3;$(touch pwned)', 'node3').replaceAll('-web;touch pwned', GROUP);
  const file = join(dir, 'cib.xml');
  writeFileSync(file, plain);
  return file;
}

export interface Converge {
  stop(): Promise<void>;
}

/**
 * Every `intervalMs`, when the file changed since the scheduler last wrote
 * it, runs the scheduler on a copy and puts the copy in place only if
 * nobody wrote the file meanwhile (else the next tick tries again).
 */
export function startConverge(file: string, intervalMs = 300): Converge {
  let stopped = false;
  let ours = '';
  const work = `${file}.converge.xml`;
  const done = (async () => {
    while (!stopped) {
      const now = readFileSync(file, 'utf8');
      if (now !== ours) {
        writeFileSync(work, now);
        // A half-written file fails to parse: the next tick retries.
        const ok = await run('crm_simulate', ['--simulate', '--xml-file', work, '--save-output', work], { env: { ...process.env, CIB_file: work }, timeout: 20_000 }).then(() => true, () => false);
        if (ok && readFileSync(file, 'utf8') === now) {
          ours = readFileSync(work, 'utf8');
          renameSync(work, file);
        }
      }
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await done;
    },
  };
}
