// "pid: cmdline" of live processes whose command line mentions `text`, for
// tests that check nothing was left running (the scan is the lab's own).
import { labProcesses } from '../../src/lab/leftovers.js';

export function processesMentioning(text: string): string[] {
  return labProcesses(text).map((p) => `${p.pid}: ${p.cmdline}`);
}
