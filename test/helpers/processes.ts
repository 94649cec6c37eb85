// "pid: cmdline" of live processes whose command line mentions `text`, for
// tests that check nothing was left running (the scan is the lab's own).
import { readdirSync, readFileSync } from 'node:fs';
import { labProcesses } from '../../src/lab/leftovers.js';

export function processesMentioning(text: string): string[] {
  return labProcesses(text).map((p) => `${p.pid}: ${p.cmdline}`);
}

export interface EnvProcess {
  pid: number;
  cmdline: string;
}

/**
 * Live processes whose environment holds `entry` (NAME=value): everything a
 * fleet host's sessions started when the fleet sets it (sshd SetEnv), even
 * once reparented away from sshd. Zombies have no environment: not counted.
 */
export function processesWithEnv(entry: string): EnvProcess[] {
  const found: EnvProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(entry)) continue;
      found.push({ pid: Number(name), cmdline: readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0/g, ' ').trim() });
    } catch {
      // exited while we looked
    }
  }
  return found;
}
