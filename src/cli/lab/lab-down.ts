// `baton lab down`: asks the supervisor to stop everything, waits until it
// is gone, then checks that no lab process and no socket remain (and kills
// or removes, and reports, any that do).
import { readFileSync } from 'node:fs';
import { askLab, LabNotRunning } from '../../lab/control-socket.js';
import { sweepLeftovers } from '../../lab/leftovers.js';
import { labDir, labFiles } from '../../lab/lab-paths.js';
import { allGone, killTree, waitGone } from '../../lab/process-tree.js';

/** Components stop one by one, each within 15 s; this is the whole budget. */
const DOWN_TIMEOUT_MS = 90_000;

function supervisorPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export async function runLabDown(options: { dir?: string }): Promise<number> {
  const dir = labDir(options.dir);
  const files = labFiles(dir);
  const pid = supervisorPid(files.supervisorPid);
  const report: string[] = [];
  try {
    const reply = await askLab(files.control, { cmd: 'down' }, 10_000);
    if (!reply.ok) report.push(`the supervisor refused: ${reply.error}`);
    const started = Date.now();
    if (pid !== undefined && !(await waitGone([pid], DOWN_TIMEOUT_MS))) {
      killTree(pid);
      report.push(`the supervisor (pid ${pid}) did not stop within ${DOWN_TIMEOUT_MS / 1000} s: killed it`);
    }
    process.stdout.write(`lab stopped in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (err) {
    if (!(err instanceof LabNotRunning)) throw err;
    process.stdout.write('the lab is not running\n');
    // A supervisor that lost its socket still counts as the lab (if the pid is still it, not reused).
    if (pid !== undefined && !allGone([pid]) && commandLine(pid).includes(dir)) {
      await waitGone(killTree(pid), 5000);
      report.push(`killed the supervisor (pid ${pid}), which no longer answered on ${files.control}`);
    }
  }
  report.push(...(await sweepLeftovers(dir)));
  process.stdout.write(report.length ? `cleaned up what was left:\n${report.map((l) => `  ${l}`).join('\n')}\n` : 'nothing left running: no lab process, no socket\n');
  return 0;
}
