// `baton lab up`: starts the lab supervisor detached (it outlives this
// command), waits until it answers on its control socket, prints what runs.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { askLab, LabNotRunning, type LabStatus } from '../../lab/control-socket.js';
import { missingBinaries, missingBinariesMessage } from '../../lab/debian-packages.js';
import { labDir, labFiles } from '../../lab/lab-paths.js';
import { LAB_EXTRAS, labExtras, labHosts } from '../../lab/layout.js';
import { labError } from './lab-errors.js';
import { labStatusText } from './lab-status-text.js';

const READY_TIMEOUT_MS = 30_000;
/**
 * Each optional service waits up to 30 s for itself (RabbitMQ's node, the
 * cluster's first DC) and then says why it failed in the supervisor's log:
 * the wait here outlasts theirs, so that reason is what gets printed.
 */
const EXTRA_READY_TIMEOUT_MS = 35_000;

export interface LabUpOptions {
  dir?: string;
  hosts: number;
  with?: string[];
  /** Seconds until the lab shuts itself down. */
  ttl: number;
}

/** The status when a supervisor answers there; undefined when none does. */
export async function runningLab(dir: string): Promise<LabStatus | undefined> {
  try {
    const reply = await askLab(labFiles(dir).control, { cmd: 'status' }, 10_000);
    return reply.ok ? reply.status : undefined;
  } catch (err) {
    if (err instanceof LabNotRunning) return undefined;
    throw err;
  }
}

function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The first minute of a demo: failovers by keystroke, and one the lab makes by itself. */
const FAILOVER_HINT = [
  '',
  'fail over by keystroke in the HA view (the Pacemaker pane has the focus; Tab moves between panes):',
  '  Pacemaker: j to a web-group resource, M, pick a node with j/k, Enter, y   web-group moves there, verified',
  '  HAProxy:   Tab, j to web2, d, y (drain); u, y puts it back                show stat says DRAIN, then UP',
  '  etcd:      Tab to the etcd pane, j to a follower, L, y                      it becomes the leader',
  '  a real crash, from another terminal: baton lab fail pacemaker:node1       the VIP moves by itself',
  '  a drill with a big stopwatch (pick lab-pacemaker-node, Enter, y): press D to run the failover drill',
  '',
].join('\n');

export async function runLabUp(options: LabUpOptions): Promise<number> {
  const dir = labDir(options.dir);
  const files = labFiles(dir);
  labHosts(options.hosts); // checks --hosts before anything starts
  const unknown = (options.with ?? []).filter((w) => !(LAB_EXTRAS as readonly string[]).includes(w));
  if (unknown.length) throw labError(`--with ${unknown.join(',')}: unknown service; the lab can add ${LAB_EXTRAS.join(', ')}`, 'baton lab up --with rabbitmq');
  const extras = Object.keys(labExtras(options.with));
  if (extras.includes('corosync') && process.getuid?.() !== 0) {
    throw labError('--with corosync needs root: corosync and pacemakerd run as root', 'sudo baton lab up --with corosync');
  }
  const missing = missingBinaries(undefined, labExtras(options.with));
  if (missing.length) throw labError(missingBinariesMessage(missing), 'baton lab deps');

  const already = await runningLab(dir);
  if (already) {
    process.stdout.write(`the lab is already running (supervisor pid ${already.pid}); stop it first with: baton lab down\n\n${labStatusText(already)}`);
    return 0;
  }

  mkdirSync(files.logs, { recursive: true });
  const log = openSync(files.supervisorLog, 'a');
  const cli = fileURLToPath(new URL('../main.js', import.meta.url));
  const args = [cli, 'lab', 'supervise', '--dir', dir, '--hosts', String(options.hosts), '--ttl', String(options.ttl), ...(extras.length ? ['--with', ...extras] : [])];
  // detached: its own session, so it outlives this command and the terminal.
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = signal ?? `exit code ${code}`));
  child.once('error', (err) => (exited = err.message));

  const readyTimeoutMs = READY_TIMEOUT_MS + extras.length * EXTRA_READY_TIMEOUT_MS;
  const started = Date.now();
  for (;;) {
    const status = await runningLab(dir).catch(() => undefined);
    if (status) {
      process.stdout.write(`lab up in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n${labStatusText(status)}`);
      process.stdout.write(`\nnext: baton -i ${files.inventory} --view ha\n${FAILOVER_HINT}`);
      return 0;
    }
    if (exited !== undefined || Date.now() - started > readyTimeoutMs) {
      const why = exited !== undefined ? `the lab supervisor stopped (${exited})` : `the lab was not ready within ${readyTimeoutMs / 1000} s`;
      if (exited === undefined && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM'); // it stops what it started
      throw labError(`${why}; ${files.supervisorLog} ends with:\n${logTail(files.supervisorLog)}`, `fix the cause above, then: baton lab up   (baton lab down clears anything left)`);
    }
    await sleep(100);
  }
}
